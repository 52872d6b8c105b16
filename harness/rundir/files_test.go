package rundir

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A run's commit is "+dirty" only when the code differs from it: what runs
// themselves write under reports/ and results/ does not count.
func TestGitDescribeIgnoresRunOutputs(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q")
	write("main.go", "package main\n")
	write("reports/README.md", "old\n")
	git("add", ".")
	git("commit", "-q", "-m", "init")
	commit := git("rev-parse", "--short=12", "HEAD")
	t.Chdir(filepath.Join(dir, "reports")) // from a subdirectory too

	if got := gitDescribe(); got != commit {
		t.Errorf("clean tree: gitDescribe() = %q, want %q", got, commit)
	}
	write("reports/README.md", "regenerated\n")
	if got := gitDescribe(); got != commit {
		t.Errorf("only reports/ changed: gitDescribe() = %q, want %q", got, commit)
	}
	write("main.go", "package main // changed\n")
	if got := gitDescribe(); got != commit+"+dirty" {
		t.Errorf("code changed: gitDescribe() = %q, want %q", got, commit+"+dirty")
	}
}

// WriteFileAtomic replaces a file whole or not at all: a write that fails
// leaves the old content and no temporary file behind.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	n, err := WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "old\n"); return err })
	if err != nil || n != 4 {
		t.Fatalf("first write: %d bytes, %v; want 4, nil", n, err)
	}
	boom := errors.New("render failed")
	_, err = WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half of the new")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("failed write: error %v, want %v", err, boom)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("after a failed write the file holds %q, want the old content", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want only report.md", len(entries))
	}
	if _, err := WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if b, _ := os.ReadFile(path); err != nil || string(b) != "new\n" || st.Mode().Perm() != 0o644 {
		t.Errorf("replaced file: %q, mode %v, %v; want \"new\\n\", -rw-r--r--", b, st.Mode().Perm(), err)
	}
}
