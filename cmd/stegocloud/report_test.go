package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// reportRunDir writes a synthetic run at results/synthetic/RUN under a fresh
// directory and returns the results/synthetic directory and the run's.
func reportRunDir(t *testing.T) (expDir, runDir string) {
	t.Helper()
	expDir = filepath.Join(t.TempDir(), "results", "synthetic")
	runDir = filepath.Join(expDir, rundirtest.Default().Run)
	if err := rundirtest.Write(runDir, rundirtest.Default()); err != nil {
		t.Fatal(err)
	}
	return expDir, runDir
}

func TestReportCommand(t *testing.T) {
	expDir, runDir := reportRunDir(t)
	if err := os.Symlink(filepath.Base(runDir), filepath.Join(expDir, rundir.LatestName)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		args        []string
		wantFigures int
	}{
		{"a run directory", []string{"report", runDir}, 8},
		{"an experiment directory means its latest run", []string{"report", "--no-figures", expDir}, 0},
		{"report only", []string{"report", "--no-figures", runDir}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(filepath.Join(runDir, rundir.DirFigures))
			os.Remove(filepath.Join(runDir, rundir.FileReport))
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), tc.args, &stdout, &stderr); err != nil {
				t.Fatalf("run(%q): %v\nstderr: %s", tc.args, err, stderr.String())
			}
			report, err := os.ReadFile(filepath.Join(runDir, rundir.FileReport))
			if err != nil {
				t.Fatalf("run(%q) wrote no report: %v", tc.args, err)
			}
			if !bytes.HasPrefix(report, []byte("# Run report: synthetic / ")) {
				t.Errorf("run(%q): report.md starts %.60q", tc.args, report)
			}
			figs, _ := filepath.Glob(filepath.Join(runDir, rundir.DirFigures, "*"))
			if len(figs) != tc.wantFigures {
				t.Errorf("run(%q) left %d files in figures/, want %d: %q", tc.args, len(figs), tc.wantFigures, figs)
			}
			if out := stdout.String(); !strings.Contains(out, "report.md (verdict FAIL, ") || strings.Count(out, "wrote ") != tc.wantFigures+1 {
				t.Errorf("run(%q) stdout = %q, want one line per file written and the verdict", tc.args, out)
			}
		})
	}
}

func TestReportCommandRegeneratesIdentically(t *testing.T) {
	_, runDir := reportRunDir(t)
	var reports [2][]byte
	for i := range reports {
		if err := run(context.Background(), []string{"report", "--no-figures", runDir}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		var err error
		if reports[i], err = os.ReadFile(filepath.Join(runDir, rundir.FileReport)); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(reports[0], reports[1]) {
		t.Error("two reports of the same run differ")
	}
}

func TestReportCommandErrors(t *testing.T) {
	_, runDir := reportRunDir(t)
	empty := t.TempDir()
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantInErr string
	}{
		{"no run directory", []string{"report"}, 2, "want one run directory"},
		{"two run directories", []string{"report", runDir, runDir}, 2, "unexpected argument " + strconv.Quote(runDir)},
		{"unknown flag", []string{"report", "--pdf", runDir}, 2, "-pdf"},
		{"not a run directory", []string{"report", empty}, 1, "not a run directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.wantInErr) {
				t.Fatalf("run(%q) error = %v, want one containing %q", tc.args, err, tc.wantInErr)
			}
			if code := exitCode(err, &bytes.Buffer{}); code != tc.wantCode {
				t.Errorf("run(%q): exit code %d, want %d", tc.args, code, tc.wantCode)
			}
		})
	}
	t.Run("a broken summary is an error naming it", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(runDir, rundir.FileSummary), []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := run(context.Background(), []string{"report", runDir}, &bytes.Buffer{}, &bytes.Buffer{})
		if !errors.Is(err, rundir.ErrNoSummary) || !strings.Contains(err.Error(), rundir.FileSummary) {
			t.Errorf("report of a run with a broken summary.json: %v, want ErrNoSummary naming the file", err)
		}
	})
}

func TestReportHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"report", "--help"}, &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 0 {
		t.Fatalf("report --help: exit code %d (%v), want 0", code, err)
	}
	for _, want := range []string{"Usage: stegocloud report [--no-figures] RUN_DIR", "-no-figures", "results/NAME", "summary.json"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report --help output lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestReportFallsBackFromAKilledLatest: issue 15 — after the harness was
// killed, results/NAME/latest named a run without summary.json. `report
// results/NAME` reports the newest complete run instead and says so on
// stderr; naming the killed run itself is an error that says it did not
// finish.
func TestReportFallsBackFromAKilledLatest(t *testing.T) {
	expDir, runDir := reportRunDir(t)
	killed := filepath.Join(expDir, "29990101-000000")
	if err := os.MkdirAll(filepath.Join(killed, rundir.DirNodes), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(killed, rundir.FileExperiment), []byte("name: synthetic\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(killed), filepath.Join(expDir, rundir.LatestName)); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"report", "--no-figures", expDir}, &stdout, &stderr); err != nil {
		t.Fatalf("report results/NAME with a killed latest: %v\nstderr: %s", err, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(runDir, rundir.FileReport)); err != nil {
		t.Errorf("the newest complete run got no report: %v", err)
	}
	for _, w := range []string{"29990101-000000", "has no summary.json", "using " + filepath.Base(runDir)} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr %q lacks %q", stderr.String(), w)
		}
	}
	err := run(context.Background(), []string{"report", killed}, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, rundir.ErrNoSummary) || !strings.Contains(err.Error(), "did not finish") {
		t.Errorf("report of the killed run itself: %v, want ErrNoSummary saying it did not finish", err)
	}
}
