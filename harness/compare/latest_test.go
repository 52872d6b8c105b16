package compare

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// TestLoadRunSetFallsBackFromAnIncompleteLatest: issue 15 — after the
// harness was killed, results/NAME/latest named a run without summary.json
// and `compare results/NAME …` failed although older complete runs existed.
// The newest complete run set is compared instead, with a Note saying why;
// an interrupted run is passed over the same way, and warned about when it
// is compared by name.
func TestLoadRunSetFallsBackFromAnIncompleteLatest(t *testing.T) {
	exp := t.TempDir()
	older := filepath.Join(exp, "20260101-000000")
	rundirtest.BaseSynth(7).WriteRunSet(t, older, 1)
	repeat := filepath.Join(exp, "20260102-000000")
	rundirtest.BaseSynth(8).WriteRunSet(t, repeat, 2)
	interrupted := filepath.Join(exp, "20260103-000000")
	rundirtest.BaseSynth(9).WriteRunSet(t, interrupted, 1)
	markInterrupted(t, interrupted)
	killed := filepath.Join(exp, "20260104-000000")
	if err := os.MkdirAll(filepath.Join(killed, "nodes"), 0o755); err != nil {
		t.Fatal(err)
	}
	point := func(target string) {
		t.Helper()
		link := filepath.Join(exp, rundir.LatestName)
		os.Remove(link)
		if err := os.Symlink(filepath.Base(target), link); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		latest string
		note   []string
	}{
		{"killed", killed, []string{"20260104-000000", "has no summary.json", "compared 20260102-000000, the newest complete run set"}},
		{"interrupted", interrupted, []string{"20260103-000000", "was interrupted", "compared 20260102-000000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			point(tc.latest)
			set, err := LoadRunSet(exp)
			if err != nil {
				t.Fatalf("LoadRunSet(results/NAME with latest → %s run): %v", tc.name, err)
			}
			if filepath.Base(set.Dir) != "20260102-000000" || len(set.Runs) != 2 {
				t.Errorf("read %s (%d runs), want the repeat set 20260102-000000", set.Dir, len(set.Runs))
			}
			for _, w := range tc.note {
				if !strings.Contains(set.Note, w) {
					t.Errorf("note %q lacks %q", set.Note, w)
				}
			}
		})
	}
	t.Run("complete", func(t *testing.T) {
		point(older)
		set, err := LoadRunSet(exp)
		if err != nil || set.Note != "" || filepath.Base(set.Dir) != "20260101-000000" {
			t.Errorf("LoadRunSet = %+v, %v; want latest's run and no note", set, err)
		}
	})
	t.Run("an interrupted run by name is compared with a warning", func(t *testing.T) {
		a, err := LoadRunSet(interrupted)
		if err != nil {
			t.Fatal(err)
		}
		b, err := LoadRunSet(older)
		if err != nil {
			t.Fatal(err)
		}
		c := New([]*RunSet{b, a})
		if !strings.Contains(strings.Join(c.Warnings, "\n"), "set B, "+interrupted+": interrupted 3.9 s after the load start (interrupt signal received)") {
			t.Errorf("warnings %q do not say set B was interrupted", c.Warnings)
		}
	})
	t.Run("nothing complete", func(t *testing.T) {
		for _, d := range []string{older, repeat, interrupted} {
			if err := os.RemoveAll(d); err != nil {
				t.Fatal(err)
			}
		}
		point(killed)
		if _, err := LoadRunSet(exp); err == nil || !strings.Contains(err.Error(), "no other run set") {
			t.Errorf("LoadRunSet with only a killed run: %v, want an error saying no run set is complete", err)
		}
	})
}

// markInterrupted rewrites dir's summary.json as an interrupted run's.
func markInterrupted(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, rundir.FileSummary)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	s.Interrupted = &rundir.Interruption{Cause: "interrupt signal received", AtS: 3.9}
	if err := rundir.WriteJSON(path, s); err != nil {
		t.Fatal(err)
	}
}
