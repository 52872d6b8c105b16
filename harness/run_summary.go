package harness

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stegocloud/cluster"
	"stegocloud/harness/analyze"
	"stegocloud/harness/check"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/rundir"
)

// summarize turns what a run recorded into its files: events.jsonl (merged),
// summary.json with the checker's verdict, latency.hgrm and timeseries.csv.
// It reads events.jsonl once, for the analysis, and returns the digest of it
// that the analysis made, for the report.
func (r *run) summarize() (*rundir.Summary, *rundir.EventDigest, error) {
	torn, err := r.mergeEvents()
	if err != nil {
		return nil, nil, err
	}
	if err := r.rec.Close(); err != nil {
		return nil, nil, err
	}
	s := &rundir.Summary{Experiment: r.e.Name, Run: filepath.Base(r.dir), Mode: r.e.Workload.Mode()}
	if err := r.rec.Summarize(s); err != nil {
		return nil, nil, err
	}
	a, err := r.analyse()
	if err != nil {
		return nil, nil, err
	}
	a.Summarize(s)
	s.Proxies = r.proxies
	r.addFinalStatus(s)
	r.addInterruption(s)
	r.addWarnings(s, torn)
	if err := r.judge(s, a); err != nil {
		return nil, nil, err
	}
	if err := r.writeFiles(s); err != nil {
		return nil, nil, err
	}
	return s, a.Log, nil
}

// mergeEvents writes events.jsonl: every node's events and the harness's, in
// time order; it returns how many torn lines it dropped.
func (r *run) mergeEvents() (torn int, err error) {
	nodesDir := filepath.Join(r.dir, rundir.DirNodes)
	paths := make([]string, 0, len(r.nodes.addrs)+1)
	for _, id := range r.nodes.addrs.IDs() {
		paths = append(paths, filepath.Join(nodesDir, fmt.Sprintf("%d.events.jsonl", id)))
	}
	paths = append(paths, filepath.Join(nodesDir, rundir.FileHarnessEvents))
	evf, err := os.Create(filepath.Join(r.dir, rundir.FileEvents))
	if err != nil {
		return 0, err
	}
	_, torn, err = rundir.MergeEvents(evf, paths)
	if cerr := evf.Close(); err == nil {
		err = cerr
	}
	return torn, err
}

// analyse reads events.jsonl into the run's analysis (and its digest).
func (r *run) analyse() (*analyze.Analysis, error) {
	z, err := analyze.New(analyze.Config{Start: r.start, Nodes: r.e.Cluster.Nodes, Faults: fault.Injected(r.executed)})
	if err != nil {
		return nil, err
	}
	evPath := filepath.Join(r.dir, rundir.FileEvents)
	f, err := os.Open(evPath)
	if err != nil {
		return nil, err
	}
	skipped, err := cluster.ReadEvents(f, z.Add)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("analysing %s: %w", evPath, err)
	}
	a := z.Close()
	a.Log.Skipped = skipped
	return a, nil
}

// addFinalStatus merges what each node answered at the end into s.Nodes.
func (r *run) addFinalStatus(s *rundir.Summary) {
	for id, st := range r.final {
		i := slices.IndexFunc(s.Nodes, func(n rundir.NodeSummary) bool { return n.ID == id })
		if i < 0 {
			s.Nodes = append(s.Nodes, rundir.NodeSummary{ID: id})
			i = len(s.Nodes) - 1
		}
		n := &s.Nodes[i]
		n.FinalState, n.FinalLoad = strings.ToUpper(string(st.State)), st.Load
		n.Processed, n.Coordinator = int(st.Processed), st.IsCoordinator
	}
	// A node an interrupted fault left down could not answer (killed,
	// stopped): what its log last said (Active, coordinator) is not its
	// state at the end. A silent node answers for itself (FAILED).
	for _, f := range r.leftDown {
		i := slices.IndexFunc(s.Nodes, func(n rundir.NodeSummary) bool { return n.ID == f.Node })
		if _, answered := r.final[f.Node]; i < 0 || answered {
			continue
		}
		s.Nodes[i].FinalState = "DOWN (" + strings.ToUpper(f.Kind) + ")"
		s.Nodes[i].Coordinator = false
	}
	slices.SortFunc(s.Nodes, func(a, b rundir.NodeSummary) int { return a.ID - b.ID })
}

