package harness

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"stegocloud/cluster"

	"stegocloud/harness/experiment"

	"stegocloud/harness/fault"

	"stegocloud/harness/rundir"

	"stegocloud/harness/load"

	"stegocloud/harness/record"

	"stegocloud/harness/analyze"
)

// summarize turns what a run recorded into its files: events.jsonl (merged),
// summary.json with the checker's verdict, latency.hgrm and timeseries.csv.
func summarize(e *experiment.Experiment, dir string, ns *nodeSet, rec *record.Recorder, executed []fault.Fault,
	final map[int]cluster.NodeStatus, cs cluster.ClientStats, stats load.Stats, start time.Time,
	bound time.Duration, interrupted error) (*rundir.Summary, error) {
	nodesDir := filepath.Join(dir, rundir.DirNodes)
	paths := make([]string, 0, len(ns.addrs)+1)
	for _, id := range ns.addrs.IDs() {
		paths = append(paths, filepath.Join(nodesDir, fmt.Sprintf("%d.events.jsonl", id)))
	}
	paths = append(paths, filepath.Join(nodesDir, rundir.FileHarnessEvents))
	evPath := filepath.Join(dir, rundir.FileEvents)
	evf, err := os.Create(evPath)
	if err != nil {
		return nil, err
	}
	_, torn, err := rundir.MergeEvents(evf, paths)
	if cerr := evf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}

	if err := rec.Close(); err != nil {
		return nil, err
	}
	s := &rundir.Summary{Experiment: e.Name, Run: filepath.Base(dir), Mode: e.Workload.Mode()}
	if err := rec.Summarize(s); err != nil {
		return nil, err
	}
	injected := fault.Injected(executed)
	z, err := analyze.New(analyze.Config{Start: start, Nodes: e.Cluster.Nodes, Faults: injected})
	if err != nil {
		return nil, err
	}
	f, err := os.Open(evPath)
	if err != nil {
		return nil, err
	}
	_, err = cluster.ReadEvents(f, z.Add)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("analysing %s: %w", evPath, err)
	}
	a := z.Close()
	a.Summarize(s)
	for id, st := range final {
		i := slices.IndexFunc(s.Nodes, func(n rundir.NodeSummary) bool { return n.ID == id })
		if i < 0 {
			s.Nodes = append(s.Nodes, rundir.NodeSummary{ID: id})
			i = len(s.Nodes) - 1
		}
		n := &s.Nodes[i]
		n.FinalState, n.FinalLoad = strings.ToUpper(string(st.State)), st.Load
		n.Processed, n.Coordinator = int(st.Processed), st.IsCoordinator
	}
	slices.SortFunc(s.Nodes, func(a, b rundir.NodeSummary) int { return a.ID - b.ID })

	if torn > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d torn event line(s) dropped (a node was killed mid-write)", torn))
	}
	if len(final) < len(ns.addrs) {
		s.Warnings = append(s.Warnings, fmt.Sprintf("only %d of %d nodes answered the final status request", len(final), len(ns.addrs)))
	}
	if cs.LateDuplicates > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d late duplicate responses (a request served twice, e.g. across a failover)", cs.LateDuplicates))
	}
	if cs.Invalid > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d responses failed verification and were discarded by the clients", cs.Invalid))
	}

	thresholds, err := e.Expect.Thresholds()
	if err != nil {
		return nil, err
	}
	harnessChecks := []rundir.Check{CheckAccounted(rec.Accounting(), int(stats.Requests)), CheckMetadata(rec.Accounting())}
	switch e.Cluster.Launch {
	case experiment.LaunchNoop:
		// No cluster: only what the harness itself can be judged on.
		s.Warnings = append(s.Warnings, "launch: noop — no cluster ran; a no-op target answered every request")
		s.Verdict = NewVerdict(append(harnessChecks, EvaluateThresholds(s, thresholds)...))
	case experiment.LaunchExternal:
		// The nodes' event logs are not ours: election safety cannot be
		// checked, and agreement is judged from the nodes' final status.
		s.Warnings = append(s.Warnings, "launch: external — the nodes' event logs are not available to the harness: election safety was not checked, agreement is judged from the final status requests, and failover/recovery times are not measured")
		checks := append(harnessChecks, statusAgreementCheck(final, len(ns.addrs)))
		s.Verdict = NewVerdict(append(checks, EvaluateThresholds(s, thresholds)...))
	default:
		s.Verdict = Judge(s, CheckInput{Expected: int(stats.Requests), Accounting: rec.Accounting(),
			Analysis: a, AgreementBound: bound, Thresholds: thresholds})
	}
	c := loadCompleteCheck(e, stats, interrupted)
	s.Verdict.Checks = append([]rundir.Check{c}, s.Verdict.Checks...)
	s.Verdict.Pass = s.Verdict.Pass && c.Pass

	if err := rundir.WriteJSON(filepath.Join(dir, rundir.FileSummary), s); err != nil {
		return nil, err
	}
	if err := rundir.WriteFile(filepath.Join(dir, rundir.FileLatencyHgrm), rec.WriteHgrm); err != nil {
		return nil, err
	}
	buckets, err := rec.Buckets()
	if err != nil {
		return nil, err
	}
	if err := rundir.WriteFile(filepath.Join(dir, rundir.FileTimeSeries), func(w io.Writer) error {
		return rundir.WriteTimeSeries(w, e.Cluster.Nodes, buckets)
	}); err != nil {
		return nil, err
	}
	return s, nil
}

// loadCompleteCheck says whether the load ran as planned: every planned
// request of a closed loop issued, not cut short by max_duration or Ctrl-C.
func loadCompleteCheck(e *experiment.Experiment, st load.Stats, interrupted error) rundir.Check {
	c := rundir.Check{Name: "load_complete", Pass: true}
	planned := e.Workload.TotalRequests()
	switch {
	case interrupted != nil:
		c.Pass, c.Detail = false, fmt.Sprintf("interrupted after %d requests", st.Requests)
	case st.Stopped != load.StopComplete:
		c.Pass, c.Detail = false, fmt.Sprintf("stopped by %s after %d requests", st.Stopped, st.Requests)
	case planned > 0:
		c.Pass = st.Requests == planned
		c.Detail = fmt.Sprintf("%d of %d planned requests issued", st.Requests, planned)
	default:
		c.Detail = fmt.Sprintf("%d requests issued over %v", st.Requests, e.Workload.Duration)
	}
	return c
}

// statusAgreementCheck judges agreement from the nodes' final status answers:
// every node answered, and every Active node follows the same Active node.
func statusAgreementCheck(final map[int]cluster.NodeStatus, nodes int) rundir.Check {
	c := rundir.Check{Name: "agreement"}
	coord, why := agreedCoordinator(final)
	switch {
	case len(final) < nodes:
		c.Detail = fmt.Sprintf("only %d of %d nodes answered the final status request", len(final), nodes)
	case coord == 0:
		c.Detail = "final status: " + why
	default:
		c.Pass, c.Detail = true, fmt.Sprintf("final status: every active node follows node %d", coord)
	}
	return c
}
