package design

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

// balancerField and nodesField are the fields the balancer and
// scaling sections read from a sweep's variants.
const (
	balancerField = "cluster.balancer"
	nodesField    = "cluster.nodes"
)

// balancerKeys are the headline metrics of the balancer tables.
var balancerKeys = []string{"throughput", "success_rate", "p50", "p99", "max", "spread_cv", "spread_maxmin", "lost"}

// balancerDeltaKeys are the metrics tested against the base balancer.
var balancerDeltaKeys = []string{"throughput", "p50", "p99", "spread_cv", "lost"}

func metricByKey(key string, extra []compare.HeadlineMetric) compare.HeadlineMetric {
	for _, m := range append(compare.HeadlineMetrics(), extra...) {
		if m.Key == key {
			return m
		}
	}
	panic("harness: no headline metric " + key) // a programming error: keys are constants
}

// statOf prints one variant's value of a metric: a single run's value;
// the median ± its 95% interval from 6 runs; the median and the range below.
func statOf(m compare.HeadlineMetric, st compare.MetricStat) string {
	switch {
	case st.N() == 0:
		return "—"
	case math.IsNaN(st.Center):
		// benchmath has no median for a sample holding ∞ (a max/min ratio
		// with an idle node); the middle of the sorted values is one.
		return fmt.Sprintf("%s (%s–%s)", compare.FormatValue(m.Delta, middle(st.Values)), compare.FormatValue(m.Delta, st.Values[0]), compare.FormatValue(m.Delta, st.Values[len(st.Values)-1]))
	case st.N() == 1 || st.HasCI():
		return compare.FormatStat(m.Delta, st)
	}
	return fmt.Sprintf("%s (%s–%s)", compare.FormatValue(m.Delta, st.Center), compare.FormatValue(m.Delta, st.Values[0]), compare.FormatValue(m.Delta, st.Values[len(st.Values)-1]))
}

