package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// waitSend runs send until the fresh cluster has elected and served it.
func waitSend(t *testing.T, args ...string) string {
	t.Helper()
	var code int
	var stdout, stderr string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if code, stdout, stderr = runCLI(t, args...); code == 0 || time.Now().After(deadline) {
			break
		}
	}
	if code != 0 {
		t.Fatalf("send: exit %d: %s", code, stderr)
	}
	return stdout
}

// The README's walkthrough through the CLI: send an image with quota 2,
// view it three times as alice, once as a stranger, once a file that is not
// ours; then the discovery table.
func TestViewAndPeersThroughACluster(t *testing.T) {
	key := filepath.Join(t.TempDir(), "key.bin")
	if code, _, stderr := runCLI(t, "stego", "keygen", "--out", key); code != 0 {
		t.Fatal(stderr)
	}
	keyBytes, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	peers := startCluster(t, 3, keyBytes) // nodes with the key: they reveal sealed images
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.png")
	cl := "--cluster=" + peers.String()
	waitSend(t, "send", cl, "--gen", "64x48", "--out", secret, "--users", "alice,bob", "--quota", "2", "--key", key)

	view := func(user, in string) (int, string, string) {
		return runCLI(t, "view", cl, "--in", in, "--user", user, "--timeout", "2s")
	}
	for _, want := range []string{`{"granted":true,"remaining":1}`, `{"granted":true,"remaining":0}`,
		`{"granted":false,"remaining":0,"reason":"quota exhausted"}`} {
		code, stdout, stderr := view("alice", secret)
		if code != 0 || stdout != want+"\n" {
			t.Fatalf("view as alice: exit %d, stdout %q, stderr %q; want %s", code, stdout, stderr, want)
		}
		if !regexp.MustCompile(`^answered by node [123] in .*; applied by node [123], epoch \d+, update \d+; request view\.`).MatchString(stderr) {
			t.Errorf("view's stderr %q does not say who answered and applied", stderr)
		}
	}
	if code, stdout, _ := view("mallory", secret); code != 0 || stdout != `{"granted":false,"remaining":0,"reason":"not authorized"}`+"\n" {
		t.Fatalf("view as mallory: exit %d, %q", code, stdout)
	}
	cover := writeCover(t, dir, 32, 24) // an image without our metadata
	if code, stdout, stderr := view("alice", cover); code != 1 || stdout != "" || !strings.Contains(stderr, "request rejected") {
		t.Fatalf("view of a plain image: exit %d, stdout %q, stderr %q; want exit 1, rejected", code, stdout, stderr)
	}

	steps := []struct {
		args []string
		want string
	}{
		{[]string{"peers", "list", cl}, `{"peers":[]}`},
		{[]string{"peers", "register", cl, "--user", "alice", "--addr", "127.0.0.1:9001"}, `{"changed":true}`},
		{[]string{"peers", "register", cl, "--user", "bob", "--addr", "127.0.0.1:9002"}, `{"changed":true}`},
		{[]string{"peers", "register", cl, "--user", "bob", "--addr", "127.0.0.1:9002"}, `{"changed":false}`},
		{[]string{"peers", "unregister", cl, "--user", "alice"}, `{"changed":true}`},
		{[]string{"peers", "list", cl}, `{"peers":[{"user":"bob","addr":"127.0.0.1:9002"}]}`},
	}
	for _, s := range steps {
		if code, stdout, stderr := runCLI(t, s.args...); code != 0 || stdout != s.want+"\n" {
			t.Fatalf("%q: exit %d, stdout %q, stderr %q; want %s", s.args, code, stdout, stderr, s.want)
		}
	}
}

// Views through a TLS cluster need --tls; without it the nodes refuse the
// connection and the view fails.
func TestViewThroughATLSCluster(t *testing.T) {
	dir := t.TempDir()
	tlsDir := filepath.Join(dir, "tls")
	if code, _, stderr := runCLI(t, "certs", "--out", tlsDir, "--nodes", "3"); code != 0 {
		t.Fatal(stderr)
	}
	peers := startClusterTLS(t, 3, nil, tlsDir)
	secret := filepath.Join(dir, "secret.png")
	cl := "--cluster=" + peers.String()
	waitSend(t, "send", cl, "--tls", tlsDir, "--gen", "48x32", "--out", secret, "--users", "alice", "--quota", "7")
	if code, stdout, stderr := runCLI(t, "view", cl, "--tls", tlsDir, "--in", secret, "--user", "alice"); code != 0 || stdout != `{"granted":true,"remaining":6}`+"\n" {
		t.Fatalf("view --tls: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, _ := runCLI(t, "view", cl, "--in", secret, "--user", "alice", "--retries", "0", "--timeout", "300ms"); code == 0 {
		t.Fatalf("a plaintext view was answered by a TLS cluster")
	}
}

func TestViewAndPeersUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"view", "--cluster", "1=127.0.0.1:1", "--user", "alice"}, "--in is required"},
		{[]string{"view", "--cluster", "1=127.0.0.1:1", "--in", "x.png"}, "--user is required"},
		{[]string{"view", "--in", "x.png", "--user", "a"}, "--cluster is required"},
		{[]string{"peers"}, "no subcommand"},
		{[]string{"peers", "lsit"}, `unknown subcommand "lsit"`},
		{[]string{"peers", "register", "--cluster", "1=127.0.0.1:1", "--user", "a"}, "--user and --addr are required"},
		{[]string{"peers", "unregister", "--cluster", "1=127.0.0.1:1"}, "--user is required"},
		{[]string{"peers", "list", "--cluster", "1=nope"}, "invalid value"},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 naming %q", c.args, code, stdout, stderr, c.want)
		}
	}
	for _, args := range [][]string{{"view", "--help"}, {"peers", "--help"}, {"peers", "register", "--help"}, {"peers", "list", "--help"}} {
		code, stdout, _ := runCLI(t, args...)
		if code != 0 || !strings.Contains(stdout, "Usage: stegocloud") {
			t.Errorf("%q: exit %d, stdout %q", args, code, stdout)
		}
	}
	if _, stdout, _ := runCLI(t, "view", "--help"); !strings.Contains(stdout, "--key") || !strings.Contains(stdout, `{"granted":true,"remaining":4}`) {
		t.Errorf("view --help does not explain the output and the nodes' key:\n%s", stdout)
	}
}
