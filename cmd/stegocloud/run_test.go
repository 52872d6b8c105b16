package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/internal/nodecmd/nodetest"
)

func TestRunCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	// Nodes are this test binary re-executed with "node …" (see TestMain).
	t.Setenv(nodetest.Env, "1")
	dir := t.TempDir()
	exp := filepath.Join(dir, "tiny.yaml")
	if err := os.WriteFile(exp, []byte(`name: tiny
cluster: {nodes: 3}
workload:
  clients: 4
  requests_per_client: 25
  image: {width: 32, height: 32}
  images: 2
expect:
  success_rate: "== 100%"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"run", "--results", filepath.Join(dir, "results"), "--progress", "none", "--no-figures", exp}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "PASS  ") || !strings.Contains(stdout.String(), "100 requests, 100.00% ok") {
		t.Errorf("stdout = %q, want a PASS line for 100 requests", stdout.String())
	}
	report := filepath.Join(dir, "results", "tiny", "latest", "report.md")
	if b, err := os.ReadFile(report); err != nil || !strings.Contains(string(b), "**Verdict: PASS**") {
		t.Errorf("report %s: %v, want a passing verdict", report, err)
	}
}

func TestRunCommandErrors(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "results")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: bad\nworkload: {clients: 0, requests_per_client: 1}\nbogus: 1\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no experiment", []string{"run"}, 2, "want one experiment"},
		{"bad progress", []string{"run", "--progress", "fancy", bad}, 2, "--progress must be"},
		{"missing file", []string{"run", "--results", res, filepath.Join(dir, "nope.yaml")}, 1, "nope.yaml"},
		{"invalid file names line and field", []string{"run", "--results", res, bad}, 1, "bad.yaml:2: workload.clients"},
		{"unknown key", []string{"run", "--results", res, bad}, 1, "bogus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			var msg bytes.Buffer
			code := exitCode(err, &msg)
			if code != tc.code || !strings.Contains(msg.String(), tc.want) {
				t.Errorf("run %v: exit %d, message %q; want exit %d and %q", tc.args, code, msg.String(), tc.code, tc.want)
			}
			if _, err := os.Stat(res); err == nil {
				t.Errorf("a failed validation created a results directory")
			}
		})
	}
}

func TestRunHelpDocumentsTheExperimentFile(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(context.Background(), []string{"run", "--help"}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("run --help: exit %d", code)
	}
	for _, want := range []string{"Usage: stegocloud run", "workload.requests_per_client", "faults.kind", "matrix", "expect"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("run --help lacks %q", want)
		}
	}
}
