package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCertsCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"certs", "--out", dir, "--nodes", "3"}, &stdout, &stderr); err != nil {
		t.Fatalf("certs: %v", err)
	}
	for _, f := range []string{"ca.pem", "ca-key.pem", "node-1.pem", "node-3-key.pem", "client.pem", "control-key.pem"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "node-2-key.pem"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("node-2-key.pem: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	cases := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"certs", "--out", dir, "--nodes", "3"}, 1, "--force"},
		{[]string{"certs", "--out", dir, "--nodes", "3", "--force"}, 0, ""},
		{[]string{"certs", "--nodes", "3"}, 2, "--out"},
		{[]string{"certs", "--out", dir}, 2, "--nodes"},
		{[]string{"certs", "--out", t.TempDir(), "--nodes", "2", "--client", "a b"}, 2, "letters"},
	}
	for _, c := range cases {
		stdout.Reset()
		stderr.Reset()
		err := run(context.Background(), c.args, &stdout, &stderr)
		if code := exitCode(err, &stderr); code != c.wantCode || !strings.Contains(stderr.String(), c.wantErr) {
			t.Errorf("run(%q): exit %d, stderr %q; want %d mentioning %q", c.args, code, stderr.String(), c.wantCode, c.wantErr)
		}
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"certs", "--help"}, &stdout, &stderr); err != nil && !strings.Contains(err.Error(), "help") {
		t.Fatal(err)
	}
	for _, want := range []string{"spiffe://stegocloud/node/N", "--tls DIR", "-force", "-nodes", "-out", "0600"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("certs --help lacks %q", want)
		}
	}
}
