package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"time"

	"stegocloud/cluster"
	"stegocloud/internal/pki"
	"stegocloud/stego"
	"stegocloud/stego/imagegen"
)

const sendDescription = `
Sends one image through a running cluster, the way every client does: the
request is multicast to every node, the coordinator assigns it to a node, and
the first response that really carries the metadata (checked by revealing
it) is written to --out. Prints which node served it and how long it took.`

func sendHelp() string { return sendDescription + "\n\n" + stegoLimits() }

func runSend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("send", "send --cluster 1=127.0.0.1:7001,… --in cover.png|--gen 512x384 --out secret.png --users alice,bob --quota 5 [flags]", sendHelp(), stderr)
	var (
		nodes   cluster.Peers
		mf      stegoMetaFlags
		in      = fs.String("in", "", "cover image to hide the metadata in (PNG or JPEG)")
		gen     = fs.String("gen", "", "no cover at hand: make a photo-like one of this size, e.g. 512x384 (instead of --in)")
		seed    = fs.Int64("seed", 1, "seed of the picture --gen makes")
		out     = fs.String("out", "", "where to write the resulting PNG, name ending in .png")
		keyFile = fs.String("key", "", "file holding the seal key the nodes use (empty: unsealed)")
		timeout = fs.Duration("timeout", 3*time.Second, "per-attempt timeout")
		retries = fs.Int("retries", 3, "attempts after the first, under the same request id")
		tlsDir  = fs.String("tls", "", "credentials directory made by 'stegocloud certs': talk mutual TLS with the client certificate (empty: plaintext)")
	)
	mf.register(fs)
	fs.Func("cluster", "every node, id=host:port,…", func(s string) error {
		p, err := cluster.ParsePeers(s)
		nodes = p
		return err
	})
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkArgs(fs, 0); err != nil {
		return err
	}
	switch {
	case len(nodes) == 0:
		return usageErrorf("send: --cluster is required")
	case (*in == "") == (*gen == ""):
		return usageErrorf("send: give the cover with --in, or --gen WxH to make one")
	case *out == "":
		return usageErrorf("send: --out is required")
	}
	if err := stegoCheckOut(fs.Name(), *out); err != nil {
		return err
	}
	meta, err := mf.metadata(fs.Name())
	if err != nil {
		return err
	}
	cover, err := readCover(*in, *gen, *seed)
	if err != nil {
		return err
	}
	var key []byte
	if *keyFile != "" {
		if key, err = stego.LoadKey(*keyFile); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	cfg := cluster.ClientConfig{Nodes: nodes, Timeout: *timeout, Retries: *retries, Key: key, Name: "send"} // ids stay unique: the client adds a random part
	if *tlsDir != "" {
		if cfg.TLS, err = pki.LoadClient(*tlsDir); err != nil {
			return fmt.Errorf("send: --tls: %w", err)
		}
	}
	c, err := cluster.NewClient(cfg)
	if err != nil {
		return usageErrorf("send: %v", err)
	}
	defer c.Close()
	r, err := c.Encrypt(ctx, cover, meta)
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	if err := os.WriteFile(*out, r.Image, 0o644); err != nil {
		return fmt.Errorf("send: writing result: %w", err)
	}
	fmt.Fprintf(stdout, "served by node %d in %v (%d attempt(s)); wrote %s (%d bytes) carrying %v, quota %d, id %s\n",
		r.Node, r.Latency.Round(100*time.Microsecond), r.Attempts, *out, len(r.Image), meta.Usernames, meta.Quota, meta.ID)
	return nil
}

// readCover reads --in, or draws a --gen WxH picture and encodes it as PNG.
func readCover(in, gen string, seed int64) ([]byte, error) {
	if in != "" {
		b, err := stegoReadImage(in, nil)
		if err != nil {
			return nil, fmt.Errorf("send: reading cover: %w", err)
		}
		return b, nil
	}
	var w, h int
	if _, err := fmt.Sscanf(gen, "%dx%d", &w, &h); err != nil || w < 1 || h < 1 || w > 8192 || h > 8192 {
		return nil, usageErrorf("send: --gen %q: want WIDTHxHEIGHT, each 1..8192", gen)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, imagegen.PhotoLike(w, h, seed)); err != nil {
		return nil, fmt.Errorf("send: encoding the generated cover: %w", err)
	}
	return b.Bytes(), nil
}
