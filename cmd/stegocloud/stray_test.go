package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStrayWordsAreNamed: every subcommand that takes positional words
// rejects the ones it does not expect with a usage error (exit 2) that names
// each of them, not only the first or only their count (issue 15: `run` and
// `report` said "got 2 arguments", `node` named the first stray word,
// `compare` the first flag after the directories).
func TestStrayWordsAreNamed(t *testing.T) {
	dir := t.TempDir()
	exp := filepath.Join(dir, "x.yaml")
	if err := os.WriteFile(exp, []byte("name: x\nworkload: {requests_per_client: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // each stray word, quoted
	}{
		{"run: words after the experiment", []string{"run", exp, "extra", "words"}, []string{`"extra"`, `"words"`}},
		{"run: a flag after the experiment", []string{"run", exp, "--quiet", "--results", "r"}, []string{`"--quiet"`, `"--results"`, `"r"`}},
		{"report: two more directories", []string{"report", dir, "b", "c"}, []string{`"b"`, `"c"`}},
		{"report: a flag after the directory", []string{"report", dir, "--no-figures"}, []string{`"--no-figures"`}},
		{"compare: flags after the directories", []string{"compare", dir, dir, "--out", "x.md", "-q"}, []string{`"--out"`, `"x.md"`, `"-q"`}},
		{"node: words among the flags", []string{"node", "--id", "1", "x", "--peers", "1=127.0.0.1:1"}, []string{`"x"`, `"--peers"`, `"1=127.0.0.1:1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, &bytes.Buffer{}, &bytes.Buffer{})
			var msg bytes.Buffer
			if code := exitCode(err, &msg); code != 2 {
				t.Fatalf("%q: exit %d (%v), want 2", tt.args, code, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg.String(), w) {
					t.Errorf("%q: message %q does not name %s", tt.args, msg.String(), w)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "results")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%q: a rejected command line created a results directory", tt.args)
			}
		})
	}
}

// TestRunBareNameNamesWhatWasTried: `run NAME` for a name that is neither
// experiments/NAME.yaml nor a file says both what was tried and why, and
// lists the experiments there are (issue 15: it said "open nosuchname").
func TestRunBareNameNamesWhatWasTried(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "experiments"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"smoke", "stress10k"} {
		if err := os.WriteFile(filepath.Join(dir, "experiments", n+".yaml"), []byte("name: "+n+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	err := run(context.Background(), []string{"run", "nosuchname"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil {
		t.Fatal("run nosuchname succeeded")
	}
	for _, w := range []string{filepath.Join("experiments", "nosuchname.yaml"), "a bare name means experiments/NAME.yaml", "smoke, stress10k"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("run nosuchname: %q lacks %q", err, w)
		}
	}
	if strings.Contains(err.Error(), "open nosuchname") {
		t.Errorf("run nosuchname: %q still reports opening the bare name", err)
	}
	// Outside the repository the message says where experiments are looked for.
	t.Chdir(t.TempDir())
	err = run(context.Background(), []string{"run", "smoke"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "no experiments/ directory here") {
		t.Errorf("run smoke outside the repository: %v, want it to say there is no experiments/ directory", err)
	}
}
