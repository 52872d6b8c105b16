package design

import (
	"fmt"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

// partSpec is what one Part 2 section shows of its source, whatever its
// shape: the variants side by side (one column for a plain run), each
// check's verdict, the metrics of keys and the rows, the findings of the
// checks that failed, for a sweep the change of compare's metrics against
// the base variant (and the throughput cost against a target), and the
// run figures of each variant.
type partSpec struct {
	intro   string    // what the section is about, before the data
	metrics []string  // keys of compare.HeadlineMetrics and part2Metrics
	rows    []partRow // rows of their own, after the metrics
	compare []string  // metrics tested against the base variant (sweeps)
	// maxCost > 0 states the throughput cost of every other variant
	// against the base and the target it must meet (0.15: ≤ 15% less).
	maxCost float64
	figures []partFigure
}

// partRow is a row of the variants table: its value for one variant.
type partRow struct {
	label string
	value func(v Variant) string
}

// partFigure is a run figure shown per variant, with its caption.
type partFigure struct{ name, caption string }

// maxFindings is how many findings of one check the README lists; the
// rest are in the summary.json it cites.
const maxFindings = 3

// part2Metrics are metrics of the Part 2 sections that compare does not
// have: per-run counts from summary.json.
var part2Metrics = []compare.HeadlineMetric{
	countMetric("coordinator_changes", "coordinator changes", func(s *rundir.Summary) (float64, bool) {
		return float64(s.Elections.CoordinatorChanges), true
	}),
	countMetric("elections", "elections", func(s *rundir.Summary) (float64, bool) { return float64(s.Elections.Total), true }),
	countMetric("takeovers", "coordinator changes beyond failovers", takeovers),
	{Key: "failover_max", Label: "failover time max", Unit: "ms", Better: compare.LowerIsBetter,
		Value: func(s *rundir.Summary) (float64, bool) { return s.Faults.FailoverMs.Max, s.Faults.FailoverMs.N > 0 }},
	countMetric("duplicates", "duplicate responses", func(s *rundir.Summary) (float64, bool) { return float64(s.Requests.Duplicates), true }),
	countMetric("overlaps", "coordinator overlaps", func(s *rundir.Summary) (float64, bool) { return float64(s.Elections.Overlaps), true }),
	countMetric("in_faults", "requests overlapping a fault window", func(s *rundir.Summary) (float64, bool) {
		return float64(s.LatencyInFaults.Count), true
	}),
	{Key: "p99_in_faults", Label: "latency p99 in fault windows", Unit: "ms", Better: compare.LowerIsBetter,
		Value: func(s *rundir.Summary) (float64, bool) { return s.LatencyInFaults.P99Ms, s.LatencyInFaults.Count > 0 }},
	{Key: "p99_out_faults", Label: "latency p99 outside them", Unit: "ms", Better: compare.LowerIsBetter,
		Value: func(s *rundir.Summary) (float64, bool) { return s.LatencyOutFaults.P99Ms, s.LatencyOutFaults.Count > 0 }},
	// Replication cost (harness/doc.go): a summary.json from before it
	// existed has no messages counted in it, and shows "—".
	{Key: "replication_per_request", Label: "replication messages per request (table or Raft frames)", Better: compare.LowerIsBetter,
		Value: func(s *rundir.Summary) (float64, bool) { return s.Replication.MessagesPerRequest, hasReplication(s) }},
	{Key: "all_messages_per_request", Label: "all messages per request", Better: compare.LowerIsBetter,
		Value: func(s *rundir.Summary) (float64, bool) { return s.Replication.AllMessagesPerRequest, hasReplication(s) }},
	{Key: "fsyncs_per_s", Label: "fsyncs per second (Raft's WAL; Bully's not counted)", Unit: "/s", Better: compare.LowerIsBetter,
		Value: func(s *rundir.Summary) (float64, bool) { return s.Replication.FsyncsPerS, hasReplication(s) }},
}

// hasReplication: the summary has the replication cost (it counted
// messages, which every run with nodes has).
func hasReplication(s *rundir.Summary) bool { return s.Replication.AllMessagesPerRequest > 0 }

func countMetric(key, label string, get func(*rundir.Summary) (float64, bool)) compare.HeadlineMetric {
	return compare.HeadlineMetric{Key: key, Label: label, Better: compare.LowerIsBetter, Delta: compare.DeltaCount, Value: get}
}

// takeovers are the coordinator changes a failover does not explain: a
// node that came back and took the coordinator's place (the seed's rule,
// which hysteresis is about). Every measured failover is one change; the
// first coordinator is none.
func takeovers(s *rundir.Summary) (float64, bool) {
	if s.Faults.Injected == 0 {
		return 0, false
	}
	return math.Max(0, float64(s.Elections.CoordinatorChanges-s.Faults.FailoverMs.N)), true
}

// partSection writes one Part 2 source under heading, or says it has not
// run yet (Load has warned).
func partSection(rw *markdown.Writer, d *Data, heading, name string, r *Result, spec partSpec) {
	rw.Printf("%s\n\n", heading)
	if spec.intro != "" {
		rw.Printf("%s\n\n", spec.intro)
	}
	if r == nil {
		rw.Printf("*Not run yet:* `make experiment NAME=%s`, then `make report` (see Warnings).\n\n", name)
		return
	}
	rw.Printf("%s\n\n", describeResult(r))
	citeResult(rw, r)
	rw.Table(variantHeader(r), variantRows(r, spec))
	rw.Line("Checks: PASS or **FAIL** per run (a check the experiment declares an expected anomaly shows whether that anomaly was found); metrics: the median over the runs ± its 95% interval (the range below 6 runs).\n")
	findings(rw, d, r, len(spec.figures) > 0)
	if r.Sweep != nil && len(spec.compare) > 0 && len(r.Sweep.Sweep.Index.Fields) > 0 {
		field := r.Sweep.Sweep.Index.Fields[0]
		if spec.maxCost > 0 {
			costLines(rw, r.Sweep, field, spec.maxCost)
		}
		deltaTable(rw, r.Sweep, field, spec.compare, part2Metrics)
	}
	for _, f := range spec.figures {
		for _, v := range r.Variants {
			rel := path.Join(FigureDir, r.Source.Experiment, v.Path, f.name+".png")
			alt := strings.TrimSpace(r.Source.Experiment + " " + v.Label)
			figure(rw, d, rel, alt+": "+f.name, alt+": "+f.caption)
		}
	}
}

// describeResult says what ran: the experiment's description, what a
// sweep varied, the workload and the faults as executed.
func describeResult(r *Result) string {
	var parts []string
	if sw := r.Sweep; sw != nil {
		idx := sw.Sweep.Index
		var varied []string
		for _, f := range idx.Fields {
			varied = append(varied, fmt.Sprintf("`%s` ∈ {%s}", f, strings.Join(compare.AxisOf(f, idx.Variants).Order, ", ")))
		}
		parts = append(parts, fmt.Sprintf("Swept %s: %d variants, %s.", strings.Join(varied, " × "), len(idx.Variants), compare.RepeatText(idx.Variants)))
	} else if set := firstSet(r); set != nil && set.Repeated() {
		parts = append(parts, fmt.Sprintf("%d runs.", len(set.Runs)))
	}
	if e := r.Exp; e != nil {
		if e.Description != "" {
			parts = append(parts, strings.TrimSpace(e.Description))
		}
		parts = append(parts, "Workload: "+report.WorkloadLine(e, e.Workload.Mode())+".")
	}
	if nf := netFaults(r); nf != "" {
		parts = append(parts, "Network faults as executed: "+nf+".")
	} else if r.Exp != nil {
		parts = append(parts, strings.ToUpper(faultLine(r.Exp)[:1])+faultLine(r.Exp)[1:]+".")
	}
	return strings.Join(parts, " ")
}

// netFaults lists the first run's network faults as schedule.json
// recorded them: "partition [1] | [2 3] at 5.0 s for 5.0 s".
func netFaults(r *Result) string {
	set := firstSet(r)
	if set == nil {
		return ""
	}
	var out []string
	for _, n := range set.Runs[0].Summary.Faults.Network {
		w := fmt.Sprintf("%s at %.1f s", n.What, n.AtS)
		if n.ForS > 0 {
			w += fmt.Sprintf(" for %.1f s", n.ForS)
		}
		out = append(out, w)
	}
	return strings.Join(out, "; ")
}

func citeResult(rw *markdown.Writer, r *Result) {
	var runs []compare.LoadedRun
	for _, v := range r.Variants {
		if v.Set != nil {
			runs = append(runs, v.Set.Runs...)
		}
	}
	files := rundir.FileSummary
	if set := firstSet(r); set != nil {
		files = runFile(set, rundir.FileSummary)
	}
	if r.Sweep != nil {
		files = "sweep.json, <variant>/" + files
	}
	cite(rw, r.Source, files, runs)
}

func variantHeader(r *Result) []string {
	h := []string{""}
	for _, v := range r.Variants {
		h = append(h, orDash(v.Label))
	}
	if len(r.Variants) == 1 && r.Variants[0].Label == "" {
		h[1] = r.Source.Experiment
	}
	return h
}

// variantRows: runs, verdict, every check, the metrics, the spec's rows.
func variantRows(r *Result, spec partSpec) [][]string {
	row := func(label string, cell func(v Variant) string) []string {
		out := []string{label}
		for _, v := range r.Variants {
			if v.Set == nil {
				out = append(out, "— (unreadable)")
				continue
			}
			out = append(out, cell(v))
		}
		return out
	}
	rows := [][]string{
		row("runs", func(v Variant) string { return fmt.Sprint(len(v.Set.Runs)) }),
		row("verdict", func(v Variant) string { return setVerdict(v.Set) }),
	}
	for _, name := range checkNames(r) {
		rows = append(rows, row("check `"+name+"`", func(v Variant) string { return checkCell(v.Set, name) }))
	}
	for _, k := range spec.metrics {
		m := metricByKey(k, part2Metrics)
		rows = append(rows, row(m.Title(), func(v Variant) string {
			return statOf(m, compare.Summarise(compare.MetricValues(m, v.Set)))
		}))
	}
	for _, pr := range spec.rows {
		rows = append(rows, row(pr.label, pr.value))
	}
	return rows
}

func setVerdict(set *compare.RunSet) string {
	passed := 0
	for _, r := range set.Runs {
		if r.Summary.Verdict.Pass {
			passed++
		}
	}
	if len(set.Runs) == 1 {
		return boldFail(report.PassFail(passed == 1))
	}
	return fmt.Sprintf("%d of %d passed", passed, len(set.Runs))
}

// checkNames lists every check of every run, in order of first
// appearance.
func checkNames(r *Result) []string {
	var out []string
	for _, v := range r.Variants {
		if v.Set == nil {
			continue
		}
		for _, run := range v.Set.Runs {
			for _, c := range run.Summary.Verdict.Checks {
				out = compare.AppendDistinct(out, c.Name)
			}
		}
	}
	return out
}

// checkCell is a check's result over a set's runs: "PASS" for one run,
// "PASS in 10 of 10", "PASS in 8 of 10, **FAIL** in 2".
func checkCell(set *compare.RunSet, name string) string {
	var results []string
	counts := map[string]int{}
	for _, r := range set.Runs {
		res := "—"
		if i := slices.IndexFunc(r.Summary.Verdict.Checks, func(c rundir.Check) bool { return c.Name == name }); i >= 0 {
			res = boldFail(report.CheckResult(r.Summary.Verdict.Checks[i]))
		}
		if counts[res] == 0 {
			results = append(results, res)
		}
		counts[res]++
	}
	if len(set.Runs) == 1 {
		return results[0]
	}
	parts := make([]string, len(results))
	for i, res := range results {
		parts[i] = fmt.Sprintf("%s in %d", res, counts[res])
	}
	parts[0] += fmt.Sprintf(" of %d", len(set.Runs))
	return strings.Join(parts, ", ")
}

// boldFail makes a failure that nobody expected stand out.
func boldFail(res string) string {
	if res == "FAIL" {
		return "**FAIL**"
	}
	return res
}

// findings says, per variant, what each check that did not come out as
// plain PASS found, in the run report's words: the first such run's
// evidence (at most maxFindings), or its detail.
func findings(rw *markdown.Writer, d *Data, r *Result, timeline bool) {
	var lines []string
	for _, v := range r.Variants {
		if v.Set == nil {
			continue
		}
		for _, name := range checkNames(r) {
			lines = append(lines, checkFindings(d, r, v, name)...)
		}
	}
	if len(lines) == 0 {
		return
	}
	if timeline {
		rw.Line("What the checks found (the timeline figures below mark each finding with a time along their bottom):\n")
	} else {
		rw.Line("What the checks found:\n")
	}
	for _, l := range lines {
		rw.Line(l)
	}
	rw.Line("")
}

func checkFindings(d *Data, r *Result, v Variant, name string) []string {
	n, first := 0, -1
	var c rundir.Check
	for i, run := range v.Set.Runs {
		j := slices.IndexFunc(run.Summary.Verdict.Checks, func(c rundir.Check) bool { return c.Name == name })
		if j < 0 {
			continue
		}
		if ch := run.Summary.Verdict.Checks[j]; !ch.Pass || ch.Expected {
			n++
			if first < 0 {
				first, c = i, ch
			}
		}
	}
	if first < 0 {
		return nil
	}
	file := path.Join(DataDir, r.Source.Experiment, relRun(d, r, v.Set.Runs[first].Dir), rundir.FileSummary)
	who := strings.TrimSpace(v.Label + " `" + name + "`")
	head := fmt.Sprintf("- **%s: %s**", who, report.CheckResult(c))
	if len(v.Set.Runs) > 1 {
		head += fmt.Sprintf(" (in %d of %d runs; the first, `%s`)", n, len(v.Set.Runs), file)
	} else {
		head += fmt.Sprintf(" (`%s`)", file)
	}
	if len(c.Evidence) == 0 {
		return []string{head + ": " + strings.TrimSuffix(c.Detail, ".") + "."}
	}
	lines := []string{head + ":"}
	for i, e := range c.Evidence {
		if i == maxFindings {
			lines = append(lines, fmt.Sprintf("  - … and %d more in that file.", len(c.Evidence)-maxFindings))
			break
		}
		lines = append(lines, "  - "+report.Explain(e))
	}
	return lines
}

// relRun is a run directory relative to its experiment's data directory.
func relRun(d *Data, r *Result, dir string) string {
	rel, err := filepath.Rel(filepath.Join(d.out, DataDir, r.Source.Experiment), dir)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return "."
	}
	return filepath.ToSlash(rel)
}

