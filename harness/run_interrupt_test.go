package harness

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"stegocloud/harness/rundir"
)

var errTestInterrupt = errors.New("interrupt signal received")

// onLine calls do once, the first time a log line contains want.
type onLine struct {
	t    *testing.T
	want string
	do   func()
	once sync.Once
}

func (w *onLine) Write(p []byte) (int, error) {
	w.t.Logf("%s", p)
	if strings.Contains(string(p), w.want) {
		w.once.Do(w.do)
	}
	return len(p), nil
}

// completeRun makes dir/NAME a complete run of experiment name, the one
// latest names, as an earlier invocation would have left it.
func completeRun(t *testing.T, results, name, run string) string {
	t.Helper()
	dir := filepath.Join(results, name, run)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, rundir.FileSummary), []byte(`{"experiment": "`+name+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rundir.PointLatest(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func latestBase(t *testing.T, results, name string) string {
	t.Helper()
	target, err := os.Readlink(filepath.Join(results, name, rundir.LatestName))
	if err != nil {
		t.Fatalf("reading latest: %v", err)
	}
	return filepath.Base(target)
}

// TestRunInterruptedDuringACrash interrupts a real run (context
// cancellation, as Ctrl-C or SIGTERM does) while node 2 is down from a crash
// fault. Issue 15: the report said node 2 was ACTIVE and that "live nodes
// [1 2 3]" agreed, requests never sent counted as failed and lost, and latest
// moved to the interrupted run. Now the run says it was interrupted, node 2
// stays down and is reported down, unsent requests are only unsent, and
// latest still names the last complete run.
func TestRunInterruptedDuringACrash(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	path := filepath.Join(t.TempDir(), "crashy.yaml")
	writeFile(t, path, `
name: crashy
cluster: {nodes: 3}
faults:
  schedule: [{at: 1s, node: 2, kind: crash, for: 30s}]
workload:
  clients: 4
  rate: 50/s
  duration: 60s
  image: {width: 32, height: 32}
  images: 2
`)
	opts := testRunOptions(t)
	opts.NoFigures = true
	earlier := completeRun(t, opts.Results, "crashy", "20200101-000000")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	opts.Log = &onLine{t: t, want: "fault: node 2 crash", do: func() {
		time.AfterFunc(700*time.Millisecond, func() { cancel(errTestInterrupt) })
	}}
	began := time.Now()
	out, err := RunExperiment(ctx, path, opts)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("RunExperiment error = %v, want context.Canceled", err)
	}
	if d := time.Since(began); d > 40*time.Second {
		t.Errorf("interrupted run took %v to return", d)
	}
	assertNoChildren(t)
	if out == nil || len(out.Runs) != 1 {
		t.Fatalf("outcome = %+v, want the interrupted run recorded", out)
	}
	r := out.Runs[0]
	s := r.Summary

	in := s.Interrupted
	if in == nil || in.Cause != errTestInterrupt.Error() || in.AtS < 1 || !slices.Equal(in.Down, []rundir.NodeDown{{Node: 2, Kind: "crash"}}) {
		t.Fatalf("summary.interrupted = %+v, want the cause, a time after the crash and node 2 down (crash)", in)
	}
	if s.Verdict.Pass || s.Verdict.Checks[0].Name != "load_complete" || s.Verdict.Checks[0].Pass {
		t.Errorf("verdict %+v: want a failing load_complete in front", s.Verdict)
	}
	i := slices.IndexFunc(s.Nodes, func(n rundir.NodeSummary) bool { return n.ID == 2 })
	if i < 0 || s.Nodes[i].FinalState != "DOWN (CRASH)" || s.Nodes[i].Coordinator {
		t.Errorf("node 2 final status %+v, want DOWN (CRASH) and not coordinator", s.Nodes[i])
	}
	for _, c := range s.Verdict.Checks {
		if c.Name == "agreement" && strings.Contains(c.Detail, "[1 2 3]") {
			t.Errorf("agreement counts the crashed node as live: %s", c.Detail)
		}
		if c.Name == "accounted" && !c.Pass {
			t.Errorf("accounted: %s", c.Detail)
		}
	}
	rq := s.Requests
	if rq.Total == 0 || rq.Total != rq.OK+rq.Failed+rq.TimedOut || rq.Lost != rq.Failed+rq.TimedOut {
		t.Errorf("requests not accounted: %+v", rq)
	}
	csv, err := os.ReadFile(filepath.Join(r.Dir, rundir.FileRequestsCSV))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(csv), "not sent: load stopped"); n != rq.Unsent || strings.Count(string(csv), ",unsent,") != rq.Unsent {
		t.Errorf("requests.csv has %d requests not sent, the summary counts %d unsent: a request not sent was counted as something else", n, rq.Unsent)
	}

	// The crashed node was not restarted only to be stopped, and no
	// fault_end says it came back.
	ev, err := os.ReadFile(filepath.Join(r.Dir, "nodes", "2.events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(ev), `"type":"start"`); n != 1 {
		t.Errorf("node 2 logged %d start events, want 1 (killed, left down)", n)
	}
	merged, err := os.ReadFile(filepath.Join(r.Dir, rundir.FileEvents))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(merged), `"type":"fault_end"`) {
		t.Error("events.jsonl has a fault_end: the interrupted fault never ended")
	}

	md, err := os.ReadFile(filepath.Join(r.Dir, rundir.FileReport))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"> **Interrupted**", "(interrupt signal received)", "Node 2 was down (crash fault)", "Node 2: DOWN (CRASH) |"} {
		if !strings.Contains(string(md), w) {
			t.Errorf("report.md lacks %q", w)
		}
	}
	if got := latestBase(t, opts.Results, "crashy"); got != filepath.Base(earlier) {
		t.Errorf("latest names %s after an interrupted run, want the earlier complete run %s", got, filepath.Base(earlier))
	}
}

