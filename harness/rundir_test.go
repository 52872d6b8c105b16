package harness_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"stegocloud/harness"
	"stegocloud/harness/rundirtest"
)

// syntheticFiles is the default synthetic run, simulated once per test binary.
var syntheticFiles = sync.OnceValues(func() (map[string][]byte, error) {
	return rundirtest.Files(rundirtest.Default())
})

// writeRun writes the default synthetic run into a fresh directory.
func writeRun(t testing.TB) string {
	t.Helper()
	files, err := syntheticFiles()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "synthetic", rundirtest.Default().Run)
	if err := rundirtest.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadRunComplete(t *testing.T) {
	dir := writeRun(t)
	d, err := harness.LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) > 0 {
		t.Errorf("warnings on a complete run: %q", d.Warnings)
	}
	o := rundirtest.Default()
	checks := []struct {
		what string
		ok   bool
	}{
		{"summary read", d.Summary.Requests.Total == o.Clients*o.PerClient},
		{"run.json read", d.Info != nil && d.Info.CPUs == 2},
		{"experiment.yaml kept verbatim", strings.HasPrefix(d.Spec, "name: synthetic\n")},
		{"schedule read", len(d.Schedule) == 1 && d.Schedule[0].Node == 2},
		{"three nodes", d.Nodes == 3},
		{"one-second buckets", d.BucketS == 1 && len(d.Buckets) > 20},
		{"origin is the load start", d.Origin.Equal(o.Origin)},
		{"events digested", d.Events != nil && len(d.Events.Elections) == 3 && len(d.Events.Faults) == 1},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("LoadRun(%s): %s failed", dir, c.what)
		}
	}
}

func TestLoadRunMissingFiles(t *testing.T) {
	optional := []string{harness.FileRunInfo, harness.FileExperiment, harness.FileSchedule, harness.FileTimeSeries, harness.FileEvents}
	for _, name := range optional {
		t.Run(name, func(t *testing.T) {
			dir := writeRun(t)
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
			d, err := harness.LoadRun(dir)
			if err != nil {
				t.Fatalf("LoadRun without %s: %v, want a warning only", name, err)
			}
			found := false
			for _, w := range d.Warnings {
				found = found || strings.Contains(w, name+" is missing")
			}
			if !found {
				t.Errorf("LoadRun without %s: warnings %q, want one naming the file", name, d.Warnings)
			}
		})
	}
	t.Run("summary.json", func(t *testing.T) {
		dir := writeRun(t)
		if err := os.Remove(filepath.Join(dir, harness.FileSummary)); err != nil {
			t.Fatal(err)
		}
		_, err := harness.LoadRun(dir)
		if !errors.Is(err, harness.ErrNoSummary) || !strings.Contains(err.Error(), filepath.Join(dir, harness.FileSummary)) {
			t.Errorf("LoadRun without summary.json: error %v, want ErrNoSummary naming %s", err, filepath.Join(dir, harness.FileSummary))
		}
	})
}

