package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/stego"
)

// startCluster runs n nodes with the real codec in this process on loopback.
func startCluster(t *testing.T, n int, key []byte) cluster.Peers {
	return startClusterTLS(t, n, key, "")
}

// startClusterTLS is startCluster with the nodes' credentials in tlsDir
// (empty: plaintext).
func startClusterTLS(t *testing.T, n int, key []byte, tlsDir string) cluster.Peers {
	t.Helper()
	peers := cluster.Peers{}
	for id := 1; id <= n; id++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		peers[id] = ln.Addr().String()
		ln.Close()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, n)
	for id := 1; id <= n; id++ {
		cfg := cluster.DefaultConfig()
		cfg.ID, cfg.Peers, cfg.TLS = id, peers, tlsDir
		node, err := cluster.NewNode(cfg, cluster.NodeOptions{Service: cluster.CodecService{Codec: cluster.StegoCodec{}, Key: key}})
		if err != nil {
			t.Fatal(err)
		}
		go func() { done <- node.Run(ctx) }()
	}
	t.Cleanup(func() {
		cancel()
		for range n {
			<-done
		}
	})
	return peers
}

func TestSendThroughACluster(t *testing.T) {
	key := bytes.Repeat([]byte{7}, stego.KeySize)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.bin")
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	peers := startCluster(t, 3, key)
	out := filepath.Join(dir, "secret.png")
	args := []string{"send", "--cluster", peers.String(), "--gen", "96x64", "--out", out,
		"--users", "alice, bob", "--quota", "4", "--id", "send-test.1", "--key", keyFile, "--timeout", "2s"}
	var stdout bytes.Buffer
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		stdout.Reset()
		if err = run(context.Background(), args, &stdout, io.Discard); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if !regexp.MustCompile(`^served by node [123] in .+ \(1 attempt\(s\)\); wrote .*secret.png .*, id send-test.1\n$`).Match(stdout.Bytes()) {
		t.Errorf("stdout %q, want which node served it", stdout.String())
	}
	img, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := stego.Reveal(img, key)
	if err != nil || !slices.Equal(m.Usernames, []string{"alice", "bob"}) || m.Quota != 4 || m.ID != "send-test.1" {
		t.Errorf("the written image reveals %+v, %v; want id send-test.1, alice, bob with quota 4", m, err)
	}
	if _, err := stego.Reveal(img, nil); err == nil {
		t.Errorf("sealed metadata revealed without the key")
	}
}

// send, like every client, talks TLS to a TLS cluster with --tls, and is
// refused without it.
func TestSendThroughATLSCluster(t *testing.T) {
	dir := t.TempDir()
	tlsDir := filepath.Join(dir, "tls")
	if err := run(context.Background(), []string{"certs", "--out", tlsDir, "--nodes", "3"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	peers := startClusterTLS(t, 3, nil, tlsDir)
	out := filepath.Join(dir, "secret.png")
	args := []string{"send", "--cluster", peers.String(), "--gen", "64x48", "--out", out, "--users", "alice", "--timeout", "2s"}
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if err = run(context.Background(), append(args, "--tls", tlsDir), io.Discard, io.Discard); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("send --tls: %v", err)
	}
	if err := run(context.Background(), append(args, "--retries", "0", "--timeout", "300ms"), io.Discard, io.Discard); err == nil {
		t.Errorf("send without --tls was served by a TLS cluster")
	}
}

// TestSendRefusesBeforeConnecting: bad flags and covers fail before any
// connection (the cluster address is closed), with embed's rules.
func TestSendRefusesBeforeConnecting(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.png")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"send", "--cluster", "1=127.0.0.1:1", "--out", filepath.Join(dir, "s.png")}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"jpg name", []string{"--gen", "8x8", "--users", "a", "--out", filepath.Join(dir, "s.jpg")}, 2, "its name must end in .png"},
		{"hex quota", []string{"--gen", "8x8", "--users", "a", "--quota", "0x10"}, 2, `invalid value "0x10" for flag -quota`},
		{"no users", []string{"--gen", "8x8"}, 2, "--users (or --user) is required"},
		{"empty name", []string{"--gen", "8x8", "--users", "alice,,bob"}, 1, `username 1 "" is empty`},
		{"empty cover", []string{"--in", empty, "--users", "a"}, 1, "reading cover: " + empty + ": not a decodable png or jpeg image: the input is empty (0 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append(slices.Clone(base), tt.args...)...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.want) {
				t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.wantCode, tt.want)
			}
		})
	}
}
