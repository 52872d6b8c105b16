package check

import (
	"fmt"
	"math"

	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/rundir"
)

// metric is one value a threshold can name, in the units of its Summary
// field, with how to print it.
type metric struct {
	value float64
	unit  string // "ms", "req/s", "%" (a 0..1 fraction printed as a percentage) or "" (a count)
	na    string // why the metric does not apply to this run; "" when it does
}

// lookup finds the metric a threshold names.
func lookup(s *rundir.Summary, name string) (metric, bool) {
	lat := func(v float64) metric {
		m := metric{value: v, unit: "ms"}
		if s.Latency.Count == 0 {
			m.na = "no request ended"
		}
		return m
	}
	fo := func(v float64) metric {
		m := metric{value: v, unit: "ms"}
		if s.Faults.FailoverMs.N == 0 {
			m.na = "no failover was measured (no coordinator fault took effect)"
		}
		return m
	}
	switch name {
	case "success_rate":
		m := metric{value: s.SuccessRate, unit: "%"}
		if s.Requests.Total == 0 {
			m.na = "no request was issued"
		}
		return m, true
	case "throughput":
		return metric{value: s.ThroughputRPS, unit: "req/s"}, true
	case "bound_achieved":
		if s.Bound == nil {
			return metric{unit: "%", na: "the run has no throughput bound (open loop or no service time)"}, true
		}
		return metric{value: s.Bound.Achieved, unit: "%"}, true
	case "lost":
		return metric{value: float64(s.Requests.Lost)}, true
	case "mean":
		return lat(s.Latency.MeanMs), true
	case "p50":
		return lat(s.Latency.P50Ms), true
	case "p90":
		return lat(s.Latency.P90Ms), true
	case "p95":
		return lat(s.Latency.P95Ms), true
	case "p99":
		return lat(s.Latency.P99Ms), true
	case "p999":
		return lat(s.Latency.P999Ms), true
	case "max":
		return lat(s.Latency.MaxMs), true
	case "failover_p50":
		return fo(s.Faults.FailoverMs.P50), true
	case "failover_max":
		return fo(s.Faults.FailoverMs.Max), true
	}
	return metric{}, false
}

// Thresholds turns each expect: threshold into a check. A metric that
// does not apply to the run, an unknown metric or operator, or a value that
// could not be measured fails its check and says why.
func Thresholds(s *rundir.Summary, ts []experiment.Threshold) []rundir.Check {
	checks := make([]rundir.Check, 0, len(ts))
	for _, t := range ts {
		checks = append(checks, threshold(s, t))
	}
	return checks
}

func threshold(s *rundir.Summary, t experiment.Threshold) rundir.Check {
	c := rundir.Check{Name: "expect " + t.Metric}
	m, known := lookup(s, t.Metric)
	switch {
	case !known:
		c.Detail = fmt.Sprintf("unknown metric %q (threshold %q)", t.Metric, t.Raw)
		return c
	case m.na != "":
		c.Detail = fmt.Sprintf("%s does not apply: %s (threshold %q)", t.Metric, m.na, t.Raw)
		return c
	case math.IsNaN(m.value) || math.IsInf(m.value, 0):
		c.Detail = fmt.Sprintf("%s was not measured (%v)", t.Metric, m.value)
		return c
	}
	pass, ok := compare(m.value, t.Op, t.Value)
	if !ok {
		c.Detail = fmt.Sprintf("unknown operator %q (threshold %q)", t.Op, t.Raw)
		return c
	}
	c.Pass = pass
	c.Detail = fmt.Sprintf("%s %s, want %s %s", t.Metric, format(m.value, m.unit), t.Op, format(t.Value, m.unit))
	return c
}

func compare(v float64, op string, want float64) (pass, ok bool) {
	switch op {
	case "<":
		return v < want, true
	case "<=":
		return v <= want, true
	case ">":
		return v > want, true
	case ">=":
		return v >= want, true
	case "==":
		return v == want, true
	}
	return false, false
}

func format(v float64, unit string) string {
	switch unit {
	case "%":
		return units.NumPrec(v*100, 4) + "%"
	case "":
		return units.Num(v)
	}
	return units.Num(v) + " " + unit
}
