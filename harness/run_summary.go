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
	"stegocloud/harness/analyze"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/load"
	"stegocloud/harness/record"
	"stegocloud/harness/rundir"

	"stegocloud/harness/check"
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
	harnessChecks := []rundir.Check{check.Accounted(rec.Accounting(), int(stats.Requests)), check.Metadata(rec.Accounting())}
	switch e.Cluster.Launch {
	case experiment.LaunchNoop:
		// No cluster: only what the harness itself can be judged on.
		s.Warnings = append(s.Warnings, "launch: noop — no cluster ran; a no-op target answered every request")
		s.Verdict = check.NewVerdict(append(harnessChecks, check.Thresholds(s, thresholds)...))
	case experiment.LaunchExternal:
		// The nodes' event logs are not ours: election safety cannot be
		// checked, and agreement is judged from the nodes' final status.
		s.Warnings = append(s.Warnings, "launch: external — the nodes' event logs are not available to the harness: election safety was not checked, agreement is judged from the final status requests, and failover/recovery times are not measured")
		checks := append(harnessChecks, check.StatusAgreement(final, len(ns.addrs)))
		s.Verdict = check.NewVerdict(append(checks, check.Thresholds(s, thresholds)...))
	default:
		s.Verdict = check.Judge(s, check.Input{Expected: int(stats.Requests), Accounting: rec.Accounting(),
			Analysis: a, AgreementBound: bound, Thresholds: thresholds})
	}
	c := check.LoadComplete(e, stats, interrupted)
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
