package design

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/internal/quantile"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

// targetFailover is DESIGN §6's failover target with 50 ms heartbeats.
var targetFailover = struct{ P50, Max float64 }{150, 300}

// faultSection is the seed's "Fault Tolerance Demonstration" against
// the stress run (the seed's failure model) and the failover run.
func faultSection(rw *markdown.Writer, d *Data) {
	var cols []*Run
	for _, r := range []*Run{d.Stress, d.Failover} {
		if r != nil {
			cols = append(cols, r)
		}
	}
	if len(cols) == 0 {
		return
	}
	rw.Line("## 4. Fault tolerance\n")
	rw.Line("Failover time runs from a fault of the coordinator to the moment every live node follows the same new, live coordinator; recovery time from a failed node's due return to its state change to Active. Both come from the merged event log; faults are logged the instant before they are injected.\n")
	header := []string{""}
	for _, r := range cols {
		header = append(header, r.Source.Experiment)
	}
	header = append(header, "seed's claim (45 s run)")
	rw.Table(header, faultRows(cols))
	for _, r := range cols {
		cite(rw, r.Source, runFile(r.Set, rundir.FileSummary)+", "+runFile(r.Set, rundir.FileSchedule), r.Set.Runs)
	}
	rw.Line("Elections include the one that makes the first coordinator (startup) and the periodic ones (every `reelect_every`); a node that comes back starts one too (recovery), and a lost coordinator can be noticed by several nodes at once, each starting an election (coordinator-lost). The counts run until the last node stopped; the harness stops the coordinator last, so the shutdown itself starts no election. Requests lost are those that never got a valid response; reassigned ones were moved by the coordinator to another node after their assignee failed, retried ones were sent again by the client under the same id.\n")
	for _, r := range cols {
		name := r.Source.Experiment
		figure(rw, d, figurePath(name, "timeline"), name+": latency and throughput over time",
			fmt.Sprintf("%s: latency (p50, p99) and throughput per second, fault windows shaded in the failed node's colour, decided elections dashed. %s", name, runNote(r)))
	}
	for _, r := range cols {
		figure(rw, d, figurePath(r.Source.Experiment, "load"), r.Source.Experiment+": load per node",
			fmt.Sprintf("%s: each node's load (base + per request × outstanding) and, along the top, the coordinator of each epoch. %s", r.Source.Experiment, runNote(r)))
	}
}

func faultRows(cols []*Run) [][]string {
	seed := seedClaims
	seedExpected := math.Floor(report.SeedClaims.DurationS/seed.FailEveryS) * 3 * seed.FailP
	type rowFn struct {
		name  string
		value func(r *Run) string
		claim string
	}
	rows := []rowFn{
		{"fault model", func(r *Run) string { return faultModel(r) }, fmt.Sprintf("silent; each node with probability %g every %g s, 10–20 s down", seed.FailP, seed.FailEveryS)},
		{"load duration", func(r *Run) string {
			return report.Sec(medianOf(r, func(s *rundir.Summary) float64 { return s.DurationS }))
		}, report.Sec(report.SeedClaims.DurationS)},
		{"faults injected", injectedOf, fmt.Sprintf("%s observed; its own model expects %.1f in %s", rangeText(seed.FailuresObserved, ""), seedExpected, report.Sec(report.SeedClaims.DurationS))},
		{"mean time down", func(r *Run) string {
			return report.Sec(medianOf(r, func(s *rundir.Summary) float64 { return s.Faults.MeanDownS }))
		}, report.Sec(seed.FailureS)},
		{"elections (by cause)", electionsText, rangeText(seed.Elections, "")},
		{"coordinator changes", func(r *Run) string {
			return compare.FormatValue(compare.DeltaCount, medianOf(r, func(s *rundir.Summary) float64 { return float64(s.Elections.CoordinatorChanges) }))
		}, strconv.Itoa(seed.CoordChanges)},
		{"failover time", failoverText, fmt.Sprintf("\"recovers within %s\"", rangeText(seed.FailoverS, "s"))},
		{fmt.Sprintf("DESIGN §6 target: failover p50 ≤ %g ms, max ≤ %g ms", targetFailover.P50, targetFailover.Max), failoverTarget, "—"},
		{"recovery time (due back → Active)", recoveryText, fmt.Sprintf("\"< %g second after node returns\"", seed.RecoveryS)},
		{"requests reassigned", countOf(func(s *rundir.Summary) int { return s.Requests.Reassigned }), "—"},
		{"requests retried by the client", countOf(func(s *rundir.Summary) int { return s.Requests.Retried }), "—"},
		{"duplicate responses", countOf(func(s *rundir.Summary) int { return s.Requests.Duplicates }), "—"},
		{"requests lost", countOf(func(s *rundir.Summary) int { return s.Requests.Lost }), rangeText(seed.ExpFailures, "") + " expected, 153 in the sample run"},
		{"requests lost per fault", lostPerFault, "~" + rangeText(seed.LostPerFailure, "")},
	}
	var out [][]string
	for _, row := range rows {
		cells := []string{row.name}
		for _, r := range cols {
			cells = append(cells, row.value(r))
		}
		out = append(out, append(cells, row.claim))
	}
	return out
}

func faultModel(r *Run) string {
	if r.Exp == nil {
		return "—"
	}
	return faultLine(r.Exp)
}

// medianOf is the median of a per-run value over the set's runs.
func medianOf(r *Run, get func(*rundir.Summary) float64) float64 {
	var vs []float64
	for i := range r.Set.Runs {
		vs = append(vs, get(&r.Set.Runs[i].Summary))
	}
	return compare.Summarise(vs).Center
}

