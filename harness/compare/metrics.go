package compare

import (
	"math"

	"stegocloud/harness/rundir"
)

// MetricBetter says which way a headline metric improves.
type MetricBetter int8

const (
	HigherIsBetter MetricBetter = 1
	LowerIsBetter  MetricBetter = -1
)

func (b MetricBetter) String() string {
	if b == HigherIsBetter {
		return "higher"
	}
	return "lower"
}

// MetricDeltaKind says how the difference between two values of a metric is shown.
type MetricDeltaKind uint8

const (
	// DeltaRelative is the change in percent of the first value ("+12.3%").
	DeltaRelative MetricDeltaKind = iota
	// DeltaPoints is the plain difference of two percentages ("-1.50 pp"):
	// a relative change of a success rate near 100% would hide its size.
	DeltaPoints
	// DeltaCount is the plain difference of two counts ("+5"): a relative
	// change from zero lost requests is undefined, yet it is the news.
	DeltaCount
)

// HeadlineMetric is one row of a comparison or column of a sweep table.
type HeadlineMetric struct {
	Key    string // stable identifier, used in figure file names
	Label  string // what a reader sees
	Unit   string // "" for plain ratios
	Better MetricBetter
	Delta  MetricDeltaKind
	// Value extracts the metric from one run; ok is false when the run did
	// not measure it (no failover without faults, no spread with one node).
	Value func(s *rundir.Summary) (v float64, ok bool)
}

// Title is the label with its unit, for table rows and axis labels.
func (m HeadlineMetric) Title() string {
	if m.Unit == "" {
		return m.Label
	}
	return m.Label + " (" + m.Unit + ")"
}

// HeadlineMetrics returns the metrics compare and sweep report, in order.
// Their definitions are those of the Summary fields they read.
func HeadlineMetrics() []HeadlineMetric {
	lat := func(key, label string, get func(l *rundir.Latency) float64) HeadlineMetric {
		return HeadlineMetric{Key: key, Label: label, Unit: "ms", Better: LowerIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) { return get(&s.Latency), s.Latency.Count > 0 }}
	}
	return []HeadlineMetric{
		{Key: "throughput", Label: "throughput", Unit: "req/s", Better: HigherIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) { return s.ThroughputRPS, true }},
		{Key: "success_rate", Label: "success rate", Unit: "%", Better: HigherIsBetter, Delta: DeltaPoints,
			Value: func(s *rundir.Summary) (float64, bool) { return 100 * s.SuccessRate, s.Requests.Total > 0 }},
		lat("mean", "latency mean", func(l *rundir.Latency) float64 { return l.MeanMs }),
		lat("p50", "latency p50", func(l *rundir.Latency) float64 { return l.P50Ms }),
		lat("p95", "latency p95", func(l *rundir.Latency) float64 { return l.P95Ms }),
		lat("p99", "latency p99", func(l *rundir.Latency) float64 { return l.P99Ms }),
		lat("p999", "latency p99.9", func(l *rundir.Latency) float64 { return l.P999Ms }),
		lat("max", "latency max", func(l *rundir.Latency) float64 { return l.MaxMs }),
		{Key: "failover_p50", Label: "failover time p50", Unit: "ms", Better: LowerIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) { return s.Faults.FailoverMs.P50, s.Faults.FailoverMs.N > 0 }},
		{Key: "spread_maxmin", Label: "per-node spread max/min", Better: LowerIsBetter,
			Value: spreadMaxMin},
		{Key: "spread_cv", Label: "per-node spread CV", Better: LowerIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) { return s.Balance.CV, len(s.Nodes) > 1 }},
		{Key: "messages_per_request", Label: "messages per request", Better: LowerIsBetter,
			Value: func(s *rundir.Summary) (float64, bool) { return s.MessagesPerRequest, s.Requests.Total > 0 }},
		{Key: "lost", Label: "lost requests", Better: LowerIsBetter, Delta: DeltaCount,
			Value: func(s *rundir.Summary) (float64, bool) { return float64(s.Requests.Lost), true }},
	}
}

// spreadMaxMin reads Balance.MaxMinRatio, whose 0 means "a node served
// nothing": the ratio is then unbounded, and shown as ∞ rather than as the
// best possible value.
func spreadMaxMin(s *rundir.Summary) (float64, bool) {
	if len(s.Nodes) < 2 {
		return 0, false
	}
	if s.Balance.MaxMinRatio == 0 {
		return math.Inf(1), true
	}
	return s.Balance.MaxMinRatio, true
}
