package design

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

// stressSection is the seed's "Sample Test Run" and its "Expected
// Metrics", measured.
func stressSection(rw *markdown.Writer, d *Data) {
	r := d.Stress
	if r == nil {
		return
	}
	s := &r.Set.Runs[0].Summary
	rw.Line("## 1. The stress test (the seed's \"Sample Test Run\")\n")
	rw.Printf("%s\n\n", configLine(r.Exp, s.Mode))
	if !report.IsSeedStress(r.Exp) {
		rw.Line("**This is not the seed's configuration** (3 nodes, 50 closed-loop clients × 200 requests, 500 ms service delay): the seed's claims below describe another workload.\n")
	}
	if r.Set.Repeated() {
		rw.Printf("The experiment was repeated %d times; this section shows the first run.\n\n", len(r.Set.Runs))
	}
	cite(rw, r.Source, runFile(r.Set, rundir.FileSummary), r.Set.Runs[:1])
	rw.Line("The seed's block, with the values measured:\n")
	report.StressBlock(rw, s, nil)
	rw.Table([]string{"metric", "measured", "bound", "seed's claim", "the claim against the measurement"}, stressRows(r, s))
	expectedSection(rw, r, s)
}

// runFile is a file of the set's first run, relative to its data dir.
func runFile(set *compare.RunSet, name string) string {
	if set.Repeated() {
		return "rep-1/" + name
	}
	return name
}

// configLine says what ran, in one sentence, from the run's spec.
func configLine(e *experiment.Experiment, mode string) string {
	if e == nil {
		return "Configuration: " + report.WorkloadLine(nil, mode) + "."
	}
	c := e.Cluster
	parts := []string{report.WorkloadLine(e, mode), fmt.Sprintf("%d nodes", c.Nodes), "balancer " + c.Balancer}
	svc := fmt.Sprintf("%s simulated service time on top of the real steganography", c.Service.Delay)
	if c.Service.MaxConcurrent > 0 {
		svc += fmt.Sprintf(", at most %d requests at once per node", c.Service.MaxConcurrent)
	}
	parts = append(parts, svc)
	if w := e.Workload.Image; w.Dir == "" {
		parts = append(parts, fmt.Sprintf("%d×%d images", w.Width, w.Height))
	}
	parts = append(parts, faultLine(e))
	return "Configuration: " + strings.Join(parts, "; ") + "."
}

// faultLine describes the fault model or schedule in words.
func faultLine(e *experiment.Experiment) string {
	f := e.Faults
	switch {
	case len(f.Schedule) > 0:
		return "faults: " + scheduleWords(f)
	case f.Kind == experiment.FaultNone || f.Kind == "":
		return "no faults"
	}
	return fmt.Sprintf("%s faults: each node with probability %g every %s, down %s–%s, %s sync", f.Kind, f.Probability, f.Every, f.Down.Min, f.Down.Max, f.SyncDelay)
}

// scheduleWords describes an explicit schedule, grouping entries of
// one kind, target and length: "crash of the coordinator for 2s at 5s, 12s".
func scheduleWords(f experiment.Faults) string {
	type group struct {
		what string
		at   []string
	}
	var groups []*group
	for _, s := range f.Schedule {
		kind := s.Kind
		if kind == "" {
			kind = f.Kind
		}
		target := "node " + s.Node.String()
		if s.Node == experiment.SelectCoordinator {
			target = "the coordinator"
		}
		what := fmt.Sprintf("%s of %s for %s", kind, target, s.For)
		if n := len(groups); n > 0 && groups[n-1].what == what {
			groups[n-1].at = append(groups[n-1].at, s.At.String())
			continue
		}
		groups = append(groups, &group{what: what, at: []string{s.At.String()}})
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = g.what + " at " + strings.Join(g.at, ", ")
	}
	return strings.Join(parts, "; ")
}