func countOf(get func(*rundir.Summary) int) func(*Run) string {
	return func(r *Run) string {
		v := medianOf(r, func(s *rundir.Summary) float64 { return float64(get(s)) })
		if r.Set.Repeated() {
			return compare.FormatValue(compare.DeltaCount, v) + " (median per run)"
		}
		return compare.FormatValue(compare.DeltaCount, v)
	}
}

func injectedOf(r *Run) string {
	s := &r.Set.Runs[0].Summary
	out := fmt.Sprintf("%d (%s)", s.Faults.Injected, report.Counts(s.Faults.ByKind))
	if exp := expectedFaults(r.Exp, s.DurationS); !math.IsNaN(exp) {
		out += fmt.Sprintf("; the model expects %.1f in %s", exp, report.Sec(s.DurationS))
	}
	if r.Set.Repeated() {
		out += fmt.Sprintf(" (first of %d runs)", len(r.Set.Runs))
	}
	return out
}

// expectedFaults is the periodic model's expected number of faults in
// a run of durationS: rounds × nodes × probability (an upper estimate: a node
// already down is not failed again). NaN for a schedule or no faults.
func expectedFaults(e *experiment.Experiment, durationS float64) float64 {
	if e == nil || len(e.Faults.Schedule) > 0 || e.Faults.Kind == experiment.FaultNone || e.Faults.Every <= 0 {
		return math.NaN()
	}
	rounds := math.Floor(durationS / e.Faults.Every.Seconds())
	return rounds * float64(e.Cluster.Nodes) * e.Faults.Probability
}

func electionsText(r *Run) string {
	s := &r.Set.Runs[0].Summary
	out := fmt.Sprintf("%d (%s)", s.Elections.Total, report.Counts(s.Elections.ByCause))
	if r.Set.Repeated() {
		out += fmt.Sprintf(" (first of %d runs)", len(r.Set.Runs))
	}
	return out
}

// pooledStats pools a sample (failover or recovery times) over the
// set's runs and summarises it.
func pooledStats(r *Run, get func(*rundir.Summary) rundir.Stats) string {
	var all []float64
	for i := range r.Set.Runs {
		all = append(all, get(&r.Set.Runs[i].Summary).All...)
	}
	if len(all) == 0 {
		return "none measured"
	}
	slices.Sort(all)
	return fmt.Sprintf("p50 %s, max %s (n=%d)", report.Ms(quantile.Sorted(all, 50)), report.Ms(all[len(all)-1]), len(all))
}

// silentBound is the least failover time of a silent coordinator: its
// peers notice it only when suspect_after passes without a heartbeat, and
// its last one left at most one heartbeat interval before it fell silent. 0
// unless every injected fault of the run was silent.
func silentBound(r *Run) float64 {
	s := &r.Set.Runs[0].Summary
	if r.Exp == nil || s.Faults.Injected == 0 || s.Faults.ByKind[experiment.FaultSilent] != s.Faults.Injected {
		return 0
	}
	c := r.Exp.Cluster
	return float64(c.SuspectAfter-c.Heartbeat) / float64(time.Millisecond)
}

func failoverText(r *Run) string {
	out := pooledStats(r, func(s *rundir.Summary) rundir.Stats { return s.Faults.FailoverMs })
	var gaps rundir.FaultSummary
	losses := 0
	for i := range r.Set.Runs {
		f := r.Set.Runs[i].Summary.Faults
		losses += f.FailoverMs.N + f.FailoverMasked + f.FailoverUnresolved
		gaps.FailoverMasked += f.FailoverMasked
		gaps.FailoverUnresolved += f.FailoverUnresolved
	}
	out += report.FailoverGaps(gaps)
	if losses == 0 {
		out = "none: no fault hit the coordinator"
	}
	if b := silentBound(r); b > 0 {
		out += fmt.Sprintf("; bound ≥ %s (suspect_after − heartbeat: a silent coordinator is noticed only by its missing heartbeats)", report.Ms(b))
	}
	return out
}

func failoverTarget(r *Run) string {
	var all []float64
	for i := range r.Set.Runs {
		all = append(all, r.Set.Runs[i].Summary.Faults.FailoverMs.All...)
	}
	if len(all) == 0 {
		return "—"
	}
	slices.Sort(all)
	p50, mx := quantile.Sorted(all, 50), all[len(all)-1]
	if p50 <= targetFailover.P50 && mx <= targetFailover.Max {
		return "met"
	}
	out := fmt.Sprintf("**missed** (p50 %s, max %s)", report.Ms(p50), report.Ms(mx))
	if b := silentBound(r); b >= targetFailover.P50 {
		out += fmt.Sprintf("; out of reach for silent faults, whose bound is %s", report.Ms(b))
	}
	return out
}

func recoveryText(r *Run) string {
	out := pooledStats(r, func(s *rundir.Summary) rundir.Stats { return s.Faults.RecoveryMs })
	if r.Exp != nil && r.Exp.Faults.SyncDelay > 0 {
		out += fmt.Sprintf("; bound ≥ %s, the sync delay", report.Ms(float64(r.Exp.Faults.SyncDelay)/float64(time.Millisecond)))
	}
	return out
}

func lostPerFault(r *Run) string {
	s := &r.Set.Runs[0].Summary
	if s.Faults.Injected == 0 {
		return "— (no faults)"
	}
	return fmt.Sprintf("%.1f", float64(s.Requests.Lost)/float64(s.Faults.Injected))
}
