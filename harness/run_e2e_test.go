package harness

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"stegocloud/harness/rundir"
)

// TestRunSmoke runs experiments/smoke.yaml end to end: three real node
// processes, a real SIGKILL and restart, real load; then checks the run
// directory and that no node process is left behind.
func TestRunSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	opts := testRunOptions(t)
	out, err := RunExperiment(context.Background(), filepath.Join("..", "experiments", "smoke.yaml"), opts)
	requireVerdict(t, out, err)
	assertNoChildren(t)
	if len(out.Runs) != 1 {
		t.Fatalf("runs = %d, want 1", len(out.Runs))
	}
	r := out.Runs[0]
	s := r.Summary
	if s.Requests.Total < 500 || s.Requests.OK != s.Requests.Total {
		t.Errorf("requests: %+v, want ≥ 500, all ok", s.Requests)
	}
	if s.Faults.Injected != 1 || s.Faults.ByKind["crash"] != 1 {
		t.Errorf("faults: %+v, want the one scripted crash", s.Faults)
	}
	if s.Faults.RecoveryMs.N != 1 {
		t.Errorf("recovery samples = %d, want 1 (the crashed node restarted and became active)", s.Faults.RecoveryMs.N)
	}
	for _, f := range []string{rundir.FileExperiment, rundir.FileRunInfo, rundir.FileSummary, rundir.FileSchedule, rundir.FileTimeSeries, rundir.FileEvents,
		rundir.FileReport, rundir.FileLatencyHgrm, rundir.FileResultsGob, rundir.FileRequestsCSV, "nodes/1.log", "nodes/2.events.jsonl",
		"figures/latency_spectrum.png", "figures/timeline.svg"} {
		if st, err := os.Stat(filepath.Join(r.Dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
	// The run directory is reachable through latest.
	if dir, err := rundir.Resolve(filepath.Join(opts.Results, "smoke")); err != nil || filepath.Base(dir) != filepath.Base(r.Dir) {
		t.Errorf("latest resolves to %q (%v), want %s", dir, err, r.Dir)
	}
	// The crashed node really was killed and restarted: two start events.
	ev, err := os.ReadFile(filepath.Join(r.Dir, "nodes", "2.events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(ev), `"type":"start"`); n != 2 {
		t.Errorf("node 2 logged %d start events, want 2 (killed and restarted)", n)
	}
	// requests.csv has a header and one row per request.
	csv, err := os.ReadFile(filepath.Join(r.Dir, rundir.FileRequestsCSV))
	if err != nil {
		t.Fatal(err)
	}
	if rows := strings.Count(string(csv), "\n") - 1; rows != s.Requests.Total {
		t.Errorf("requests.csv has %d rows, want %d", rows, s.Requests.Total)
	}
}

// TestRunInterrupted cancels a run in the middle: RunExperiment returns
// promptly, every request issued is still accounted in the summary, and no
// node process is left behind.
func TestRunInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	path := filepath.Join(t.TempDir(), "long.yaml")
	writeFile(t, path, `
name: long
cluster: {nodes: 3}
workload:
  clients: 4
  rate: 50/s
  duration: 60s
  image: {width: 32, height: 32}
  images: 2
`)
	opts := testRunOptions(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(3*time.Second, cancel)
	began := time.Now()
	out, err := RunExperiment(ctx, path, opts)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("RunExperiment error = %v, want context.Canceled", err)
	}
	if d := time.Since(began); d > 30*time.Second {
		t.Errorf("interrupted run took %v to return", d)
	}
	assertNoChildren(t)
	if out == nil || len(out.Runs) != 1 {
		t.Fatalf("outcome = %+v, want the interrupted run recorded", out)
	}
	s := out.Runs[0].Summary
	if s.Verdict.Pass {
		t.Error("an interrupted run passed its verdict")
	}
	if s.Requests.Total == 0 || s.Requests.Total != s.Requests.OK+s.Requests.Failed+s.Requests.TimedOut {
		t.Errorf("requests not accounted: %+v", s.Requests)
	}
}

// assertNoChildren fails if this process still has a child process.
func assertNoChildren(t *testing.T) {
	t.Helper()
	me := strconv.Itoa(os.Getpid())
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may contain spaces, so cut at ')'.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[1] == me {
			t.Errorf("child process %s is still alive: %s", e.Name(), s[:min(len(s), 80)])
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.TrimLeft(content, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunNoop runs the harness against no cluster: every request accounted,
// the verdict judged on the harness's own checks only.
func TestRunNoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "noop.yaml")
	writeFile(t, path, `
name: noop
cluster: {launch: noop, nodes: 1}
workload:
  clients: 8
  requests_per_client: 1000
  image: {width: 24, height: 24}
  images: 1
expect:
  success_rate: "== 100%"
`)
	opts := testRunOptions(t)
	opts.NoFigures = true
	out, err := RunExperiment(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("RunExperiment(noop): %v", err)
	}
	s := out.Runs[0].Summary
	if s.Requests.Total != 8000 || s.Requests.OK != 8000 || !s.Verdict.Pass {
		t.Errorf("noop run: requests %+v, verdict %+v; want 8000 ok and a pass", s.Requests, s.Verdict)
	}
	for _, c := range s.Verdict.Checks {
		if c.Name == "election_safety" || c.Name == "agreement" {
			t.Errorf("noop run judged on cluster check %q", c.Name)
		}
	}
}

// TestRunRejectsFaultsTheLaunchCannotInject: validation happens before any
// process starts.
func TestRunRejectsFaultsTheLaunchCannotInject(t *testing.T) {
	for _, tc := range []struct{ name, cluster, faults, want string }{
		{"noop with faults", "{launch: noop}", "{kind: silent}", "launch: noop runs no nodes"},
		{"external crash", "{launch: external, nodes: 1, addrs: ['127.0.0.1:9']}", "{schedule: [{at: 1s, node: 1, kind: crash, for: 1s}]}", "only silent faults"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.yaml")
			writeFile(t, path, "name: x\ncluster: "+tc.cluster+"\nfaults: "+tc.faults+"\nworkload: {clients: 1, requests_per_client: 1}\n")
			_, err := RunExperiment(context.Background(), path, testRunOptions(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
