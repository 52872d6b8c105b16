package report

import (
	"fmt"
	"strconv"
	"strings"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

func latencySection(rw *markdown.Writer, rc *runReport) {
	s := rc.s
	rw.Line("## Latency\n")
	rw.Line("From each request's intended start to its valid response or final error, in milliseconds (HDR histograms, 3 significant figures). pN is the smallest latency that at least N% of the requests did not exceed (HdrHistogram's definition, as in latency.hgrm), so with fewer than 1,000 requests p99.9 is the maximum. A request is \"inside faults\" when it overlapped a fault window.\n")
	rows := [][]string{
		latencyRow("all", s.Latency),
		latencyRow("inside faults", s.LatencyInFaults),
		latencyRow("outside faults", s.LatencyOutFaults),
	}
	rw.Table([]string{"requests", "count", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"}, rows)
}

func latencyRow(name string, l rundir.Latency) []string {
	if l.Count == 0 {
		return []string{name, "0", "—", "—", "—", "—", "—", "—", "—"}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	return []string{name, strconv.FormatInt(l.Count, 10), f(l.MeanMs), f(l.P50Ms), f(l.P90Ms), f(l.P95Ms), f(l.P99Ms), f(l.P999Ms), f(l.MaxMs)}
}

// distributionSection is the seed's "Load Distribution" with the spread.
func distributionSection(rw *markdown.Writer, rc *runReport) {
	s := rc.s
	rw.Line("## Load distribution\n")
	if len(s.Nodes) == 0 {
		rw.Line("The summary lists no nodes.\n")
		return
	}
	rw.Line("```")
	rw.Line("Load Distribution:")
	for _, n := range s.Nodes {
		rw.Printf("Node %d: %d requests (%.1f%%)\n", n.ID, n.Served, 100*n.Share)
	}
	rw.Printf("\nMax/min share: %.2f   Coefficient of variation: %.1f%%\n", s.Balance.MaxMinRatio, 100*s.Balance.CV)
	rw.Line("```\n")
	rw.Line("\"Served\" counts the responses clients accepted; \"completed\" the requests the node's log says it finished, duplicates included; \"processed\" is the node's own final count.\n")
	var rows [][]string
	for _, n := range s.Nodes {
		rows = append(rows, []string{
			strconv.Itoa(n.ID), strconv.Itoa(n.Served), Pct(n.Share), strconv.Itoa(n.Completions), strconv.Itoa(n.Processed),
			nodeLatency(n.Latency.P50Ms, n.Latency.Count), nodeLatency(n.Latency.P99Ms, n.Latency.Count), Sec(n.FaultsDown),
		})
	}
	rw.Table([]string{"node", "served", "share", "completed", "processed", "p50", "p99", "time down"}, rows)
}

func nodeLatency(v float64, count int64) string {
	if count == 0 {
		return "—"
	}
	return Ms(v)
}

func joinArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'") {
			a = fmt.Sprintf("%q", a)
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}