// middle is the median of sorted values by position: the mean of the
// two middle ones for an even count (∞ if either is).
func middle(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// describeSweep describes what a sweep held fixed and what it varied.
func describeSweep(sw *Sweep) string {
	idx := sw.Sweep.Index
	var varied []string
	for _, f := range idx.Fields {
		ax := compare.AxisOf(f, idx.Variants)
		varied = append(varied, fmt.Sprintf("`%s` ∈ {%s}", f, strings.Join(ax.Order, ", ")))
	}
	s := fmt.Sprintf("Swept %s: %d variants, %s.", strings.Join(varied, " × "), len(idx.Variants), compare.RepeatText(idx.Variants))
	if e := sw.Exp; e != nil {
		c := e.Cluster
		fixed := []string{report.WorkloadLine(e, e.Workload.Mode())}
		svc := fmt.Sprintf("%s simulated service time", c.Service.Delay)
		if c.Service.MaxConcurrent > 0 {
			svc += fmt.Sprintf(", at most %d requests at once per node (%s per node)", c.Service.MaxConcurrent,
				report.RPS(float64(c.Service.MaxConcurrent)/c.Service.Delay.Seconds()))
		}
		fixed = append(fixed, svc, faultLine(e))
		if !slices.Contains(idx.Fields, balancerField) {
			fixed = append(fixed, "balancer "+c.Balancer)
		}
		s += " Fixed: " + strings.Join(fixed, "; ") + "."
	}
	return s
}

// citeSweep names a sweep's files.
func citeSweep(rw *markdown.Writer, sw *Sweep) {
	var runs []compare.LoadedRun
	for _, set := range sw.Sets {
		if set != nil {
			runs = append(runs, set.Runs...)
		}
	}
	cite(rw, sw.Source, "sweep.json, sweep.md, <variant>/rep-N/summary.json", runs)
}

// baseVariant is the index of the variant that v is compared with: the
// one with the same values but field set to base; -1 if none (or v is it).
func baseVariant(idx rundir.SweepIndex, v rundir.SweepVariant, field, base string) int {
	if v.Values[field] == base {
		return -1
	}
	for i, o := range idx.Variants {
		if o.Values[field] != base {
			continue
		}
		same := true
		for _, f := range idx.Fields {
			if f != field && o.Values[f] != v.Values[f] {
				same = false
			}
		}
		if same {
			return i
		}
	}
	return -1
}

// deltaTable writes, for every variant with a base, the change of each
// metric against the base with compare's verdict.
func deltaTable(rw *markdown.Writer, sw *Sweep, field string, keys []string, extra []compare.HeadlineMetric) {
	idx := sw.Sweep.Index
	base := compare.AxisOf(field, idx.Variants).Order[0]
	notes := &compare.Footnotes{}
	header, metrics := metricColumns(keys, extra, "variant", "against")
	var rows [][]string
	for i, v := range idx.Variants {
		bi := baseVariant(idx, v, field, base)
		if bi < 0 || sw.Sets[i] == nil || sw.Sets[bi] == nil {
			continue
		}
		row := []string{v.Label, idx.Variants[bi].Label}
		for _, m := range metrics {
			b := compare.Summarise(compare.MetricValues(m, sw.Sets[bi]))
			o := compare.Summarise(compare.MetricValues(m, sw.Sets[i]))
			row = append(row, compare.FormatDelta(m, compare.Delta(m, b, o), notes))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return
	}
	rw.Table(header, rows)
	if len(notes.Texts) > 0 {
		var b strings.Builder
		notes.Write(&b)
		rw.Line(b.String())
	}
	rw.Printf("Each cell is the change of the median against `%s` with the same other values; `p` is the two-sided Mann-Whitney U test over the runs "+
		"(benchstat's method): a change is claimed (better/worse) only at p ≤ %.2f with ≥ %d runs a side, and `~` means no significant difference. "+
		"The table runs %d tests; at α = %.2f about %.1f of them would show a difference by chance were there none.\n\n",
		base, compare.Alpha, compare.MinRuns, len(rows)*len(metrics), compare.Alpha, compare.Alpha*float64(len(rows)*len(metrics)))
}

// balancerSection is the balancer comparison.
func balancerSection(rw *markdown.Writer, d *Data) {
	sw := d.Balancers
	if sw == nil {
		return
	}
	rw.Line("## 5. Balancers\n")
	rw.Line("The seed's \"transparent load balancing\" is one choice among several: `lowest-load` (the seed's \"lowest load wins\", per request), `round-robin`, `random`, and `coordinator` (the coordinator serves everything itself — the seed read literally).\n")
	rw.Printf("%s\n\n", describeSweep(sw))
	citeSweep(rw, sw)
	header, metrics := metricColumns(balancerKeys, nil, "variant", "runs")
	var rows [][]string
	for _, row := range sw.Sweep.Rows {
		cells := []string{row.Variant.Label, fmt.Sprint(row.N)}
		for _, m := range metrics {
			cells = append(cells, statOf(m, rowStat(row, m)))
		}
		rows = append(rows, cells)
	}
	rw.Table(header, rows)
	rw.Line("Medians over the runs ± the 95% confidence interval of the median (benchmath, as benchstat; fewer than 6 runs show the range instead). Spread: the coefficient of variation of the nodes' shares of served requests and the largest share over the smallest (∞: a node served nothing).\n")
	if slices.Contains(sw.Sweep.Index.Fields, balancerField) {
		deltaTable(rw, sw, balancerField, balancerDeltaKeys, nil)
	}
	figure(rw, d, figurePath(sw.Source.Experiment, "summary"), "balancers: headline metrics",
		"Medians per balancer, a bar per cluster size (colours in the figure's key); whiskers are 95% confidence intervals of the medians.")
}

// rowStat is a sweep row's statistic of m.
func rowStat(row compare.SweepRow, m compare.HeadlineMetric) compare.MetricStat {
	for i, hm := range compare.HeadlineMetrics() {
		if hm.Key == m.Key {
			return row.Stats[i]
		}
	}
	return compare.MetricStat{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
}

// metricColumns is a table's header — first, then a column per metric of
// keys — and those metrics.
func metricColumns(keys []string, extra []compare.HeadlineMetric, first ...string) ([]string, []compare.HeadlineMetric) {
	header := first
	var metrics []compare.HeadlineMetric
	for _, k := range keys {
		m := metricByKey(k, extra)
		metrics = append(metrics, m)
		header = append(header, m.Title())
	}
	return header, metrics
}