// addInterruption records in s that the run was cut short, when, and which
// nodes it left down.
func (r *run) addInterruption(s *rundir.Summary) {
	if r.interrupted == nil {
		return
	}
	in := &rundir.Interruption{Cause: r.interrupted.Error()}
	if !r.stats.Ended.IsZero() {
		in.AtS = r.stats.Ended.Sub(r.start).Seconds()
	}
	for _, f := range r.leftDown {
		in.Down = append(in.Down, rundir.NodeDown{Node: f.Node, Kind: f.Kind})
	}
	s.Interrupted = in
}

// addWarnings adds what the run itself noticed to s.Warnings.
func (r *run) addWarnings(s *rundir.Summary, torn int) {
	if torn > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d torn event line(s) dropped (a node was killed mid-write)", torn))
	}
	if len(r.final) < len(r.nodes.addrs) {
		s.Warnings = append(s.Warnings, fmt.Sprintf("only %d of %d nodes answered the final status request", len(r.final), len(r.nodes.addrs)))
	}
	// The clients' own counters cross-check the per-request accounts.
	if cs := r.clients; cs.Invalid != int64(s.Requests.Invalid) || cs.LateDuplicates != int64(s.Requests.LateResponses) {
		s.Warnings = append(s.Warnings, fmt.Sprintf("the clients counted %d invalid and %d late responses, the per-request accounts %d and %d",
			cs.Invalid, cs.LateDuplicates, s.Requests.Invalid, s.Requests.LateResponses))
	}
}

// judge sets s.Verdict: the checks the launch mode allows, the experiment's
// thresholds and expected anomalies, and load_complete in front; and the
// duplicates metric, which joins the clients' account to the nodes'.
func (r *run) judge(s *rundir.Summary, a *analyze.Analysis) error {
	thresholds, err := r.e.Expect.Thresholds()
	if err != nil {
		return err
	}
	acct := r.rec.Accounting()
	harnessChecks := []rundir.Check{check.Accounted(acct, int(r.stats.Requests)), check.ResponsesValid(acct)}
	tableChecks, err := r.judgeTable(s)
	if err != nil {
		return err
	}
	harnessChecks = append(harnessChecks, tableChecks...)
	switch r.e.Cluster.Launch {
	case experiment.LaunchNoop:
		// No cluster: only what the harness itself can be judged on.
		s.Warnings = append(s.Warnings, "launch: noop — no cluster ran; a no-op target answered every request")
		s.Verdict = check.Expecting(append(harnessChecks, check.Thresholds(s, thresholds)...), r.e.Expect.Anomalies)
	case experiment.LaunchExternal:
		// The nodes' event logs are not ours: election safety, single
		// coordinator and liveness cannot be checked, and agreement is
		// judged from the nodes' final status.
		s.Warnings = append(s.Warnings, "launch: external — the nodes' event logs are not available to the harness: election safety, single coordinator and liveness were not checked, agreement is judged from the final status requests, and failover/recovery times are not measured")
		checks := append(harnessChecks, check.StatusAgreement(r.final, len(r.nodes.addrs)))
		s.Verdict = check.Expecting(append(checks, check.Thresholds(s, thresholds)...), r.e.Expect.Anomalies)
	default:
		s.Requests.Duplicates = check.CountDuplicates(acct, a)
		s.Verdict = check.Judge(s, check.Input{Expected: int(r.stats.Requests), Accounting: acct,
			Analysis: a, Bounds: check.BoundsFor(r.e), Thresholds: thresholds, Anomalies: r.e.Expect.Anomalies, Table: tableChecks})
	}
	c := check.LoadComplete(r.e, r.stats, r.interrupted)
	s.Verdict.Checks = append([]rundir.Check{c}, s.Verdict.Checks...)
	s.Verdict.Pass = s.Verdict.Pass && c.AsExpected()
	return nil
}

// writeFiles writes summary.json, latency.hgrm and timeseries.csv.
func (r *run) writeFiles(s *rundir.Summary) error {
	if err := rundir.WriteJSON(filepath.Join(r.dir, rundir.FileSummary), s); err != nil {
		return err
	}
	if err := rundir.WriteFile(filepath.Join(r.dir, rundir.FileLatencyHgrm), r.rec.WriteHgrm); err != nil {
		return err
	}
	buckets, err := r.rec.Buckets()
	if err != nil {
		return err
	}
	return rundir.WriteFile(filepath.Join(r.dir, rundir.FileTimeSeries), func(w io.Writer) error {
		return rundir.WriteTimeSeries(w, r.e.Cluster.Nodes, buckets)
	})
}
