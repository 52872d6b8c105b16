package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"stegocloud/cluster"
	"stegocloud/internal/pki"
)

const viewDescription = `
Views an image through a running cluster: spends one of its views for
--user. The request (the image and the user) is multicast to every node; the
coordinator assigns it to a node, which reveals the image's metadata (id,
usernames, quota); the user is authorized when the metadata names them; the
coordinator's table spends one view of that image and the answer comes back.
Prints one line of JSON:

  {"granted":true,"remaining":4}
  {"granted":false,"remaining":0,"reason":"quota exhausted"}
  {"granted":false,"remaining":3,"reason":"not authorized"}

and, on stderr, which node answered and which applied it (the coordinator).
A refused view is an answer, not an error: the exit code is 0.

The nodes reveal the metadata, not this command: an image sealed with a key
('send --key', 'stego embed --key') can only be viewed through nodes started
with that key ('stegocloud node --key FILE'). An image no node can read is
rejected (exit 1) and spends nothing. Retries reuse the request id, so a
view whose answer was lost is spent once; a view that timed out may or may
not have been spent.`

func runView(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("view", "view --cluster 1=127.0.0.1:7001,… --in secret.png --user alice [flags]", viewDescription, stderr)
	in := fs.String("in", "", "the image to view: a PNG the cluster made ('send')")
	user := fs.String("user", "", "who views it: one of the usernames in its metadata, or it is not authorized")
	cf := clusterFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkArgs(fs, 0); err != nil {
		return err
	}
	switch {
	case len(cf.nodes) == 0:
		return usageErrorf("view: --cluster is required")
	case *in == "":
		return usageErrorf("view: --in is required")
	case *user == "":
		return usageErrorf("view: --user is required")
	}
	img, err := stegoReadImage(*in, nil)
	if err != nil {
		return fmt.Errorf("view: reading image: %w", err)
	}
	c, err := cf.client(fs.Name(), "view")
	if err != nil {
		return err
	}
	defer c.Close()
	v, err := c.View(ctx, img, *user)
	if err != nil {
		return fmt.Errorf("view: %w", err)
	}
	if err := printJSON(stdout, v); err != nil {
		return err
	}
	describeOutcome(stderr, v.Outcome)
	return nil
}

// clusterFlagSet holds the flags of the commands that talk to a cluster as
// a client.
type clusterFlagSet struct {
	nodes   cluster.Peers
	tlsDir  *string
	timeout *time.Duration
	retries *int
}

func clusterFlags(fs interface {
	Func(name, usage string, fn func(string) error)
	String(name, value, usage string) *string
	Duration(name string, value time.Duration, usage string) *time.Duration
	Int(name string, value int, usage string) *int
}) *clusterFlagSet {
	f := &clusterFlagSet{}
	fs.Func("cluster", "every node, id=host:port,… (required)", func(s string) error {
		p, err := cluster.ParsePeers(s)
		f.nodes = p
		return err
	})
	f.tlsDir = fs.String("tls", "", "credentials directory made by 'stegocloud certs': talk mutual TLS with the client certificate (empty: plaintext)")
	f.timeout = fs.Duration("timeout", 3*time.Second, "per-attempt timeout")
	f.retries = fs.Int("retries", 3, "attempts after the first, under the same request id")
	return f
}

// client checks the flags and connects; name prefixes request ids.
func (f *clusterFlagSet) client(cmd, name string) (*cluster.Client, error) {
	if len(f.nodes) == 0 {
		return nil, usageErrorf("%s: --cluster is required", cmd)
	}
	cfg := cluster.ClientConfig{Nodes: f.nodes, Timeout: *f.timeout, Retries: *f.retries, Name: name}
	if *f.tlsDir != "" {
		creds, err := pki.LoadClient(*f.tlsDir)
		if err != nil {
			return nil, fmt.Errorf("%s: --tls: %w", cmd, err)
		}
		cfg.TLS = creds
	}
	c, err := cluster.NewClient(cfg)
	if err != nil {
		return nil, usageErrorf("%s: %v", cmd, err)
	}
	return c, nil
}

func printJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// describeOutcome says who answered and who applied a table op.
func describeOutcome(w io.Writer, o cluster.Outcome) {
	fmt.Fprintf(w, "answered by node %d in %v (%d attempt(s)); applied by node %d, epoch %d, update %d; request %s\n",
		o.Node, o.Latency.Round(100*time.Microsecond), o.Attempts, o.Applier, o.Epoch, o.Seq, o.ID)
}
