package design

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/internal/quantile"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

// Targets of DESIGN §12: the most throughput mutual TLS and the fault
// proxies may cost on the throughput experiment.
const (
	targetTLSCost   = 0.15
	targetProxyCost = 0.10
)

var timelineFigure = partFigure{"timeline", "latency and throughput over time; node faults shaded in the node's colour, network faults hatched, decided elections dashed, and each check's findings marked along the bottom (the first run of a repeat set)."}

func partitionSection(rw *markdown.Writer, d *Data) {
	if d.Sources.Partition == "" {
		return
	}
	partSection(rw, d, "## 8. Network partitions", d.Sources.Partition, d.Partition, partSpec{
		intro: "The fault proxies (DESIGN §8) sit on every peer and client link and hold the bytes across a cut — nothing is dropped, it flows late at the heal. " +
			"The seed's load-based Bully has no quorum: cut the coordinator from its peers and both sides act as coordinator, which `single_coordinator` finds (two reigns overlapping beyond the handover tolerance, with the requests both assigned); " +
			"Raft (`cluster.election: raft`) must not. summary.json does not split availability by side of a partition: the table gives the requests that overlapped a fault window, their p99, and what each node served.",
		metrics: []string{"success_rate", "p50", "p99", "lost", "duplicates", "overlaps", "coordinator_changes", "elections",
			"in_faults", "p99_in_faults", "p99_out_faults", "messages_per_request", "replication_per_request", "fsyncs_per_s"},
		rows: []partRow{
			{"requests served per node", firstOf(servedPerNode)},
			{"failover time (pooled)", failoverPooled},
		},
		figures: []partFigure{timelineFigure},
	})
}

func tlsSection(rw *markdown.Writer, d *Data) {
	if d.Sources.TLS == "" {
		return
	}
	partSection(rw, d, "## 9. The cost of TLS", d.Sources.TLS, d.TLS, partSpec{
		intro:   "Mutual TLS 1.3 on every connection (DESIGN §10) against plaintext, in the same run with the repeats interleaved; DESIGN §12 allows it at most 15% of the throughput.",
		metrics: []string{"throughput", "success_rate", "p50", "p99", "lost"},
		compare: []string{"throughput", "p50", "p99"},
		maxCost: targetTLSCost,
	})
}

func hysteresisSection(rw *markdown.Writer, d *Data) {
	if d.Sources.Hysteresis == "" {
		return
	}
	partSection(rw, d, "## 10. Hysteresis", d.Sources.Hysteresis, d.Hysteresis, partSpec{
		intro: "By the seed's rule a node that comes back calls an election and, idle and so the lowest load, wins it: every crash of the coordinator costs two coordinator changes. " +
			"`cluster.election_margin` makes a challenger win only if its load is lower by more than the margin. " +
			"The changes beyond failovers are the coordinator changes that no measured failover explains: a returning node taking over (summary.json does not name who won each recovery election).",
		metrics: []string{"coordinator_changes", "takeovers", "elections", "failover_p50", "failover_max", "success_rate", "lost"},
		rows: []partRow{
			{"recovery elections", median(func(s *rundir.Summary) float64 { return float64(s.Elections.ByCause["recovery"]) })},
			{"failover time (pooled)", failoverPooled},
		},
		compare: []string{"coordinator_changes", "takeovers", "failover_p50"},
	})
}

func electionsSection(rw *markdown.Writer, d *Data) {
	if d.Sources.Elections == "" {
		return
	}
	partSection(rw, d, "## 13. Bully and Raft under coordinator crashes", d.Sources.Elections, d.Elections, partSpec{
		intro: "The failover experiment with the seed's load-based Bully and with Raft (`cluster.election: raft`: etcd-io/raft's leader is the coordinator, the table its replicated state machine, every Ready fsynced before its messages leave). " +
			"Messages per request are the request path (the same frames in both modes); the replication messages are the table's frames with Bully and every Raft frame with Raft (its appends, votes and heartbeats share one counter). " +
			"Fsyncs are Raft's WAL fsyncs; Bully fsyncs only its persisted epoch bound, once per 16 election rounds, which no counter shows. " +
			"Elections with Raft are the terms in which a node became candidate.",
		metrics: []string{"failover_p50", "failover_max", "throughput", "success_rate", "p50", "p99", "lost", "elections", "coordinator_changes",
			"messages_per_request", "replication_per_request", "all_messages_per_request", "fsyncs_per_s"},
		rows: []partRow{
			{"failover time (pooled)", failoverPooled},
			{"fsyncs per run", median(func(s *rundir.Summary) float64 { return float64(s.Replication.Fsyncs) })},
		},
		compare: []string{"failover_p50", "throughput", "p99"},
		figures: []partFigure{timelineFigure},
	})
}

func proxiesSection(rw *markdown.Writer, d *Data) {
	if d.Sources.Proxies == "" {
		return
	}
	partSection(rw, d, "## 11. The cost of the fault proxies", d.Sources.Proxies, d.Proxies, partSpec{
		intro:   "The fault proxies on every peer link (the clients connect directly unless a partition places them), with no fault injected, against direct connections, in the same run with the repeats interleaved; DESIGN §12 allows them at most 10% of the throughput.",
		metrics: []string{"throughput", "success_rate", "p50", "p99", "lost"},
		rows:    []partRow{{"what the proxies carried", firstOf(proxiesCarried)}},
		compare: []string{"throughput", "p50", "p99"},
		maxCost: targetProxyCost,
	})
}

