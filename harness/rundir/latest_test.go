package rundir_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/rundir"
)

// TestLocateFallsBackFromAnIncompleteLatest: issue 15 — after the harness
// was killed, latest named a directory without summary.json and report and
// compare failed although older complete runs existed. Locate takes the
// newest complete run instead and says why; a killed run named explicitly is
// an error that says it did not finish.
func TestLocateFallsBackFromAnIncompleteLatest(t *testing.T) {
	exp := t.TempDir()
	mk := func(name, summary string) string {
		dir := filepath.Join(exp, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{rundir.FileRunInfo, rundir.FileExperiment} {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if summary != "" {
			if err := os.WriteFile(filepath.Join(dir, rundir.FileSummary), []byte(summary), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	complete := mk("20260101-000000", `{"experiment": "x"}`)
	interrupted := mk("20260102-000000", `{"experiment": "x", "interrupted": {"cause": "interrupt signal received", "at_s": 3.9}}`)
	killed := mk("20260103-000000", "")
	point := func(target string) {
		t.Helper()
		link := filepath.Join(exp, rundir.LatestName)
		os.Remove(link)
		if err := os.Symlink(filepath.Base(target), link); err != nil {
			t.Fatal(err)
		}
	}
	same := func(a, b string) bool {
		ra, _ := filepath.EvalSymlinks(a)
		rb, _ := filepath.EvalSymlinks(b)
		return ra == rb
	}

	for _, tc := range []struct {
		name   string
		latest string
		want   string
		note   []string // "" note when nil
	}{
		{"latest names a complete run", complete, complete, nil},
		{"latest names a killed run", killed, complete, []string{"20260103-000000", "has no summary.json", "killed", "using 20260101-000000, the newest complete run"}},
		{"latest names an interrupted run", interrupted, complete, []string{"20260102-000000", "was interrupted", "using 20260101-000000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			point(tc.latest)
			got, note, err := rundir.Locate(exp)
			if err != nil || !same(got, tc.want) {
				t.Fatalf("Locate = %q, %v; want %s", got, err, tc.want)
			}
			if (note == "") != (tc.note == nil) {
				t.Errorf("note = %q, want one containing %q", note, tc.note)
			}
			for _, w := range tc.note {
				if !strings.Contains(note, w) {
					t.Errorf("note %q lacks %q", note, w)
				}
			}
		})
	}

	t.Run("a killed run named explicitly", func(t *testing.T) {
		_, _, err := rundir.Locate(killed)
		if !errors.Is(err, rundir.ErrNoSummary) || !strings.Contains(err.Error(), "did not finish") || !strings.Contains(err.Error(), "20260101-000000") {
			t.Errorf("Locate(killed run) = %v; want ErrNoSummary saying it did not finish and naming the newest complete run", err)
		}
	})
	t.Run("an interrupted run named explicitly is itself", func(t *testing.T) {
		if got, note, err := rundir.Locate(interrupted); err != nil || got != interrupted || note != "" {
			t.Errorf("Locate(interrupted run) = %q, %q, %v; want the run itself", got, note, err)
		}
	})
	t.Run("only an interrupted run", func(t *testing.T) {
		if err := os.RemoveAll(complete); err != nil {
			t.Fatal(err)
		}
		point(interrupted)
		got, note, err := rundir.Locate(exp)
		if err != nil || !same(got, interrupted) || !strings.Contains(note, "no complete run exists") {
			t.Errorf("Locate = %q, %q, %v; want the interrupted run, with a note that no complete run exists", got, note, err)
		}
	})
}

// TestLocateNamesARunSet: a repeat set or a sweep is not one run; Locate says
// which it is and where its runs are, instead of claiming the run was killed
// or reporting an older, unrelated run.
func TestLocateNamesARunSet(t *testing.T) {
	exp := t.TempDir()
	single := filepath.Join(exp, "20260101-000000")
	repeat := filepath.Join(exp, "20260102-000000")
	for _, dir := range []string{single, filepath.Join(repeat, "rep-1"), filepath.Join(repeat, "rep-2")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rundir.FileSummary), []byte(`{"experiment": "x"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sweep := filepath.Join(t.TempDir(), "20260103-000000")
	if err := os.MkdirAll(sweep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sweep, rundir.SweepIndexFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(repeat), filepath.Join(exp, rundir.LatestName)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ arg, want string }{
		{repeat, "is a repeat set (report one of its runs: " + filepath.Join(repeat, "rep-1") + " … rep-2)"},
		{exp, "which is a repeat set"},
		{sweep, "is a sweep (its report is " + filepath.Join(sweep, "sweep.md")},
	} {
		_, _, err := rundir.Locate(tc.arg)
		if !errors.Is(err, rundir.ErrNotRunDir) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Locate(%s) = %v, want ErrNotRunDir saying %q", tc.arg, err, tc.want)
		}
	}
}
