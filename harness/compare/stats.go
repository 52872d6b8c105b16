package compare

import (
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
)

const (
	// Confidence is the level of the confidence intervals of medians.
	Confidence = 0.95
	// Alpha is the significance level of the U test, benchstat's default.
	Alpha = 0.05
	// MinRuns is the fewest runs per side for which compare runs the U
	// test at all: with 3 against 3 its smallest possible p is 0.1, so a
	// difference could never be shown and "~" would read as "no difference".
	MinRuns = 4
)

// MetricStat is one metric over the runs of one run set.
type MetricStat struct {
	Values []float64 // one per run that measured the metric, sorted
	Center float64   // the single value, or the median
	// Lo and Hi bound the Confidence interval of the median; they are
	// ±Inf when there are too few runs for one (benchmath needs 6 at 95%),
	// and equal to Center for a single run.
	Lo, Hi   float64
	Warnings []string
}

// N is the number of runs that measured the metric.
func (s MetricStat) N() int { return len(s.Values) }

// HasCI reports whether the interval is finite and from more than one run.
func (s MetricStat) HasCI() bool {
	return s.N() > 1 && !math.IsInf(s.Lo, 0) && !math.IsInf(s.Hi, 0) && !math.IsNaN(s.Lo) && !math.IsNaN(s.Hi)
}

// Summarise is benchstat's summary of a sample: the median and a
// distribution-free confidence interval (benchmath.AssumeNothing), because
// run-to-run noise on a loaded 2-core machine is neither normal nor symmetric.
func Summarise(values []float64) MetricStat {
	vs := slices.Clone(values)
	switch len(vs) {
	case 0:
		return MetricStat{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	case 1:
		return MetricStat{Values: vs, Center: vs[0], Lo: vs[0], Hi: vs[0]}
	}
	th := benchmath.DefaultThresholds
	th.CompareAlpha = Alpha
	sum := benchmath.AssumeNothing.Summary(benchmath.NewSample(vs, &th), Confidence)
	st := MetricStat{Values: vs, Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi}
	for _, w := range sum.Warnings {
		st.Warnings = append(st.Warnings, w.Error())
	}
	return st
}

// DeltaVerdict is what a comparison of one metric between two sets may claim.
type DeltaVerdict uint8

const (
	// DeltaMissing: a side did not measure the metric.
	DeltaMissing DeltaVerdict = iota
	// DeltaUntested: one run on each side, a plain difference of two values.
	DeltaUntested
	// DeltaTooFew: repeated runs, but fewer than MinRuns on a side.
	DeltaTooFew
	// DeltaSignificant: the U test's p is at most Alpha.
	DeltaSignificant
	// DeltaNoDifference: the U test found none ("~").
	DeltaNoDifference
)

// MetricDelta is one metric of a set against the same metric of the first set.
type MetricDelta struct {
	Verdict DeltaVerdict
	// Diff is the change of the centres in the metric's MetricDeltaKind:
	// percent, percentage points or a count. NaN when undefined (a zero or
	// infinite base for a relative change).
	Diff float64
	// Improved is +1 when the centre moved the better way, -1 the worse way,
	// 0 when it did not move.
	Improved int
	P        float64 // the U test's p-value (tested verdicts only)
	N1, N2   int     // runs on each side
	Warnings []string
}

// Delta compares other against base for metric m, the way benchstat does:
// the change of medians, and a Mann-Whitney U test whose p decides between a
// claimed change and "~".
func Delta(m HeadlineMetric, base, other MetricStat) MetricDelta {
	d := MetricDelta{N1: base.N(), N2: other.N(), Diff: math.NaN()}
	if d.N1 == 0 || d.N2 == 0 {
		return d
	}
	d.Diff = diff(m.Delta, base.Center, other.Center)
	switch {
	case other.Center > base.Center:
		d.Improved = int(m.Better)
	case other.Center < base.Center:
		d.Improved = -int(m.Better)
	}
	switch {
	case d.N1 == 1 && d.N2 == 1:
		d.Verdict = DeltaUntested
		return d
	case d.N1 < MinRuns || d.N2 < MinRuns:
		d.Verdict = DeltaTooFew
		return d
	}
	th := benchmath.DefaultThresholds
	th.CompareAlpha = Alpha
	c := benchmath.AssumeNothing.Compare(
		benchmath.NewSample(slices.Clone(base.Values), &th),
		benchmath.NewSample(slices.Clone(other.Values), &th))
	d.P = c.P
	for _, w := range c.Warnings {
		d.Warnings = append(d.Warnings, w.Error())
	}
	d.Verdict = DeltaNoDifference
	if c.P <= c.Alpha {
		d.Verdict = DeltaSignificant
	}
	return d
}

// diff is the change from base to v in the given kind.
func diff(kind MetricDeltaKind, base, v float64) float64 {
	if kind == DeltaPoints || kind == DeltaCount {
		return v - base
	}
	if v == base {
		return 0
	}
	if base == 0 || math.IsInf(base, 0) || math.IsInf(v, 0) {
		return math.NaN()
	}
	return 100 * (v/base - 1)
}
