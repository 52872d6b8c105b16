package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		max     int
		wantErr []string // fragments; nil means no error
		notWant string   // a fragment the error must not hold
	}{
		{"none allowed, none given", []string{"--x", "1"}, 0, nil, ""},
		{"none allowed, one given", []string{"--x", "1", "extra"}, 0, []string{`cmd: unexpected argument "extra":`}, ""},
		{"none allowed, words and a flag", []string{"--x", "1", "bob", "--y", "5"}, 0, []string{`unexpected arguments "bob" "--y" "5"`}, ""},
		{"one allowed, one given", []string{"exp"}, 1, nil, ""},
		{"one allowed, three given", []string{"exp", "a", "b"}, 1, []string{`unexpected arguments "a" "b"`}, `"exp"`},
		{"after --", []string{"--", "--x"}, 0, []string{`unexpected argument "--x"`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("cmd", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			fs.String("x", "", "")
			fs.String("y", "", "")
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := checkArgs(fs, tt.max)
			if tt.wantErr == nil {
				if err != nil {
					t.Errorf("checkArgs(%q, %d) = %v, want nil", tt.args, tt.max, err)
				}
				return
			}
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("checkArgs(%q, %d) = %v, want a usage error", tt.args, tt.max, err)
			}
			for _, frag := range tt.wantErr {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("checkArgs(%q, %d) = %q, lacks %q", tt.args, tt.max, err, frag)
				}
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("checkArgs(%q, %d) = %q, names the allowed argument %s", tt.args, tt.max, err, tt.notWant)
			}
		})
	}
}

// TestStrayArguments: every subcommand of this binary that takes no
// positional argument refuses stray words with exit 2, naming each of them,
// and does nothing (issue 15: `--users alice bob --quota 5` hid only alice).
func TestStrayArguments(t *testing.T) {
	dir := t.TempDir()
	cover := writeCover(t, dir, 64, 48)
	out, key := filepath.Join(dir, "out.png"), filepath.Join(dir, "key.bin")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"embed, space-separated users", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "alice", "bob", "--quota", "5"},
			[]string{`"bob" "--quota" "5"`}},
		{"extract", []string{"stego", "extract", "--in", cover, "extra"}, []string{`"extra"`}},
		{"keygen", []string{"stego", "keygen", "--out", key, "extra"}, []string{`"extra"`}},
		{"send", []string{"send", "--cluster", "1=127.0.0.1:1", "--gen", "8x8", "--out", out, "--users", "a", "extra", "more"},
			[]string{`"extra" "more"`}},
		{"view", []string{"view", "--cluster", "1=127.0.0.1:1", "--in", cover, "--user", "alice", "bob"}, []string{`"bob"`}},
		{"peers register", []string{"peers", "register", "--cluster", "1=127.0.0.1:1", "--user", "alice", "--addr", "h:1", "x"}, []string{`"x"`}},
		{"peers unregister", []string{"peers", "unregister", "--cluster", "1=127.0.0.1:1", "--user", "alice", "x"}, []string{`"x"`}},
		{"peers list", []string{"peers", "list", "--cluster", "1=127.0.0.1:1", "x", "y"}, []string{`"x" "y"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != 2 {
				t.Errorf("%q: exit %d, want 2 (stderr %q)", tt.args, code, stderr)
			}
			for _, frag := range append(tt.want, "unexpected argument") {
				if !strings.Contains(stderr, frag) {
					t.Errorf("%q: stderr %q lacks %q", tt.args, stderr, frag)
				}
			}
			if stdout != "" {
				t.Errorf("%q: printed %q on stdout", tt.args, stdout)
			}
		})
	}
	for _, p := range []string{out, key} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a refused command created %s (stat: %v)", p, err)
		}
	}
}
