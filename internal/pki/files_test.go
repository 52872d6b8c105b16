package pki

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestGenerateWritesPrivateKeysAndRefusesToOverwrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	written, err := Generate(dir, Options{Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 2+2*5 {
		t.Errorf("wrote %d files, want 12 (CA, 3 nodes, client, control, each a cert and a key): %v", len(written), written)
	}
	for _, f := range []string{"ca-key.pem", "node-1-key.pem", "node-3-key.pem", "client-key.pem", "control-key.pem"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", f, err, fi.Mode().Perm())
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", fi.Mode().Perm())
	}
	before, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if _, err := Generate(dir, Options{Nodes: 3}); !errors.Is(err, ErrExists) {
		t.Errorf("second Generate without Force: %v, want ErrExists", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "ca.pem")); string(after) != string(before) {
		t.Errorf("a refused Generate changed ca.pem")
	}
	os.Chmod(filepath.Join(dir, "node-2-key.pem"), 0o644)
	if _, err := Generate(dir, Options{Nodes: 3, Force: true}); err != nil {
		t.Fatalf("Generate with Force: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "ca.pem")); string(after) == string(before) {
		t.Errorf("Generate with Force kept the old CA")
	}
	if fi, _ := os.Stat(filepath.Join(dir, "node-2-key.pem")); fi.Mode().Perm() != 0o600 {
		t.Errorf("an overwritten key has mode %v, want 0600", fi.Mode().Perm())
	}
	for _, bad := range []Options{{Nodes: 0}, {Nodes: 256}, {Nodes: 1, Client: "a/b"}} {
		if _, err := Generate(t.TempDir(), bad); err == nil {
			t.Errorf("Generate(%+v) accepted", bad)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(dir, Options{Nodes: 2, Client: "alice"}); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if _, err := Generate(other, Options{Nodes: 2}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, Node(2))
	if err != nil || c.Identity != Node(2) {
		t.Fatalf("Load(node 2) = %+v, %v", c, err)
	}
	if c, err := Load(dir, Client(DefaultName)); err != nil || c.Identity != Client("alice") {
		t.Errorf("Load(client) = %+v, %v; want the client identity alice, whatever the name asked", c, err)
	}
	if _, err := Load(dir, Node(3)); !errors.Is(err, ErrCredentials) {
		t.Errorf("Load(node 3) with no such files: %v, want ErrCredentials", err)
	}
	// node-1's files swapped in for node 2: the identity is checked, not the name.
	copyFile(t, filepath.Join(dir, "node-1.pem"), filepath.Join(dir, "node-2.pem"))
	copyFile(t, filepath.Join(dir, "node-1-key.pem"), filepath.Join(dir, "node-2-key.pem"))
	if _, err := Load(dir, Node(2)); !errors.Is(err, ErrIdentity) {
		t.Errorf("Load(node 2) holding node 1's certificate: %v, want ErrIdentity", err)
	}
	// A certificate of another CA.
	copyFile(t, filepath.Join(other, "ca.pem"), filepath.Join(dir, "ca.pem"))
	if _, err := Load(dir, Node(1)); !errors.Is(err, ErrCredentials) {
		t.Errorf("Load with another CA's ca.pem: %v, want ErrCredentials", err)
	}
	os.Chmod(filepath.Join(other, "node-1-key.pem"), 0o640)
	if _, err := Load(other, Node(1)); !errors.Is(err, ErrCredentials) {
		t.Errorf("Load with a group-readable key: %v, want ErrCredentials", err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
