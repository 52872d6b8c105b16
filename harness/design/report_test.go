package design_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"stegocloud/harness/compare"
	"stegocloud/harness/design"
	"stegocloud/harness/internal/golden"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// stressFiles is a synthetic run of the seed's configuration (50
// clients × 200 requests, 500 ms, 3 nodes), simulated once per test binary.
var stressFiles = sync.OnceValues(func() (map[string][]byte, error) {
	o := rundirtest.Default()
	o.Name, o.Run, o.Clients, o.PerClient = "stress10k", "20260314-142300", 50, 200
	return rundirtest.Files(o)
})

// failoverFiles is a shorter synthetic run named failover.
var failoverFiles = sync.OnceValues(func() (map[string][]byte, error) {
	o := rundirtest.Default()
	o.Name, o.Run = "failover", "20260314-150000"
	return rundirtest.Files(o)
})

const balancersSpec = `name: balancers
seed: 11
cluster:
  nodes: %s
  balancer: %s
  service: {delay: 200ms, max_concurrent: 16}
faults:
  kind: silent
  every: 4s
  probability: 0.2
  down: [1500ms, 3s]
workload:
  clients: 100
  rate: 120/s
  duration: 12s
`

const scalingSpec = `name: scaling
seed: 5
cluster:
  nodes: %s
  heartbeat: 50ms
  service: {delay: 100ms, max_concurrent: 4}
faults:
  kind: crash
  schedule:
    - {at: 2s, node: coordinator, for: 1s}
    - {at: 5s, node: coordinator, for: 1s}
workload:
  clients: 60
  requests_per_client: 50
`

// writeRun writes a run directory from files, a fake figure set
// beside it, and points results/NAME/latest at it.
func writeRun(t *testing.T, results, name, run string, files map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(results, name, run)
	if err := rundirtest.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	fakeFigures(t, filepath.Join(dir, rundir.DirFigures), "latency_spectrum", "timeline", "nodes", "load")
	pointLatest(t, results, name, run)
	return dir
}

func pointLatest(t *testing.T, results, name, run string) {
	t.Helper()
	if err := os.Symlink(run, filepath.Join(results, name, rundir.LatestName)); err != nil {
		t.Fatal(err)
	}
}

