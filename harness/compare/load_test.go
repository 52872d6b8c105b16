package compare

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/rundirtest"
)

func TestLoadRunSet(t *testing.T) {
	root := t.TempDir()
	mk := func(rel string, reps int) string {
		dir := filepath.Join(root, rel)
		rundirtest.BaseSynth(7).WriteRunSet(t, dir, reps)
		return dir
	}
	write := func(rel, content string) {
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	single := mk("exp/20260102-030405", 1)
	repeat := mk("exp/20260102-040506", 3)
	if err := os.Symlink("20260102-040506", filepath.Join(root, "exp", "latest")); err != nil {
		t.Fatal(err)
	}
	mk("plain/latest", 1) // a latest that is a directory, not a link
	mk("mixed", 2)
	write("mixed/summary.json", `{"experiment": "stress"}`)
	mk("gap", 3)
	if err := os.Rename(filepath.Join(root, "gap/rep-2"), filepath.Join(root, "gap/rep-4")); err != nil {
		t.Fatal(err)
	}
	mk("unfinished", 2)
	if err := os.MkdirAll(filepath.Join(root, "unfinished/rep-3"), 0o755); err != nil {
		t.Fatal(err)
	}
	mk("twoexps", 2)
	other := rundirtest.BaseSynth(8)
	other.Experiment = "other"
	other.WriteRunSet(t, filepath.Join(root, "twoexps/rep-2"), 1)
	write("empty/notes.txt", "nothing here")
	write("afile", "x")
	write("badjson/summary.json", `{"experiment": `)
	write("zero/summary.json", `{}`)
	write("badrate/summary.json", `{"experiment": "x", "success_rate": 1.5}`)
	mk("badinfo", 1)
	write("badinfo/run.json", `[`)
	mk("noinfo", 1)
	os.Remove(filepath.Join(root, "noinfo/run.json"))
	write("sweep/sweep.json", `{}`)

	tests := []struct {
		name    string
		dir     string
		runs    int
		label   string
		realDir string // the set's Dir, when not the dir given
		err     error
		errText string
	}{
		{name: "single run", dir: single, runs: 1, label: "exp/20260102-030405"},
		{name: "repeat set", dir: repeat, runs: 3, label: "exp/20260102-040506"},
		{name: "experiment dir follows latest", dir: filepath.Join(root, "exp"), runs: 3, label: "exp/20260102-040506", realDir: repeat},
		{name: "latest as a plain directory", dir: filepath.Join(root, "plain"), runs: 1, label: "latest", realDir: filepath.Join(root, "plain", "latest")},
		{name: "a rep alone is a single run", dir: filepath.Join(repeat, "rep-2"), runs: 1, label: "20260102-040506/rep-2"},
		{name: "run.json is optional", dir: filepath.Join(root, "noinfo"), runs: 1, label: "noinfo"},
		{name: "missing", dir: filepath.Join(root, "nope"), err: fs.ErrNotExist},
		{name: "a file", dir: filepath.Join(root, "afile"), err: ErrNotRunSet, errText: "it is a file"},
		{name: "no runs in it", dir: filepath.Join(root, "empty"), err: ErrNotRunSet, errText: "no summary.json"},
		{name: "a sweep", dir: filepath.Join(root, "sweep"), err: ErrNotRunSet, errText: "variant directories"},
		{name: "summary next to reps", dir: filepath.Join(root, "mixed"), err: ErrMixedRunSet, errText: "not both"},
		{name: "gap in reps", dir: filepath.Join(root, "gap"), err: ErrMixedRunSet, errText: "without gaps"},
		{name: "rep without summary", dir: filepath.Join(root, "unfinished"), err: ErrMixedRunSet, errText: "rep-3 has no summary.json"},
		{name: "reps of two experiments", dir: filepath.Join(root, "twoexps"), err: ErrMixedRunSet, errText: `"other"`},
		{name: "truncated summary", dir: filepath.Join(root, "badjson"), err: ErrRunSetFile},
		{name: "empty summary", dir: filepath.Join(root, "zero"), err: ErrRunSetFile, errText: "no experiment name"},
		{name: "impossible summary", dir: filepath.Join(root, "badrate"), err: ErrRunSetFile, errText: "outside 0..1"},
		{name: "broken run.json", dir: filepath.Join(root, "badinfo"), err: ErrRunSetFile, errText: "run.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := LoadRunSet(tt.dir)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.Contains(fmtErr(err), tt.errText) || !strings.Contains(fmtErr(err), tt.dir) {
					t.Fatalf("LoadRunSet(%s) error = %v, want %v containing %q and the directory", tt.dir, err, tt.err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadRunSet(%s): %v", tt.dir, err)
			}
			if len(set.Runs) != tt.runs || set.Label != tt.label {
				t.Errorf("LoadRunSet(%s) = %d runs labelled %q, want %d labelled %q", tt.dir, len(set.Runs), set.Label, tt.runs, tt.label)
			}
			want := tt.dir
			if tt.realDir != "" {
				want = tt.realDir
			}
			if set.Dir != want {
				t.Errorf("LoadRunSet(%s).Dir = %s, want %s", tt.dir, set.Dir, want)
			}
			for i, r := range set.Runs {
				if r.Summary.Experiment != "stress" || r.Summary.Histograms["all"] == "" {
					t.Errorf("run %d of %s: summary not read back: experiment %q", i, tt.dir, r.Summary.Experiment)
				}
			}
		})
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// A set written and read back compares exactly like the set in memory: the
// JSON round trip loses nothing the comparison uses.
func TestLoadRunSetRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exp", "20260102-030405")
	s := rundirtest.BaseSynth(9)
	s.WriteRunSet(t, dir, 4)
	loaded, err := LoadRunSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	mem := synthRunSet(t, s, dir, 4)
	for i, row := range New([]*RunSet{mem, loaded}).Rows {
		if d := row.Deltas[1]; d.Verdict == DeltaMissing || d.Diff != 0 {
			t.Errorf("row %d (%s): loaded set differs from the one written: verdict %d, diff %v", i, row.Metric.Key, d.Verdict, d.Diff)
		}
	}
	if loaded.Runs[0].Info == nil || loaded.Runs[0].Info.Commit != mem.Runs[0].Info.Commit {
		t.Errorf("run.json not read back: %+v", loaded.Runs[0].Info)
	}
}
