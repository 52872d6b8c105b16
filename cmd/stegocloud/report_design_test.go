package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/design"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"

	"stegocloud/internal/nodecmd/nodetest"
)

// designCmdResults is a results root where only stress10k has a run; the
// sources file declares it and failover, which has none.
func designCmdResults(t *testing.T) (results, out string) {
	t.Helper()
	root := t.TempDir()
	results, out = filepath.Join(root, "results"), filepath.Join(root, "reports")
	o := rundirtest.Default()
	o.Name = "stress10k"
	if err := rundirtest.Write(filepath.Join(results, "stress10k", o.Run), o); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(o.Run, filepath.Join(results, "stress10k", rundir.LatestName)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "stress: stress10k\nfailover: failover\nopenloop: \"\"\nbalancers: \"\"\nscaling: \"\"\n"
	if err := os.WriteFile(filepath.Join(out, design.SourcesFile), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return results, out
}

func TestReportDesign(t *testing.T) {
	results, out := designCmdResults(t)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"report", "--design", "--results", results, "--out", out}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("report --design: %v\nstderr: %s", err, stderr.String())
	}
	readme, err := os.ReadFile(filepath.Join(out, design.ReadmeFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(readme, []byte("# Results and metrics, measured")) || !bytes.Contains(readme, []byte("data/stress10k/summary.json")) {
		t.Errorf("README.md starts %.80q and must cite data/stress10k/summary.json", readme)
	}
	if !strings.Contains(stdout.String(), "copied stress10k (run ") || !strings.Contains(stdout.String(), "wrote "+filepath.Join(out, "README.md")) {
		t.Errorf("stdout = %q, want the copy and the README named", stdout.String())
	}
	for _, want := range []string{"failover has no complete run", "use --run missing", "failover: no run yet"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestReportDesignList(t *testing.T) {
	results, out := designCmdResults(t)
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"report", "--design", "--list", "--results", results, "--out", out}, &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "stress10k\tcomplete run") || !strings.HasPrefix(lines[1], "failover\tneeds a run: no run yet") {
		t.Errorf("--list printed %q, want stress10k complete and failover needing a run", lines)
	}
	if _, err := os.Stat(filepath.Join(out, design.ReadmeFile)); err == nil {
		t.Error("--list wrote the README; it must only list")
	}
}

func TestReportDesignErrors(t *testing.T) {
	results, out := designCmdResults(t)
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantInErr string
	}{
		{"a run directory with --design", []string{"report", "--design", "results/x"}, 2, "--design takes no run directory"},
		{"--out without --design", []string{"report", "--out", out, "results/x"}, 2, "--out applies only with --design"},
		{"--run without --design", []string{"report", "--run", "all", "results/x"}, 2, "--run applies only with --design"},
		{"a bad --run", []string{"report", "--design", "--run", "some", "--out", out}, 2, "--run must be none, missing or all"},
		{"--no-figures with --design", []string{"report", "--design", "--no-figures"}, 2, "--no-figures applies to a run's report"},
		{"a broken sources file", []string{"report", "--design", "--results", results, "--out", out, "--sources", filepath.Join(out, "bad.yaml")}, 1, "invalid design sources"},
	}
	if err := os.WriteFile(filepath.Join(out, "bad.yaml"), []byte("stress: [a, b]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.args, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tc.wantInErr) {
				t.Fatalf("run(%q) error = %v, want one containing %q", tc.args, err, tc.wantInErr)
			}
			if code := exitCode(err, &bytes.Buffer{}); code != tc.wantCode {
				t.Errorf("run(%q): exit code %d, want %d", tc.args, code, tc.wantCode)
			}
		})
	}
}

func TestReportDesignHelp(t *testing.T) {
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"report", "--help"}, &stdout, &bytes.Buffer{})
	if code := exitCode(err, &bytes.Buffer{}); code != 0 {
		t.Fatalf("report --help: exit code %d (%v)", code, err)
	}
	for _, want := range []string{"stegocloud report --design", "-design", "-run", "-sources", "-results", "-out", "-list", "sources.yaml", "make report"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report --help lacks %q", want)
		}
	}
}

// TestReportDesignRunsMissing runs a declared experiment that has no run
// (real node processes: this test binary re-executed), reports it, and on a
// second call leaves it alone.
func TestReportDesignRunsMissing(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	t.Setenv(nodetest.Env, "1")
	dir := t.TempDir()
	exps, results, out := filepath.Join(dir, "experiments"), filepath.Join(dir, "results"), filepath.Join(dir, "reports")
	for _, d := range []string{exps, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(exps, "tiny.yaml"), []byte(`name: tiny
description: a tiny closed loop
cluster: {nodes: 3}
workload:
  clients: 4
  requests_per_client: 10
  image: {width: 32, height: 32}
  images: 2
`), 0o644); err != nil {
		t.Fatal(err)
	}
	// quota is declared but has no experiment file yet: skipped, not an error.
	src := "stress: tiny\nfailover: \"\"\nopenloop: \"\"\nbalancers: \"\"\nscaling: \"\"\nquota: quota\n"
	if err := os.WriteFile(filepath.Join(out, design.SourcesFile), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"report", "--design", "--run", "missing", "--experiments", exps, "--results", results, "--out", out}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("report --design --run missing: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "report: running "+filepath.Join(exps, "tiny.yaml")+" (no run yet") {
		t.Errorf("stderr does not say it runs tiny and why:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), filepath.Join(exps, "quota.yaml")+" does not exist; quota is not run") {
		t.Errorf("stderr does not say quota has no experiment file:\n%s", stderr.String())
	}
	readme, err := os.ReadFile(filepath.Join(out, design.ReadmeFile))
	if err != nil || !bytes.Contains(readme, []byte("| Stress test | tiny |")) || !bytes.Contains(readme, []byte("*Not run yet:* `make experiment NAME=quota`")) {
		t.Fatalf("README (%v) lacks the tiny run or quota's line:\n%s", err, readme)
	}
	stderr.Reset()
	if err := run(context.Background(), args, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "tiny has a complete run") || strings.Contains(stderr.String(), "report: running") {
		t.Errorf("second call: stderr = %q, want tiny left alone", stderr.String())
	}
}
