package design

import (
	"fmt"
	"strconv"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

// latencySection is the latency percentiles of the single-run
// experiments side by side.
func latencySection(rw *markdown.Writer, d *Data) {
	runs := []*Run{d.Stress, d.Failover, d.OpenLoop}
	var rows [][]string
	var cited []*Run
	for _, r := range runs {
		if r == nil {
			continue
		}
		cited = append(cited, r)
		rows = append(rows, latencyRow(r, "all requests", func(s *rundir.Summary) rundir.Latency { return s.Latency }))
		if s := r.Set.Runs[0].Summary; s.LatencyInFaults.Count > 0 {
			rows = append(rows, latencyRow(r, "inside fault windows", func(s *rundir.Summary) rundir.Latency { return s.LatencyInFaults }))
			rows = append(rows, latencyRow(r, "outside fault windows", func(s *rundir.Summary) rundir.Latency { return s.LatencyOutFaults }))
		}
	}
	if len(rows) == 0 {
		return
	}
	rw.Line("## 2. Latency percentiles\n")
	rw.Line("Each request's latency runs from its *intended* start — in open loop the pacer's schedule, so a request that waited behind a slow one is charged for the wait (no coordinated omission) — to its valid, verified response or its final error. HDR histograms, 3 significant figures; milliseconds. A request is \"inside fault windows\" when it was in flight while any node was down. A repeated experiment shows the median of its runs.\n")
	rw.Table([]string{"experiment", "load", "requests", "count", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"}, rows)
	for _, r := range cited {
		cite(rw, r.Source, runFile(r.Set, rundir.FileSummary), r.Set.Runs)
	}
	for _, r := range cited {
		name := r.Source.Experiment
		figure(rw, d, figurePath(name, "latency_spectrum"), name+": latency by percentile",
			fmt.Sprintf("%s: latency by percentile (HdrHistogram style; the x axis stretches the tail). %s", name, runNote(r)))
	}
}

// runNote says which run a figure shows when there are several.
func runNote(r *Run) string {
	if r.Set.Repeated() {
		return fmt.Sprintf("The first of %d runs.", len(r.Set.Runs))
	}
	return ""
}

func latencyRow(r *Run, which string, get func(*rundir.Summary) rundir.Latency) []string {
	var count []float64
	cols := make([][]float64, 7)
	for _, run := range r.Set.Runs {
		l := get(&run.Summary)
		count = append(count, float64(l.Count))
		for i, v := range []float64{l.MeanMs, l.P50Ms, l.P90Ms, l.P95Ms, l.P99Ms, l.P999Ms, l.MaxMs} {
			cols[i] = append(cols[i], v)
		}
	}
	s := r.Set.Runs[0].Summary
	row := []string{r.Source.Experiment, report.WorkloadLine(r.Exp, s.Mode), which, compare.FormatValue(compare.DeltaCount, compare.Summarise(count).Center)}
	for _, c := range cols {
		row = append(row, strconv.FormatFloat(compare.Summarise(c).Center, 'f', 1, 64))
	}
	return row
}

// distributionSection is the seed's "Load Distribution Example" and
// "Final Node Status" against the stress run.
func distributionSection(rw *markdown.Writer, d *Data) {
	r := d.Stress
	if r == nil {
		return
	}
	s := &r.Set.Runs[0].Summary
	rw.Line("## 3. Load distribution\n")
	cite(rw, r.Source, runFile(r.Set, rundir.FileSummary), r.Set.Runs[:1])
	var served []int
	var b strings.Builder
	for _, n := range s.Nodes {
		served = append(served, n.Served)
		fmt.Fprintf(&b, "Node %d: %d requests (%.1f%%)\n", n.ID, n.Served, 100*n.Share)
	}
	sp := spreadOf(served)
	seedSp := spreadOf(seedClaims.Served[:])
	fmt.Fprintf(&b, "\nStandard deviation of the shares: %.2f points (the seed's \"Variance\")", sp.SDPoints)
	rw.Printf("```\nLoad Distribution (%s, measured):\n%s\n```\n\n", r.Source.Experiment, b.String())
	seedTotal := 0
	for _, n := range seedClaims.Served {
		seedTotal += n
	}
	rw.Printf("The seed's \"Variance: %.1f%%\" is the standard deviation of its example's shares in percentage points (%.2f for 32.5%%, 31.8%%, 35.7%%), not a variance. "+
		"Its three nodes also processed %d requests in all, %d more than the %d it says succeeded.\n\n",
		seedClaims.VariancePct, seedSp.SDPoints, seedTotal, seedTotal-report.SeedClaims.OK, report.SeedClaims.OK)
	evenNote := "yes"
	if sp.MaxDevPoints > seedClaims.EvenPct {
		evenNote = fmt.Sprintf("no: a share is %.1f points from the even %.1f%%", sp.MaxDevPoints, 100/float64(max(1, len(served))))
	}
	rows := [][]string{
		{"standard deviation of shares (points)", fmt.Sprintf("%.2f", seedSp.SDPoints), fmt.Sprintf("%.2f", sp.SDPoints)},
		{"coefficient of variation", report.Pct(seedSp.CV), report.Pct(sp.CV)},
		{"max/min share", fmt.Sprintf("%.2f", seedSp.MaxMin), fmt.Sprintf("%.2f", sp.MaxMin)},
		{"largest distance from the even share (points)", fmt.Sprintf("%.1f", seedSp.MaxDevPoints), fmt.Sprintf("%.1f", sp.MaxDevPoints)},
		{fmt.Sprintf("within the seed's expected ±%g%% of even", seedClaims.EvenPct), "yes", evenNote},
	}
	rw.Table([]string{"spread", "seed's example", "measured"}, rows)
	var down []string
	for _, n := range s.Nodes {
		if n.FaultsDown > 0 {
			down = append(down, fmt.Sprintf("node %d %s", n.ID, report.Sec(n.FaultsDown)))
		}
	}
	if len(down) > 0 {
		rw.Printf("Nodes were down for part of the run (%s of %s), and a failed node serves nothing: the seed's \"failure adaptation\" is part of this spread.\n\n",
			strings.Join(down, ", "), report.Sec(s.DurationS))
	}
	rw.Line("Final node status, as the nodes logged it at the end:\n")
	sts := make([]report.NodeStatus, 0, len(s.Nodes))
	for _, n := range s.Nodes {
		sts = append(sts, report.NodeStatus{ID: n.ID, State: n.FinalState, Load: n.FinalLoad, Processed: n.Processed, Coordinator: n.Coordinator})
	}
	report.NodeStatusBlock(rw, "", sts)
	if atBase(r.Exp, s.Nodes) {
		rw.Printf("The seed's final loads (%.2f, %.2f, %.2f) are those of nodes with requests outstanding; here every node ended at its base load, with nothing outstanding.\n\n",
			seedClaims.FinalLoads[0], seedClaims.FinalLoads[1], seedClaims.FinalLoads[2])
	}
	figure(rw, d, figurePath(r.Source.Experiment, "nodes"), "requests per node",
		"Requests per node: served (responses the clients accepted) and completed (the node's own log, duplicates included); the dashed line is the even share.")
}

// atBase reports whether every node's final load is its base load.
func atBase(e *experiment.Experiment, nodes []rundir.NodeSummary) bool {
	if e == nil || len(nodes) == 0 {
		return false
	}
	for _, n := range nodes {
		if n.FinalLoad != e.Cluster.Load.BaseOf(n.ID) {
			return false
		}
	}
	return true
}