// TestLatestMovesOnlyToACompleteRun: latest names a run root only once it
// is complete. An interrupted run (here against no cluster, so it is quick)
// writes its summary, marked interrupted, and leaves latest alone; a
// complete run then moves it.
func TestLatestMovesOnlyToACompleteRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quick.yaml")
	writeFile(t, path, `
name: quick
cluster: {launch: noop, nodes: 1}
workload:
  clients: 2
  requests_per_client: 10000000
  max_duration: 1m
  image: {width: 24, height: 24}
  images: 1
`)
	opts := testRunOptions(t)
	opts.NoFigures = true
	earlier := completeRun(t, opts.Results, "quick", "20200101-000000")

	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(300*time.Millisecond, func() { cancel(errTestInterrupt) })
	out, err := RunExperiment(ctx, path, opts)
	if !errors.Is(err, context.Canceled) || out == nil || len(out.Runs) != 1 {
		t.Fatalf("interrupted run: %+v, %v; want one run and context.Canceled", out, err)
	}
	if s := out.Runs[0].Summary; s.Interrupted == nil || s.Interrupted.Cause != errTestInterrupt.Error() {
		t.Errorf("summary.interrupted = %+v, want the cause", s.Interrupted)
	}
	if _, err := os.Stat(filepath.Join(out.Root, rundir.FileSummary)); err != nil {
		t.Errorf("the interrupted run wrote no summary.json: %v", err)
	}
	if got := latestBase(t, opts.Results, "quick"); got != filepath.Base(earlier) {
		t.Errorf("latest names %s after an interrupted run, want %s", got, filepath.Base(earlier))
	}
	if dir, note, err := rundir.Locate(filepath.Join(opts.Results, "quick")); err != nil || note != "" || filepath.Base(dir) != filepath.Base(earlier) {
		t.Errorf("Locate(results/quick) = %s, %q, %v; want the earlier run", dir, note, err)
	}

	writeFile(t, path, `
name: quick
cluster: {launch: noop, nodes: 1}
workload: {clients: 2, requests_per_client: 50, image: {width: 24, height: 24}, images: 1}
`)
	out, err = RunExperiment(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("complete run: %v", err)
	}
	if got := latestBase(t, opts.Results, "quick"); got != filepath.Base(out.Root) {
		t.Errorf("latest names %s after a complete run, want %s", got, filepath.Base(out.Root))
	}
}
