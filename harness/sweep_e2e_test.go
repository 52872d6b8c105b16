package harness

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/compare"
	"stegocloud/harness/design"
	"stegocloud/harness/rundir"
)

// TestRunSmallSweep runs a tiny matrix experiment end to end — two variants,
// real node processes, real load — and checks what a sweep leaves behind:
// sweep.json naming both variants, sweep.md with a row per variant and its
// figures, and each variant's run directory with its own experiment.yaml.
// Then the design report's collector takes the sweep as a complete source.
func TestRunSmallSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	path := filepath.Join(t.TempDir(), "tinysweep.yaml")
	writeFile(t, path, `
name: tinysweep
description: two balancers, two seconds each
seed: 9
cluster: {nodes: 2}
workload:
  clients: 4
  rate: 20/s
  duration: 2s
  max_duration: 20s
  image: {width: 32, height: 32}
  images: 2
matrix:
  cluster.balancer: [round-robin, coordinator]
`)
	opts := testRunOptions(t)
	opts.NoFigures = true // run figures are TestRunSmoke's; the sweep's are drawn regardless
	out, err := RunExperiment(context.Background(), path, opts)
	requireVerdict(t, out, err)
	assertNoChildren(t)
	if len(out.Runs) != 2 {
		t.Fatalf("runs = %d, want one per variant", len(out.Runs))
	}

	idx, err := rundir.LoadSweepIndex(out.Root)
	if err != nil {
		t.Fatal(err)
	}
	labels := []string{"balancer=round-robin", "balancer=coordinator"}
	if idx.Experiment != "tinysweep" || len(idx.Fields) != 1 || idx.Fields[0] != "cluster.balancer" || len(idx.Variants) != 2 {
		t.Fatalf("sweep.json = %+v, want tinysweep over cluster.balancer with 2 variants", idx)
	}
	for i, v := range idx.Variants {
		if v.Label != labels[i] || v.Repeat != 1 {
			t.Errorf("variant %d = %+v, want %s, 1 run", i, v, labels[i])
		}
		dir := filepath.Join(out.Root, v.Path)
		for _, f := range []string{rundir.FileSummary, rundir.FileRunInfo, rundir.FileExperiment, rundir.FileReport} {
			if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
				t.Errorf("%s/%s: missing or empty (%v)", v.Path, f, err)
			}
		}
		spec, err := os.ReadFile(filepath.Join(dir, rundir.FileExperiment))
		if err != nil || !strings.Contains(string(spec), "balancer: "+v.Values["cluster.balancer"]) {
			t.Errorf("%s/experiment.yaml does not set its variant's balancer (%v):\n%s", v.Path, err, spec)
		}
		s := out.Runs[i].Summary
		if s.Requests.Total < 30 || s.Requests.OK != s.Requests.Total {
			t.Errorf("%s: requests %+v, want ≥ 30, all ok", v.Label, s.Requests)
		}
	}
	// The coordinator balancer serves everything on one node: the spread
	// tells the two variants apart.
	if rr, co := out.Runs[0].Summary.Balance.MaxMinRatio, out.Runs[1].Summary.Balance.MaxMinRatio; rr == 0 || co != 0 {
		t.Errorf("max/min share: round-robin %v, coordinator %v; want both nodes serving under round-robin and one idle under coordinator", rr, co)
	}

	md, err := os.ReadFile(filepath.Join(out.Root, compare.SweepMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range append(labels, "# Sweep: tinysweep", "](figures/sweep-throughput.png)") {
		if !strings.Contains(string(md), want) {
			t.Errorf("sweep.md lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(out.Root, compare.SweepFigureDir, "sweep-p99.png")); err != nil {
		t.Errorf("sweep figure: %v", err)
	}

	src := design.Sources{Balancers: "tinysweep", Bench: design.BenchFile}
	if names, reasons := design.Pending(opts.Results, src); len(names) != 0 {
		t.Errorf("Pending = %q (%q), want the finished sweep complete", names, reasons)
	}
	rep := t.TempDir()
	got, err := design.Collect(opts.Results, rep, src)
	if err != nil || len(got) != 1 || !got[0].Copied || got[0].Source.Kind != design.SourceSweep {
		t.Fatalf("Collect = %+v, %v; want the sweep copied", got, err)
	}
	for _, f := range []string{"data/tinysweep/sweep.json", "data/tinysweep/balancer=coordinator/summary.json"} {
		if _, err := os.Stat(filepath.Join(rep, f)); err != nil {
			t.Errorf("collected %s: %v", f, err)
		}
	}
}
