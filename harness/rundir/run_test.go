package rundir_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

func TestLoadRunComplete(t *testing.T) {
	dir := rundirtest.WriteDefault(t)
	d, err := rundir.Load(dir)
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
			t.Errorf("Load(%s): %s failed", dir, c.what)
		}
	}
}

func TestLoadRunMissingFiles(t *testing.T) {
	optional := []string{rundir.FileRunInfo, rundir.FileExperiment, rundir.FileSchedule, rundir.FileTimeSeries, rundir.FileEvents}
	for _, name := range optional {
		t.Run(name, func(t *testing.T) {
			dir := rundirtest.WriteDefault(t)
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
			d, err := rundir.Load(dir)
			if err != nil {
				t.Fatalf("Load without %s: %v, want a warning only", name, err)
			}
			found := false
			for _, w := range d.Warnings {
				found = found || strings.Contains(w, name+" is missing")
			}
			if !found {
				t.Errorf("Load without %s: warnings %q, want one naming the file", name, d.Warnings)
			}
		})
	}
	t.Run("summary.json", func(t *testing.T) {
		dir := rundirtest.WriteDefault(t)
		if err := os.Remove(filepath.Join(dir, rundir.FileSummary)); err != nil {
			t.Fatal(err)
		}
		_, err := rundir.Load(dir)
		if !errors.Is(err, rundir.ErrNoSummary) || !strings.Contains(err.Error(), filepath.Join(dir, rundir.FileSummary)) {
			t.Errorf("Load without summary.json: error %v, want ErrNoSummary naming %s", err, filepath.Join(dir, rundir.FileSummary))
		}
	})
}

func TestLoadRunMalformedFiles(t *testing.T) {
	tests := []struct {
		file, content, warning string
		fatal                  bool
	}{
		{rundir.FileSummary, "{not json", "", true},
		{rundir.FileTimeSeries, "a,b\n1,2\n", "timeseries.csv could not be read", false},
		{rundir.FileSchedule, "[{\"at\": \"soon\"}]", "schedule.json could not be read", false},
		{rundir.FileEvents, "{\"t\":1,\"node\":1,\"type\":\"start\"}\nbroken\n{\"t\":2,\"node\":1,\"type\":\"stop\"}\n", "events line 2", false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			dir := rundirtest.WriteDefault(t)
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := rundir.Load(dir)
			if tc.fatal {
				if !errors.Is(err, rundir.ErrNoSummary) {
					t.Errorf("Load with %s = %q: error %v, want ErrNoSummary", tc.file, tc.content, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load with %s = %q: %v, want a warning only", tc.file, tc.content, err)
			}
			if !strings.Contains(strings.Join(d.Warnings, "\n"), tc.warning) {
				t.Errorf("Load with %s = %q: warnings %q, want one containing %q", tc.file, tc.content, d.Warnings, tc.warning)
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
		if err := os.WriteFile(filepath.Join(dir, rundir.FileSummary), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	setLatest := func(t *testing.T, how, target string) {
		t.Helper()
		latest := filepath.Join(exp, rundir.LatestName)
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
		{name: "latest naming nothing: the newest run", latest: "file", target: "gone", arg: exp, want: newer},
		{name: "not a results directory", arg: root, wantErr: true},
		{name: "does not exist", arg: filepath.Join(root, "nope"), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(exp, rundir.LatestName))
			if tc.latest != "" {
				setLatest(t, tc.latest, tc.target)
			}
			got, err := rundir.Resolve(tc.arg)
			if tc.wantErr {
				if !errors.Is(err, rundir.ErrNotRunDir) {
					t.Errorf("Resolve(%s) = %q, %v; want ErrNotRunDir", tc.arg, got, err)
				}
				return
			}
			want, _ := filepath.EvalSymlinks(tc.want) // the temporary directory may itself sit behind a link
			if gotReal, _ := filepath.EvalSymlinks(got); err != nil || gotReal != want {
				t.Errorf("Resolve(%s) = %q, %v; want %q", tc.arg, got, err, tc.want)
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
			dir := rundirtest.WriteDefault(t)
			if tc.dropStart {
				rewriteFile(t, filepath.Join(dir, rundir.FileSummary), func(s string) string {
					return strings.Replace(s, `"start": "`+o.Origin.Format(time.RFC3339)+`"`, `"start": "0001-01-01T00:00:00Z"`, 1)
				})
			}
			if tc.dropEvents {
				rewriteFile(t, filepath.Join(dir, rundir.FileEvents), func(s string) string {
					var keep []string
					for _, l := range strings.SplitAfter(s, "\n") {
						if !strings.Contains(l, `"type":"load_start"`) {
							keep = append(keep, l)
						}
					}
					return strings.Join(keep, "")
				})
			}
			d, err := rundir.Load(dir)
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
