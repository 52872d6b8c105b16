package rundir

import (
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