// fakeFigures writes stand-in PNG files: copying does not look inside.
func fakeFigures(t *testing.T, dir string, names ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n+".png"), []byte("\x89PNG fake "+n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// resultsRoot builds a results root holding every kind of source: the two
// single runs, an interrupted openloop run, and the two sweeps.
func resultsRoot(t *testing.T) string {
	t.Helper()
	results := filepath.Join(t.TempDir(), "results")
	for _, r := range []struct {
		name, run string
		files     func() (map[string][]byte, error)
	}{{"stress10k", "20260314-142300", stressFiles}, {"failover", "20260314-150000", failoverFiles}} {
		files, err := r.files()
		if err != nil {
			t.Fatal(err)
		}
		writeRun(t, results, r.name, r.run, files)
	}
	// An interrupted run: latest points at a root without summary.json.
	if err := os.MkdirAll(filepath.Join(results, "openloop", "20260314-151500", "nodes"), 0o755); err != nil {
		t.Fatal(err)
	}
	pointLatest(t, results, "openloop", "20260314-151500")

	bal := filepath.Join(results, "balancers", "20260314-160000")
	idx := rundirtest.WriteSynthSweep(t, bal, "balancers", []string{"cluster.balancer", "cluster.nodes"},
		[][]string{{"lowest-load", "round-robin", "random", "coordinator"}, {"3", "5"}}, 6)
	writeSweepSpecs(t, bal, idx, func(v rundir.SweepVariant) string {
		return fmt.Sprintf(balancersSpec, v.Values["cluster.nodes"], v.Values["cluster.balancer"])
	})
	fakeFigures(t, filepath.Join(bal, compare.SweepFigureDir), "sweep-throughput", "sweep-p99", "sweep-success_rate")
	pointLatest(t, results, "balancers", "20260314-160000")

	sc := filepath.Join(results, "scaling", "20260314-170000")
	idx = rundirtest.WriteSynthSweep(t, sc, "scaling", []string{"cluster.nodes"}, [][]string{{"3", "5", "7", "9"}}, 6)
	writeSweepSpecs(t, sc, idx, func(v rundir.SweepVariant) string { return fmt.Sprintf(scalingSpec, v.Values["cluster.nodes"]) })
	writeScalingOverhead(t, sc, idx)
	pointLatest(t, results, "scaling", "20260314-170000")
	return results
}

// writeSweepSpecs writes every run's experiment.yaml.
func writeSweepSpecs(t *testing.T, root string, idx rundir.SweepIndex, spec func(rundir.SweepVariant) string) {
	t.Helper()
	for _, v := range idx.Variants {
		for rep := 1; rep <= v.Repeat; rep++ {
			path := filepath.Join(root, v.Path, "rep-"+strconv.Itoa(rep), rundir.FileExperiment)
			if err := os.WriteFile(path, []byte(spec(v)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// writeScalingOverhead gives the scaling runs the election and heartbeat
// messages a cluster of n would log: two coordinator losses seen by every
// peer at once, and heartbeats at 20 per second per pair.
func writeScalingOverhead(t *testing.T, root string, idx rundir.SweepIndex) {
	t.Helper()
	for _, v := range idx.Variants {
		n, _ := strconv.Atoi(v.Values["cluster.nodes"])
		for rep := 1; rep <= v.Repeat; rep++ {
			path := filepath.Join(root, v.Path, "rep-"+strconv.Itoa(rep), rundir.FileSummary)
			var s rundir.Summary
			b, err := os.ReadFile(path)
			if err == nil {
				err = json.Unmarshal(b, &s)
			}
			if err != nil {
				t.Fatal(err)
			}
			elections := 2 + 2*(n-1) + rep%2
			s.Elections = rundir.ElectionSummary{Total: elections, ByCause: map[string]int{"startup": 1, "coordinator-lost": 2 * (n - 1), "recovery": 1 + rep%2}, CoordinatorChanges: 4, MaxEpoch: 1500}
			s.Messages = rundir.MessageCounts{Election: int64(elections * 3 * (n - 1)), Heartbeat: int64(float64(n*(n-1)*20) * s.DurationS)}
			s.Messages.Total = s.Messages.Election + s.Messages.Heartbeat
			if b, err = json.Marshal(&s); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// outDir is an output directory holding sources.yaml and the benchmarks.
func outDir(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "reports")
	if err := os.MkdirAll(filepath.Join(out, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	bench, err := os.ReadFile("testdata/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, design.BenchFile), bench, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDesignReportGolden builds reports/ from synthetic results of every
// kind and compares README.md with the golden file: the tables, their
// sources and the seed's claims beside the measurements.
func TestDesignReportGolden(t *testing.T) {
	results, out := resultsRoot(t), outDir(t)
	res, err := design.Report(design.Options{Results: results, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(res.README)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "README.md.golden", readme)

	var copied, missing []string
	for _, c := range res.Collected {
		if c.Copied {
			copied = append(copied, c.Experiment)
		} else {
			missing = append(missing, c.Experiment)
		}
	}
	if want := []string{"stress10k", "failover", "balancers", "scaling"}; !slices.Equal(copied, want) {
		t.Errorf("copied %q, want %q", copied, want)
	}
	if len(missing) != 1 || missing[0] != "openloop" || !strings.Contains(res.Collected[2].Reason, "incomplete run") {
		t.Errorf("not copied: %q (%+v), want openloop, an incomplete run", missing, res.Collected[2])
	}
	for _, f := range []string{
		"data/stress10k/summary.json", "data/stress10k/run.json", "data/stress10k/experiment.yaml", "data/stress10k/schedule.json", "data/stress10k/source.json",
		"data/balancers/sweep.json", "data/balancers/balancer=random,nodes=5/rep-6/summary.json", "data/balancers/balancer=random,nodes=5/rep-6/experiment.yaml",
		"data/scaling/nodes=9/rep-1/run.json",
		"figures/stress10k/timeline.png", "figures/stress10k/load.png", "figures/failover/load.png",
		"figures/balancers/summary.png", "figures/scaling/summary.png",
	} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
	// Files a run has but the report does not keep stay out.
	for _, f := range []string{"data/stress10k/events.jsonl", "data/stress10k/timeseries.csv", "figures/balancers/sweep-p99.png", "figures/failover/nodes.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("%s was copied; the report keeps only the small files and the figures it shows", f)
		}
	}
	var src design.Source
	if b, err := os.ReadFile(filepath.Join(out, "data/balancers/source.json")); err != nil || json.Unmarshal(b, &src) != nil {
		t.Fatalf("data/balancers/source.json: %v", err)
	}
	if src.Kind != design.SourceSweep || src.Run != "20260314-160000" || !strings.HasSuffix(src.Root, "balancers/20260314-160000") {
		t.Errorf("source.json = %+v, want the sweep root it was copied from", src)
	}
}

// TestDesignReportKeepsData: without results, the README is rebuilt from the
// data already in the output directory, byte for byte; a newer run replaces
// an experiment's data whole.
func TestDesignReportKeepsData(t *testing.T) {
	results, out := resultsRoot(t), outDir(t)
	first, err := design.Report(design.Options{Results: results, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(first.README)
	again, err := design.Report(design.Options{Results: filepath.Join(t.TempDir(), "none"), Out: out})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(again.README)
	if string(got) != string(want) {
		t.Errorf("README rebuilt from the kept data differs:\n%s", golden.FirstDiff(got, want))
	}
	for _, c := range again.Collected {
		if c.Copied || (c.Experiment != "openloop") != c.Kept || c.Reason == "" {
			t.Errorf("%s: copied %v, kept %v (%s); want every experiment with data kept", c.Experiment, c.Copied, c.Kept, c.Reason)
		}
	}

	// A newer stress run without schedule.json: the old one's must not linger.
	files, err := stressFiles()
	if err != nil {
		t.Fatal(err)
	}
	newer := map[string][]byte{}
	for k, v := range files {
		if k != rundir.FileSchedule {
			newer[k] = v
		}
	}
	os.Remove(filepath.Join(results, "stress10k", rundir.LatestName))
	writeRun(t, results, "stress10k", "20260315-090000", newer)
	if _, err := design.Report(design.Options{Results: results, Out: out}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "data/stress10k", rundir.FileSchedule)); err == nil {
		t.Error("data/stress10k/schedule.json survived from the older run")
	}
	readme, _ := os.ReadFile(filepath.Join(out, design.ReadmeFile))
	if !strings.Contains(string(readme), "run 20260315-090000") {
		t.Error("README does not cite the newer stress run")
	}
}

func TestDesignPending(t *testing.T) {
	results := resultsRoot(t)
	src := design.DefaultSources()
	src.Scaling = "nosuch"
	names, reasons := design.Pending(results, src)
	if want := []string{"openloop", "nosuch"}; !slices.Equal(names, want) {
		t.Fatalf("pending = %q (%q), want %q", names, reasons, want)
	}
	if !strings.Contains(reasons[0], "incomplete run") || !strings.Contains(reasons[1], "no run yet") {
		t.Errorf("reasons = %q, want an incomplete run and no run yet", reasons)
	}
	// An interrupted run is incomplete, though it wrote its summary.json.
	sumPath := filepath.Join(results, "stress10k", "20260314-142300", rundir.FileSummary)
	b, err := os.ReadFile(sumPath)
	if err != nil {
		t.Fatal(err)
	}
	marked := strings.Replace(string(b), "{", `{"interrupted": {"cause": "interrupt signal received", "at_s": 12.5},`, 1)
	if err := os.WriteFile(sumPath, []byte(marked), 0o644); err != nil {
		t.Fatal(err)
	}
	names, reasons = design.Pending(results, design.DefaultSources())
	if i := slices.Index(names, "stress10k"); i < 0 || !strings.Contains(reasons[i], "was interrupted") {
		t.Errorf("pending = %q (%q), want stress10k, whose run was interrupted", names, reasons)
	}
	// A sweep that lost a variant's run is incomplete too.
	if err := os.RemoveAll(filepath.Join(results, "balancers", "20260314-160000", "balancer=random,nodes=3", "rep-6")); err != nil {
		t.Fatal(err)
	}
	names, reasons = design.Pending(results, design.DefaultSources())
	if !slices.Contains(names, "balancers") {
		t.Errorf("pending = %q (%q), want balancers with a variant short of its runs", names, reasons)
	}
}

// TestWriteDesignReportWithoutData: an empty output directory still gives a
// README that says what is missing, not an error.
func TestWriteDesignReportWithoutData(t *testing.T) {
	out := t.TempDir()
	d, err := design.Load(out, design.DefaultSources())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := design.WriteReadme(&b, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"No experiment has data yet", "stress10k: no run yet", "data/bench.txt is missing"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("README without data lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), out) {
		t.Errorf("README names the temporary directory %s; warnings must be relative", out)
	}
}