// costLines states, for every variant against the base (the sweep's first
// value of field), the ratio of the median throughputs, compare's test,
// and whether the cost meets the target.
func costLines(rw *markdown.Writer, sw *Sweep, field string, maxCost float64) {
	idx := sw.Sweep.Index
	base := compare.AxisOf(field, idx.Variants).Order[0]
	m := metricByKey("throughput", nil)
	for i, v := range idx.Variants {
		bi := baseVariant(idx, v, field, base)
		if bi < 0 || sw.Sets[i] == nil || sw.Sets[bi] == nil {
			continue
		}
		b := compare.Summarise(compare.MetricValues(m, sw.Sets[bi]))
		o := compare.Summarise(compare.MetricValues(m, sw.Sets[i]))
		if b.N() == 0 || o.N() == 0 || b.Center <= 0 {
			continue
		}
		ratio := o.Center / b.Center
		dl := compare.Delta(m, b, o)
		test := "one run a side: no test"
		switch dl.Verdict {
		case compare.DeltaTooFew:
			test = fmt.Sprintf("too few runs for the U test (%d and %d)", dl.N1, dl.N2)
		case compare.DeltaSignificant:
			test = fmt.Sprintf("p=%.3f (%d and %d runs): a significant difference at α = %.2f", dl.P, dl.N1, dl.N2, compare.Alpha)
		case compare.DeltaNoDifference:
			test = fmt.Sprintf("p=%.3f (%d and %d runs): no significant difference at α = %.2f", dl.P, dl.N1, dl.N2, compare.Alpha)
		}
		verdict := "**met**"
		if ratio < 1-maxCost {
			verdict = "**missed**"
		}
		if dl.Verdict != compare.DeltaSignificant {
			// The medians decide the target; say when the runs cannot
			// tell their difference from the machine's noise.
			verdict += " on the medians, though the runs do not tell the difference from noise"
		}
		rw.Printf("**%s against %s:** throughput %s vs %s (medians), ratio **%.3f×** (%+.1f%%); %s. Target: at most %.0f%% less throughput (ratio ≥ %.2f): %s.\n\n",
			v.Label, idx.Variants[bi].Label, report.RPS(o.Center), report.RPS(b.Center), ratio, 100*(ratio-1), test, 100*maxCost, 1-maxCost, verdict)
	}
}

// firstSet is the first variant's runs that could be read; nil if none.
func firstSet(r *Result) *compare.RunSet {
	for _, v := range r.Variants {
		if v.Set != nil {
			return v.Set
		}
	}
	return nil
}
