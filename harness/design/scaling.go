package design

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

// scalingMetrics are the scaling section's metrics beyond the headline
// ones: the election and heartbeat overhead, per election and per second.
// Message counts cover each node process's whole life, the cluster's start
// and shutdown included; per second divides by the load's duration.
func scalingMetrics() []compare.HeadlineMetric {
	return []compare.HeadlineMetric{
		{Key: "election_per_election", Label: "election messages per election", Better: compare.LowerIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) {
				return float64(s.Messages.Election) / float64(s.Elections.Total), s.Elections.Total > 0
			}},
		{Key: "election_per_s", Label: "election messages per second", Better: compare.LowerIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) {
				return float64(s.Messages.Election) / s.DurationS, s.DurationS > 0
			}},
		{Key: "heartbeat_per_s", Label: "heartbeat messages per second", Better: compare.LowerIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) {
				return float64(s.Messages.Heartbeat) / s.DurationS, s.DurationS > 0
			}},
		{Key: "elections", Label: "elections", Better: compare.LowerIsBetter, Delta: compare.DeltaCount,
			Value: func(s *rundir.Summary) (float64, bool) { return float64(s.Elections.Total), true }},
	}
}

// scalingKeys are the columns of the scaling table, in order.
var scalingKeys = []string{"throughput", "messages_per_request", "elections", "election_per_election", "election_per_s", "heartbeat_per_s", "failover_p50", "p99"}

// scalingDeltaKeys are tested between the smallest and largest cluster.
var scalingDeltaKeys = []string{"throughput", "messages_per_request", "election_per_election", "failover_p50", "p99"}

// capacity is the throughput bound of an n-node variant: n nodes of
// max_concurrent / delay each, and in a closed loop clients / delay; 0 when
// neither applies.
func capacity(e *experiment.Experiment, n int) (rps float64, formula string) {
	if e == nil || e.Cluster.Service.Delay <= 0 {
		return 0, ""
	}
	delay := e.Cluster.Service.Delay.Seconds()
	if mc := e.Cluster.Service.MaxConcurrent; mc > 0 {
		rps, formula = float64(n*mc)/delay, fmt.Sprintf("%d nodes × %d / %g s", n, mc, delay)
	}
	if e.Workload.Mode() == experiment.ModeClosed {
		if c := float64(e.Workload.Clients) / delay; rps == 0 || c < rps {
			rps, formula = c, fmt.Sprintf("%d clients / %g s", e.Workload.Clients, delay)
		}
	}
	return rps, formula
}

func scalingSection(rw *markdown.Writer, d *Data) {
	sw := d.Scaling
	if sw == nil {
		return
	}
	extra := scalingMetrics()
	rw.Line("## 6. Scaling\n")
	rw.Printf("%s\n\n", describeSweep(sw))
	citeSweep(rw, sw)
	header := []string{"variant", "runs", "capacity bound"}
	var metrics []compare.HeadlineMetric
	for _, k := range scalingKeys {
		m := metricByKey(k, extra)
		metrics = append(metrics, m)
		header = append(header, m.Title())
	}
	header = append(header, "3(n−1)", "n(n−1)/heartbeat")
	var rows [][]string
	for i, v := range sw.Sweep.Index.Variants {
		set := sw.Sets[i]
		cells := []string{v.Label, "0"}
		if set != nil {
			cells[1] = strconv.Itoa(len(set.Runs))
		}
		n, _ := strconv.Atoi(v.Values[nodesField])
		capRPS, formula := capacity(sw.Exp, n)
		if capRPS > 0 {
			cells = append(cells, fmt.Sprintf("%s (%s)", report.RPS(capRPS), formula))
		} else {
			cells = append(cells, "—")
		}
		for _, m := range metrics {
			st := compare.MetricStat{}
			if set != nil {
				st = compare.Summarise(compare.MetricValues(m, set))
			}
			cells = append(cells, statOf(m, st))
		}
		cells = append(cells, electionRef(n), heartbeatRef(sw.Exp, n))
		rows = append(rows, cells)
	}
	rw.Table(header, rows)
	rw.Printf("Medians over the runs (± the 95%% confidence interval of the median from 6 runs; the range below that). Election messages are the election class — ELECTION, OK, COORDINATOR and state sync — summed over every node; an election whose initiator hears from every peer costs 3(n−1): ELECTION out, OK back, COORDINATOR out. Several nodes noticing a lost coordinator at once each start one, which is how the seed's \"O(n²) worst case\" arises. Heartbeats go from every node to every peer once per interval: n(n−1)/heartbeat per second.%s Messages per request: every request is multicast to all n nodes, and its assignment broadcast.\n\n",
		heartbeatShare(sw, extra))
	if len(sw.Sweep.Index.Fields) == 1 && sw.Sweep.Index.Fields[0] == nodesField && len(sw.Sets) > 1 {
		scalingDelta(rw, sw, extra)
	}
	figure(rw, d, figurePath(sw.Source.Experiment, "summary"), "scaling: metrics against cluster size",
		"Medians against the number of nodes; whiskers are 95% confidence intervals of the medians.")
}

