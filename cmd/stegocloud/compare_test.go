package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stegocloud/harness/compare"
	"stegocloud/harness/load"
	"stegocloud/harness/record"
	"stegocloud/harness/rundir"
)

// compareTestRun writes one run's summary.json as the harness makes it: 500
// seeded results, latencies around baseMs, fed through the real recorder.
func compareTestRun(t *testing.T, dir string, seed uint64, baseMs float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rec, err := record.New(record.Config{Start: t0, Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
		lat := time.Duration((baseMs + 30*rng.ExpFloat64()) * float64(time.Millisecond))
		rec.Add(load.Result{Seq: uint64(i), Intended: at, Start: at, Latency: lat, Outcome: load.OK,
			Node: 1 + i%3, Attempts: 1, Verified: true})
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	sum := rundir.Summary{Experiment: "cli", Run: filepath.Base(dir), Mode: "closed"}
	if err := rec.Summarize(&sum); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := rundir.WriteJSON(filepath.Join(dir, rundir.FileSummary), sum); err != nil {
		t.Fatal(err)
	}
}

func compareTestDirs(t *testing.T) (root, a, b string) {
	root = t.TempDir()
	a, b = filepath.Join(root, "fast", "20260102-030405"), filepath.Join(root, "slow", "20260102-030405")
	compareTestRun(t, a, 1, 500)
	compareTestRun(t, b, 2, 600)
	return root, a, b
}

func TestCompareCommand(t *testing.T) {
	root, a, b := compareTestDirs(t)
	for i := 1; i <= 2; i++ {
		compareTestRun(t, filepath.Join(root, "mixed", fmt.Sprintf("rep-%d", i)), uint64(10+i), 500)
	}
	compareTestRun(t, filepath.Join(root, "mixed"), 13, 500)
	if err := os.MkdirAll(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(root, "nope")
	tests := []struct {
		name    string
		args    []string
		err     error  // errors.Is target, if any
		usage   bool   // a usage error (exit code 2)
		errText string // the error must contain it
		stdout  []string
	}{
		{name: "help", args: []string{"--help"}, err: errHelp, stdout: []string{"Usage: stegocloud compare", "-out file", "rep-1/", "results/NAME"}},
		{name: "two single runs", args: []string{a, b}, stdout: []string{"| A | fast/20260102-030405 | 1 |", "| B vs A |", "| latency p50 (ms) | lower |", "worse"}},
		{name: "one dir", args: []string{a}, usage: true, errText: "need at least two"},
		{name: "flag after dirs", args: []string{a, b, "--out", "x.md"}, usage: true, errText: `unexpected arguments "--out" "x.md"`},
		{name: "unknown flag", args: []string{"--bogus", a, b}, usage: true, errText: "bogus"},
		{name: "missing dir", args: []string{a, missing}, errText: missing},
		{name: "not a run set", args: []string{a, filepath.Join(root, "empty")}, err: compare.ErrNotRunSet, errText: "empty"},
		{name: "mixed repeats", args: []string{filepath.Join(root, "mixed"), a}, err: compare.ErrMixedRunSet, errText: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"compare"}, tt.args...), &stdout, &stderr)
			var ue *usageError
			switch {
			case tt.err != nil && !errors.Is(err, tt.err):
				t.Fatalf("compare %q: err %v, want %v", tt.args, err, tt.err)
			case tt.usage && !errors.As(err, &ue):
				t.Fatalf("compare %q: err %v, want a usage error", tt.args, err)
			case tt.errText == "" && tt.err == nil && err != nil:
				t.Fatalf("compare %q: %v", tt.args, err)
			case tt.errText != "" && (err == nil || !strings.Contains(err.Error(), tt.errText)):
				t.Fatalf("compare %q: err %v, want it to contain %q", tt.args, err, tt.errText)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("compare %q: stdout lacks %q:\n%s", tt.args, want, stdout.String())
				}
			}
		})
	}
}

func TestCompareCommandOut(t *testing.T) {
	root, a, b := compareTestDirs(t)
	out := filepath.Join(root, "reports", "fast-vs-slow.md")
	var stdout, stderr bytes.Buffer
	// results/NAME stands for its latest run.
	if err := os.Symlink("20260102-030405", filepath.Join(root, "fast", "latest")); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"compare", "--out", out, filepath.Join(root, "fast"), b}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("compare --out: %v (stderr %s)", err, stderr.String())
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("reading %s: %v", out, err)
	}
	if !strings.HasPrefix(string(md), stdout.String()[:200]) || !strings.Contains(string(md), "## Figures") {
		t.Errorf("%s does not hold the printed table followed by figures:\n%s", out, md)
	}
	if strings.Contains(stdout.String(), "## Figures") {
		t.Errorf("stdout links figures it did not write:\n%s", stdout.String())
	}
	if !strings.Contains(string(md), a) {
		t.Errorf("%s does not name the latest run %s it compared:\n%s", out, a, md)
	}
	for _, f := range []string{"fast-vs-slow-spectrum.png", "fast-vs-slow-spectrum.svg", "fast-vs-slow-metrics.png", "fast-vs-slow-metrics.svg"} {
		fi, err := os.Stat(filepath.Join(root, "reports", f))
		if err != nil || fi.Size() == 0 {
			t.Errorf("figure %s: %v, size %d; want a file beside the report", f, err, sizeOf(fi))
		}
		if !strings.HasSuffix(f, ".svg") && !strings.Contains(string(md), "]("+f+")") {
			t.Errorf("%s does not link %s", out, f)
		}
	}
	if !strings.Contains(stderr.String(), "wrote "+out) {
		t.Errorf("stderr does not say what was written: %q", stderr.String())
	}
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.Size()
}

func TestHelpListsCompare(t *testing.T) {
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "compare") {
		t.Errorf("stegocloud --help does not list compare:\n%s", stdout.String())
	}
}

// TestCompareFallsBackFromAKilledLatest: issue 15 — `compare results/NAME …`
// failed when latest named a run the harness was killed in. It compares the
// newest complete run set instead and says so on stderr.
func TestCompareFallsBackFromAKilledLatest(t *testing.T) {
	root, _, b := compareTestDirs(t)
	killed := filepath.Join(root, "fast", "29990101-000000")
	if err := os.MkdirAll(filepath.Join(killed, "nodes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(killed), filepath.Join(root, "fast", "latest")); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"compare", filepath.Join(root, "fast"), b}, &stdout, &stderr); err != nil {
		t.Fatalf("compare with a killed latest: %v", err)
	}
	for _, w := range []string{"29990101-000000", "has no summary.json", "compared 20260102-030405, the newest complete run set"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr %q lacks %q", stderr.String(), w)
		}
	}
	if !strings.Contains(stdout.String(), "fast/20260102-030405") {
		t.Errorf("the table does not name the run compared:\n%s", stdout.String())
	}
}
