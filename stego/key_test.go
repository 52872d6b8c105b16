package stego

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	writeMode := func(name string, data []byte, mode os.FileMode) string {
		path := write(name, data)
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	key := bytes.Repeat([]byte{0xab}, KeySize)
	tests := []struct {
		name    string
		path    string
		want    []byte
		wantMsg string
	}{
		{"exact", write("ok.bin", key), key, ""},
		{"short", write("short.bin", key[:31]), nil, "holds 31 bytes, want exactly 32"},
		{"long", write("long.bin", append(key, '\n')), nil, "holds more than 32 bytes"},
		{"empty", write("empty.bin", nil), nil, "holds 0 bytes"},
		{"one byte", write("one.bin", key[:1]), nil, "holds 1 byte, want exactly 32"},
		{"missing", filepath.Join(dir, "nope.bin"), nil, "nope.bin"},
		{"directory", dir, nil, "while reading key file"},
		{"group-readable", writeMode("group.bin", key, 0o640), nil, "mode 0640, readable by others: chmod 600"},
		{"world-readable", writeMode("world.bin", key, 0o644), nil, "mode 0644, readable by others"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadKey(tt.path)
			if tt.wantMsg == "" {
				if err != nil || !bytes.Equal(got, tt.want) {
					t.Errorf("LoadKey(%s) = %x, %v; want %x", tt.path, got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, ErrKey) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("LoadKey(%s) error = %v, want ErrKey containing %q", tt.path, err, tt.wantMsg)
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	a, err := GenerateKey(fixedRand(1))
	if err != nil || len(a) != KeySize {
		t.Fatalf("GenerateKey = %x, %v; want %d bytes", a, err, KeySize)
	}
	if b, _ := GenerateKey(fixedRand(2)); bytes.Equal(a, b) {
		t.Errorf("keys from different random streams are equal: %x", a)
	}
	if _, err := GenerateKey(failingReader{}); !errors.Is(err, ErrKey) || !errors.Is(err, errNonce) {
		t.Errorf("GenerateKey(failing reader) error = %v, want ErrKey wrapping the reader's error", err)
	}
}