func TestLoadRunMalformedFiles(t *testing.T) {
	tests := []struct {
		file, content, warning string
		fatal                  bool
	}{
		{harness.FileSummary, "{not json", "", true},
		{harness.FileTimeSeries, "a,b\n1,2\n", "timeseries.csv could not be read", false},
		{harness.FileSchedule, "[{\"at\": \"soon\"}]", "schedule.json could not be read", false},
		{harness.FileEvents, "{\"t\":1,\"node\":1,\"type\":\"start\"}\nbroken\n{\"t\":2,\"node\":1,\"type\":\"stop\"}\n", "events line 2", false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			dir := writeRun(t)
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := harness.LoadRun(dir)
			if tc.fatal {
				if !errors.Is(err, harness.ErrNoSummary) {
					t.Errorf("LoadRun with %s = %q: error %v, want ErrNoSummary", tc.file, tc.content, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadRun with %s = %q: %v, want a warning only", tc.file, tc.content, err)
			}
			if !strings.Contains(strings.Join(d.Warnings, "\n"), tc.warning) {
				t.Errorf("LoadRun with %s = %q: warnings %q, want one containing %q", tc.file, tc.content, d.Warnings, tc.warning)
			}
		})
	}
}

func TestResolveRunDir(t *testing.T) {
	root := t.TempDir()
	exp := filepath.Join(root, "exp")
	older := filepath.Join(exp, "20260101-000000")
	newer := filepath.Join(exp, "20260102-000000")
	for _, dir := range []string{older, newer} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, harness.FileSummary), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	setLatest := func(t *testing.T, how, target string) {
		t.Helper()
		latest := filepath.Join(exp, harness.LatestName)
		os.Remove(latest)
		var err error
		switch how {
		case "link":
			err = os.Symlink(target, latest)
		case "file":
			err = os.WriteFile(latest, []byte(target+"\n"), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		latest  string // "", "link" or "file"
		target  string
		arg     string
		want    string
		wantErr bool
	}{
		{name: "a run directory is itself", arg: older, want: older},
		{name: "no latest: the newest run", arg: exp, want: newer},
		{name: "latest as a symlink", latest: "link", target: "20260101-000000", arg: exp, want: older},
		{name: "latest as a file naming the run", latest: "file", target: "20260101-000000", arg: exp, want: older},
		{name: "latest naming nothing", latest: "file", target: "gone", arg: exp, wantErr: true},
		{name: "not a results directory", arg: root, wantErr: true},
		{name: "does not exist", arg: filepath.Join(root, "nope"), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(exp, harness.LatestName))
			if tc.latest != "" {
				setLatest(t, tc.latest, tc.target)
			}
			got, err := harness.ResolveRunDir(tc.arg)
			if tc.wantErr {
				if !errors.Is(err, harness.ErrNotRunDir) {
					t.Errorf("ResolveRunDir(%s) = %q, %v; want ErrNotRunDir", tc.arg, got, err)
				}
				return
			}
			want, _ := filepath.EvalSymlinks(tc.want) // the temporary directory may itself sit behind a link
			if gotReal, _ := filepath.EvalSymlinks(got); err != nil || gotReal != want {
				t.Errorf("ResolveRunDir(%s) = %q, %v; want %q", tc.arg, got, err, tc.want)
			}
		})
	}
}

func TestLoadRunOrigin(t *testing.T) {
	o := rundirtest.Default()
	tests := []struct {
		name       string
		dropStart  bool // remove the summary's start time
		dropEvents bool // remove the load_start event
		want       time.Time
		warning    string
	}{
		{"the load_start event", false, false, o.Origin, ""},
		{"the summary's start without a load_start event", false, true, o.Origin, ""},
		{"the first event when nothing else says", true, true, o.Origin.Add(-2 * time.Second), "times count from the first event"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeRun(t)
			if tc.dropStart {
				rewriteFile(t, filepath.Join(dir, harness.FileSummary), func(s string) string {
					return strings.Replace(s, `"start": "`+o.Origin.Format(time.RFC3339)+`"`, `"start": "0001-01-01T00:00:00Z"`, 1)
				})
			}
			if tc.dropEvents {
				rewriteFile(t, filepath.Join(dir, harness.FileEvents), func(s string) string {
					var keep []string
					for _, l := range strings.SplitAfter(s, "\n") {
						if !strings.Contains(l, `"type":"load_start"`) {
							keep = append(keep, l)
						}
					}
					return strings.Join(keep, "")
				})
			}
			d, err := harness.LoadRun(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Origin.Equal(tc.want) {
				t.Errorf("origin = %v, want %v", d.Origin, tc.want)
			}
			joined := strings.Join(d.Warnings, "\n")
			if (tc.warning == "") != (len(d.Warnings) == 0) || !strings.Contains(joined, tc.warning) {
				t.Errorf("warnings %q, want %q", d.Warnings, tc.warning)
			}
		})
	}
}

func rewriteFile(t *testing.T, path string, edit func(string) string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(b))
	if edited == string(b) {
		t.Fatalf("editing %s changed nothing", path)
	}
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
}