// viewsSection is the two view experiments, each in its own subsection.
func viewsSection(rw *markdown.Writer, d *Data) {
	if d.Sources.Quota == "" && d.Sources.PartitionQuota == "" {
		return
	}
	rw.Line("## 12. Views and quota\n")
	rw.Line("The seed's Phase 2 (DESIGN §11): a view spends one of an image's views from the cluster's table. The harness records every table operation (history.jsonl) and checks it: `linearizable` with porcupine, per image, and `quota_safety` (never more views granted than the quota). Under faults the seed's coordinator store keeps running; under a partition with clients on both sides it may grant the same last view twice.\n")
	spec := partSpec{
		metrics: []string{"success_rate", "p50", "p99", "lost", "overlaps"},
		rows: []partRow{
			{"table operations", tableRow(func(t *rundir.TableSummary) string { return fmt.Sprintf("%d (%s)", t.Ops, report.Counts(t.ByKind)) })},
			{"views granted", tableRow(func(t *rundir.TableSummary) string { return strconv.Itoa(t.Granted) })},
			{"views refused", tableRow(func(t *rundir.TableSummary) string {
				n := 0
				for _, c := range t.Refused {
					n += c
				}
				return fmt.Sprintf("%d (%s)", n, orDash(report.Counts(t.Refused)))
			})},
			{"images viewed (ran out of views)", tableRow(func(t *rundir.TableSummary) string { return fmt.Sprintf("%d (%d)", t.Images, t.Spent) })},
			{"porcupine check time", tableRow(func(t *rundir.TableSummary) string {
				s := fmt.Sprintf("%s over %d partitions", report.Ms(t.LinearizableMS), t.Partitions)
				if t.Undecided > 0 {
					s += fmt.Sprintf(", %d undecided", t.Undecided)
				}
				return s
			})},
			{"quota_safety check time", tableRow(func(t *rundir.TableSummary) string { return report.Ms(t.QuotaSafetyMS) })},
		},
		figures: []partFigure{timelineFigure},
	}
	if name := d.Sources.Quota; name != "" {
		partSection(rw, d, "### Views under node faults ("+name+")", name, d.Quota, spec)
	}
	if name := d.Sources.PartitionQuota; name != "" {
		partSection(rw, d, "### Views under a partition ("+name+")", name, d.PartitionQuota, spec)
	}
}

// firstOf shows a value of the first run, saying so for a repeat set.
func firstOf(get func(*rundir.Summary) string) func(Variant) string {
	return func(v Variant) string {
		s := get(&v.Set.Runs[0].Summary)
		if v.Set.Repeated() {
			s += fmt.Sprintf(" (first of %d runs)", len(v.Set.Runs))
		}
		return s
	}
}

// median is the median of a per-run count over the variant's runs.
func median(get func(*rundir.Summary) float64) func(Variant) string {
	return func(v Variant) string {
		var vs []float64
		for i := range v.Set.Runs {
			vs = append(vs, get(&v.Set.Runs[i].Summary))
		}
		return compare.FormatValue(compare.DeltaCount, compare.Summarise(vs).Center)
	}
}

func servedPerNode(s *rundir.Summary) string {
	var parts []string
	for _, n := range s.Nodes {
		parts = append(parts, fmt.Sprintf("%d: %d", n.ID, n.Served))
	}
	return orDash(strings.Join(parts, ", "))
}

// failoverPooled pools the failover times of the variant's runs.
func failoverPooled(v Variant) string {
	var all []float64
	var gaps rundir.FaultSummary
	for _, r := range v.Set.Runs {
		f := r.Summary.Faults
		all = append(all, f.FailoverMs.All...)
		gaps.FailoverMasked += f.FailoverMasked
		gaps.FailoverUnresolved += f.FailoverUnresolved
	}
	out := "none measured"
	if len(all) > 0 {
		slices.Sort(all)
		out = fmt.Sprintf("p50 %s, max %s (n=%d)", report.Ms(quantile.Sorted(all, 50)), report.Ms(all[len(all)-1]), len(all))
	}
	return out + report.FailoverGaps(gaps)
}

func proxiesCarried(s *rundir.Summary) string {
	p := s.Proxies
	if p == nil {
		return "no proxies"
	}
	return fmt.Sprintf("%d links, %d connections, %.1f MB", p.Links, p.Accepted, float64(p.Bytes)/1e6)
}

// tableRow shows a value of the first run's table summary; a run
// without one (no views, or a summary.json from before they existed)
// shows that it has none.
func tableRow(get func(*rundir.TableSummary) string) func(Variant) string {
	return func(v Variant) string {
		i := slices.IndexFunc(v.Tables, func(t *rundir.TableSummary) bool { return t != nil })
		if i < 0 {
			return "— (no table in summary.json)"
		}
		s := get(v.Tables[i])
		if v.Set.Repeated() {
			s += fmt.Sprintf(" (run %d of %d)", i+1, len(v.Set.Runs))
		}
		return s
	}
}