func stressRows(r *Run, s *rundir.Summary) [][]string {
	c := report.SeedClaims
	durBound, thrBound, latBound := "—", "—", "—"
	var boundRPS float64
	if b := s.Bound; b != nil && b.RPS > 0 {
		boundRPS = b.RPS
		thrBound = fmt.Sprintf("≤ %s (%s)", report.RPS(b.RPS), b.Formula)
		durBound = fmt.Sprintf("≥ %s (%d requests at ≤ %s)", report.Sec(float64(s.Requests.Total)/b.RPS), s.Requests.Total, report.RPS(b.RPS))
	}
	if sd := report.ServiceDelay(r.Exp); sd > 0 {
		latBound = fmt.Sprintf("≥ %s (the service delay)", report.Ms(float64(sd)/float64(time.Millisecond)))
	}
	thr := report.RPS(s.ThroughputRPS)
	durVerdict, thrVerdict := timesText(c.DurationS, s.DurationS), timesText(c.ThroughputRPS, s.ThroughputRPS)
	if boundRPS > 0 {
		thr += fmt.Sprintf(" (%.1f%% of the bound)", 100*s.ThroughputRPS/boundRPS)
		if c.ThroughputRPS > c.BoundRPS {
			thrVerdict = fmt.Sprintf("**impossible**: %s× the %s its own configuration allows", factorText(c.ThroughputRPS/c.BoundRPS), report.RPS(c.BoundRPS))
		}
		if least := float64(c.Total) / c.BoundRPS; c.DurationS < least {
			durVerdict = fmt.Sprintf("**impossible**: %d requests at ≤ %s take ≥ %s", c.Total, report.RPS(c.BoundRPS), report.Sec(least))
		}
	}
	lost := s.Requests.Total - s.Requests.OK
	return [][]string{
		{"Total duration", report.Sec(s.DurationS), durBound, report.Sec(c.DurationS), durVerdict},
		{"Requests", strconv.Itoa(s.Requests.Total), "—", strconv.Itoa(c.Total), ""},
		{"Successful", fmt.Sprintf("%d (%s)", s.Requests.OK, report.Pct(s.SuccessRate)), "—", fmt.Sprintf("%d (%s)", c.OK, report.Pct(c.SuccessRate)), ""},
		{"Failed", fmt.Sprintf("%d (%d failed, %d timed out)", lost, s.Requests.Failed, s.Requests.TimedOut), "—", strconv.Itoa(c.Failed),
			fmt.Sprintf("%d claimed, %d measured", c.Failed, lost)},
		{"Throughput", thr, thrBound, report.RPS(c.ThroughputRPS), thrVerdict},
		{"Latency mean", report.Ms(s.Latency.MeanMs), latBound, report.Ms(c.MeanMs), timesText(c.MeanMs, s.Latency.MeanMs)},
		{"Latency p95", report.Ms(s.Latency.P95Ms), latBound, report.Ms(c.P95Ms), timesText(c.P95Ms, s.Latency.P95Ms)},
	}
}

// expectedSection is the seed's "Expected Metrics" block against the run.
func expectedSection(rw *markdown.Writer, r *Run, s *rundir.Summary) {
	e := seedClaims
	rw.Line("The seed's \"Expected Metrics\" (Stress Testing Analysis) against the same run:\n")
	thrNote := againstRange(s.ThroughputRPS, e.ExpThroughput)
	if b := s.Bound; b != nil && b.RPS > 0 && e.ExpThroughput[0] > b.RPS {
		thrNote += fmt.Sprintf("; the whole range is **impossible**, above the %s bound", report.RPS(b.RPS))
	}
	rows := [][]string{
		{"Throughput", rangeText(e.ExpThroughput, "req/s"), report.RPS(s.ThroughputRPS), thrNote},
		{"Success rate", rangeText(e.ExpSuccessPct, "%"), report.Pct(s.SuccessRate), againstRange(100*s.SuccessRate, e.ExpSuccessPct)},
		{"Avg latency", rangeText(e.ExpMeanMs, "ms"), report.Ms(s.Latency.MeanMs), againstRange(s.Latency.MeanMs, e.ExpMeanMs)},
		{"P95 latency", rangeText(e.ExpP95Ms, "ms"), report.Ms(s.Latency.P95Ms), againstRange(s.Latency.P95Ms, e.ExpP95Ms)},
		{"Failures", rangeText(e.ExpFailures, ""), strconv.Itoa(s.Requests.Lost), againstRange(float64(s.Requests.Lost), e.ExpFailures)},
	}
	rw.Table([]string{"expected metric", "seed's range", "measured", "verdict"}, rows)
	if b := s.Bound; b != nil && r.Exp != nil {
		w, c := r.Exp.Workload, r.Exp.Cluster
		rps := b.RPS
		rw.Printf("Why the bound: in a closed loop each of the %d clients has one request in flight, and every request takes at least the %s service delay, "+
			"so at most %d / %g s = %s complete, whatever the number of nodes. The seed's analysis counts \"3 nodes × ~2 concurrent requests each ≈ 6 concurrent\" "+
			"and still reports 221 req/s; with %d clients the concurrency is %d and the ceiling %s.",
			w.Clients, c.Service.Delay, w.Clients, c.Service.Delay.Seconds(), report.RPS(rps), w.Clients, w.Clients, report.RPS(rps))
		if c.Service.MaxConcurrent == 0 {
			rw.Printf(" A node here serves any number of requests at once, so a request waits only behind a failure: the latency is the service delay plus the real work "+
				"(decode, embed, encode, verify) and the cluster's hops, and a p95 of %s would need most of the slowest 5%% to wait out a failure.", report.Ms(report.SeedClaims.P95Ms))
		}
		rw.Line("\n")
	}
}
