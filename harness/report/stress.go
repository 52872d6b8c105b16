package report

import (
	"fmt"
	"strconv"
	"strings"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

// SeedClaims are the numbers of the seed's "Sample Test Run" (50 clients ×
// 200 requests, 500 ms per request). They are the seed's expectations, quoted
// for comparison and never used as results; its throughput exceeds the
// 50 / 0.5 s = 100 req/s its own configuration allows.
var SeedClaims = struct {
	DurationS, SuccessRate, ThroughputRPS, MeanMs, P95Ms, BoundRPS float64
	Total, OK, Failed                                              int
}{
	DurationS: 45.23, SuccessRate: 0.9847, ThroughputRPS: 221.09, MeanMs: 524.32, P95Ms: 1250, BoundRPS: 100,
	Total: 10000, OK: 9847, Failed: 153,
}

// Rule is the seed's 60-character rule.
var Rule = strings.Repeat("=", 60)

// stressSection reproduces the seed's STRESS TEST RESULTS block with measured
// values, then sets every number beside its bound and the seed's claim.
func stressSection(rw *markdown.Writer, rc *runReport) {
	s := rc.s
	rw.Line("## Stress test results\n")
	rw.Line("The seed's block, with the values this run measured:\n")
	StressBlock(rw, s, func() {
		if ev := rc.d.Events; ev != nil {
			rw.Printf("\nLoad Balancing Decisions: %d\n", ev.AssignTotal)
			if samples := pickSamples(ev.Assigns, decisionSamples); len(samples) > 0 {
				rw.Line("\nSample Load Balancing Decisions:")
				writeDecisions(rw, samples, rc)
			}
		}
	})
	rows := stressRows(rc)
	if !IsSeedStress(rc.d.Experiment) {
		// The seed's numbers describe its own configuration only; set beside
		// another experiment they would read as a target it missed.
		rw.Line("Each measured value beside the limit this configuration puts on it:\n")
		for i := range rows {
			rows[i] = rows[i][:3]
		}
		rw.Table([]string{"metric", "measured", "bound"}, rows)
		why := "This is not the seed's configuration (3 nodes, 50 closed-loop clients × 200 requests, 500 ms service delay)"
		if rc.d.Spec == "" {
			why = "Without " + rundir.FileExperiment + " the configuration is unknown"
		}
		rw.Printf("%s, so the seed's claimed numbers are not set beside it. \"Failed\" counts every request that did not succeed (failed or timed out).\n\n", why)
		return
	}
	rw.Line("Each measured value beside the limit this configuration puts on it and what the seed claimed:\n")
	rw.Table([]string{"metric", "measured", "bound", "seed's claim"}, rows)
	rw.Printf("The seed's claims are expectations for 50 clients × 200 requests with a 500 ms service delay, not measurements: its %.2f req/s is above the %.0f req/s that configuration allows. \"Failed\" counts every request that did not succeed (failed or timed out).\n\n",
		SeedClaims.ThroughputRPS, SeedClaims.BoundRPS)
}

func stressRows(rc *runReport) [][]string {
	s := rc.s
	durBound, thrBound, latBound := "—", "—", "—"
	if b := s.Bound; b != nil && b.RPS > 0 {
		thrBound = fmt.Sprintf("≤ %s (%s)", RPS(b.RPS), b.Formula)
		if s.Mode == "closed" {
			durBound = fmt.Sprintf("≥ %s (%d requests at %s)", Sec(float64(s.Requests.Total)/b.RPS), s.Requests.Total, RPS(b.RPS))
		}
	}
	if sd := ServiceDelay(rc.d.Experiment); sd > 0 {
		latBound = fmt.Sprintf("≥ %s (service delay)", Ms(float64(sd.Microseconds())/1000))
	}
	measuredThr := RPS(s.ThroughputRPS)
	if s.Bound != nil && s.Bound.RPS > 0 {
		measuredThr += fmt.Sprintf(" (%.1f%% of bound)", 100*s.Bound.Achieved)
	}
	lost := s.Requests.Total - s.Requests.OK
	total := strconv.Itoa(s.Requests.Total)
	if n := s.Requests.Unsent; n > 0 {
		total += fmt.Sprintf(" (and %d never sent: the load had stopped)", n)
	}
	return [][]string{
		{"Duration", Sec(s.DurationS), durBound, Sec(SeedClaims.DurationS)},
		{"Total requests", total, "—", strconv.Itoa(SeedClaims.Total)},
		{"Successful", strconv.Itoa(s.Requests.OK), "—", strconv.Itoa(SeedClaims.OK)},
		{"Failed", fmt.Sprintf("%d (%d failed, %d timed out)", lost, s.Requests.Failed, s.Requests.TimedOut), "—", strconv.Itoa(SeedClaims.Failed)},
		{"Success rate", Pct(s.SuccessRate), "—", Pct(SeedClaims.SuccessRate)},
		{"Throughput", measuredThr, thrBound, fmt.Sprintf("%s (above its own bound of %s)", RPS(SeedClaims.ThroughputRPS), RPS(SeedClaims.BoundRPS))},
		{"Latency average", Ms(s.Latency.MeanMs), latBound, Ms(SeedClaims.MeanMs)},
		{"Latency p95", Ms(s.Latency.P95Ms), latBound, Ms(SeedClaims.P95Ms)},
	}
}

// StressBlock writes the seed's STRESS TEST RESULTS block, fenced, with
// the values of s; decisions, when not nil, adds the seed's load-balancing
// lines after the latency statistics.
func StressBlock(rw *markdown.Writer, s *rundir.Summary, decisions func()) {
	rw.Line("```")
	rw.Line(Rule)
	rw.Line("                    STRESS TEST RESULTS")
	rw.Line(Rule)
	rw.Line("")
	rw.Printf("Total Duration:        %.2f seconds\n", s.DurationS)
	rw.Printf("Total Requests:        %d\n", s.Requests.Total)
	rw.Printf("Successful:            %d\n", s.Requests.OK)
	rw.Printf("Failed:                %d\n", s.Requests.Total-s.Requests.OK)
	rw.Printf("Success Rate:          %.2f%%\n", 100*s.SuccessRate)
	rw.Printf("Throughput:            %.2f requests/second\n", s.ThroughputRPS)
	rw.Line("")
	rw.Line("Latency Statistics:")
	// The same precision as the tables beside the block (Ms).
	rw.Printf("  Average:             %s\n", Ms(s.Latency.MeanMs))
	rw.Printf("  P95:                 %s\n", Ms(s.Latency.P95Ms))
	if decisions != nil {
		decisions()
	}
	rw.Line("")
	rw.Line(Rule)
	rw.Line("```\n")
}