// scalingDelta tests the largest cluster against the smallest.
func scalingDelta(rw *markdown.Writer, sw *Sweep, extra []compare.HeadlineMetric) {
	idx := sw.Sweep.Index
	first, last := 0, len(idx.Variants)-1
	if sw.Sets[first] == nil || sw.Sets[last] == nil {
		return
	}
	notes := &compare.Footnotes{}
	var rows [][]string
	for _, k := range scalingDeltaKeys {
		m := metricByKey(k, extra)
		b := compare.Summarise(compare.MetricValues(m, sw.Sets[first]))
		o := compare.Summarise(compare.MetricValues(m, sw.Sets[last]))
		rows = append(rows, []string{m.Title(), statOf(m, b), statOf(m, o), compare.FormatDelta(m, compare.Delta(m, b, o), notes)})
	}
	rw.Printf("The largest cluster against the smallest:\n\n")
	rw.Table([]string{"metric", idx.Variants[first].Label, idx.Variants[last].Label, "change"}, rows)
	if len(notes.Texts) > 0 {
		var b strings.Builder
		notes.Write(&b)
		rw.Line(b.String())
	}
}

func electionRef(n int) string {
	if n < 2 {
		return "—"
	}
	return strconv.Itoa(3 * (n - 1))
}

func heartbeatRef(e *experiment.Experiment, n int) string {
	if e == nil || e.Cluster.Heartbeat <= 0 || n < 2 {
		return "—"
	}
	return compare.FormatValue(compare.DeltaRelative, float64(n*(n-1))/e.Cluster.Heartbeat.Seconds()) + "/s"
}

// heartbeatShare says how the measured heartbeat rates compare with
// n(n−1)/heartbeat, over the variants.
func heartbeatShare(sw *Sweep, extra []compare.HeadlineMetric) string {
	if sw.Exp == nil || sw.Exp.Cluster.Heartbeat <= 0 {
		return ""
	}
	m := metricByKey("heartbeat_per_s", extra)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, v := range sw.Sweep.Index.Variants {
		n, err := strconv.Atoi(v.Values[nodesField])
		if err != nil || n < 2 || sw.Sets[i] == nil {
			continue
		}
		st := compare.Summarise(compare.MetricValues(m, sw.Sets[i]))
		share := st.Center / (float64(n*(n-1)) / sw.Exp.Cluster.Heartbeat.Seconds())
		lo, hi = math.Min(lo, share), math.Max(hi, share)
	}
	if math.IsInf(lo, 0) {
		return ""
	}
	share := fmt.Sprintf("%.0f–%.0f%%", 100*lo, 100*hi)
	if math.Round(100*lo) == math.Round(100*hi) {
		share = fmt.Sprintf("%.0f%%", 100*hi)
	}
	out := " The measured rates are " + share + " of that"
	if hi < 0.98 {
		// Heartbeats keep their period (cluster.Machine.tickHeartbeat), so
		// what is missing is the nodes that were down and the run's edges.
		out += ": a crashed node sends none while it is down, and the count divides a whole process lifetime's messages by the load's duration"
	}
	return out + "."
}
