package experiment

import (
	"strconv"
	"strings"
	"time"
)

// thresholdUnit is how a metric's threshold is written and stored.
type thresholdUnit int

const (
	unitFraction thresholdUnit = iota // written "99.9%", stored 0.999
	unitRate                          // written "98/s", stored requests per second
	unitLatency                       // written "550ms", stored milliseconds
	unitCount                         // written "0", stored as is
)

// expectMetrics lists every Expect field in the order Thresholds returns them;
// metric names are Threshold.Metric's (below).
var expectMetrics = []struct {
	metric string
	unit   thresholdUnit
	get    func(*Expect) string
}{
	{"success_rate", unitFraction, func(x *Expect) string { return x.SuccessRate }},
	{"throughput", unitRate, func(x *Expect) string { return x.Throughput }},
	{"bound_achieved", unitFraction, func(x *Expect) string { return x.BoundAchieved }},
	{"mean", unitLatency, func(x *Expect) string { return x.Mean }},
	{"p50", unitLatency, func(x *Expect) string { return x.P50 }},
	{"p90", unitLatency, func(x *Expect) string { return x.P90 }},
	{"p95", unitLatency, func(x *Expect) string { return x.P95 }},
	{"p99", unitLatency, func(x *Expect) string { return x.P99 }},
	{"p999", unitLatency, func(x *Expect) string { return x.P999 }},
	{"max", unitLatency, func(x *Expect) string { return x.Max }},
	{"lost", unitCount, func(x *Expect) string { return x.Lost }},
	{"failover_p50", unitLatency, func(x *Expect) string { return x.FailoverP50 }},
	{"failover_max", unitLatency, func(x *Expect) string { return x.FailoverMax }},
}

// Thresholds parses every expectation that is set, in a fixed metric order.
func (x *Expect) Thresholds() ([]Threshold, error) {
	ts, errs := x.thresholds()
	return ts, errs.join()
}

func (x *Expect) thresholds() ([]Threshold, fieldErrors) {
	var out []Threshold
	var fe fieldErrors
	for _, m := range expectMetrics {
		raw := m.get(x)
		if raw == "" {
			continue
		}
		t, err := parseThreshold(m.metric, m.unit, raw)
		if err != nil {
			fe.addf("expect."+m.metric, "%v", err)
			continue
		}
		out = append(out, t)
	}
	return out, fe
}

// parseThreshold reads "<op> <value>", e.g. ">= 99.9%", "< 1s", ">= 98/s".
func parseThreshold(metric string, unit thresholdUnit, raw string) (Threshold, error) {
	s := strings.TrimSpace(raw)
	op := ""
	for _, o := range []string{"<=", ">=", "==", "<", ">"} {
		if strings.HasPrefix(s, o) {
			op = o
			break
		}
	}
	if op == "" {
		return Threshold{}, badValuef("%q: start with one of <, <=, >, >=, == (e.g. %q)", raw, exampleThreshold[unit])
	}
	text := strings.TrimSpace(s[len(op):])
	v, err := thresholdValue(unit, text)
	if err != nil {
		return Threshold{}, badValuef("%q: %v (e.g. %q)", raw, err, exampleThreshold[unit])
	}
	return Threshold{Metric: metric, Op: op, Value: v, Raw: raw}, nil
}

var exampleThreshold = map[thresholdUnit]string{
	unitFraction: ">= 99.9%",
	unitRate:     ">= 98/s",
	unitLatency:  "< 550ms",
	unitCount:    "== 0",
}

func thresholdValue(unit thresholdUnit, text string) (float64, error) {
	switch unit {
	case unitFraction:
		num, ok := strings.CutSuffix(text, "%")
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if !ok || err != nil || f < 0 || f > 100 {
			return 0, badValuef("want a percentage in 0%%..100%%, got %q", text)
		}
		return f / 100, nil
	case unitRate:
		num, per, ok := strings.Cut(text, "/")
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		d, derr := time.ParseDuration(strings.TrimSpace(per))
		if derr != nil {
			d, derr = time.ParseDuration("1" + strings.TrimSpace(per))
		}
		if !ok || err != nil || derr != nil || f < 0 || d <= 0 {
			return 0, badValuef("want a rate such as 98/s, got %q", text)
		}
		return f / d.Seconds(), nil
	case unitLatency:
		d, err := time.ParseDuration(text)
		if err != nil || d < 0 {
			return 0, badValuef("want a duration with a unit such as 550ms, got %q", text)
		}
		return float64(d) / float64(time.Millisecond), nil
	default:
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			return 0, badValuef("want a whole number ≥ 0, got %q", text)
		}
		return float64(n), nil
	}
}

// Threshold is one `expect:` entry of an experiment, e.g. p99 "< 1s" becomes
// {Metric: "p99", Op: "<", Value: 1000, Raw: "< 1s"}. Values are in the units
// of the Summary field the metric names: milliseconds for latencies, requests
// per second for throughput, a 0..1 fraction for rates.
type Threshold struct {
	Metric string  `json:"metric"` // success_rate | throughput | bound_achieved | mean | p50 | p90 | p95 | p99 | p999 | max | lost | failover_p50 | failover_max
	Op     string  `json:"op"`     // < | <= | > | >= | ==
	Value  float64 `json:"value"`
	Raw    string  `json:"raw"` // as written in the experiment file
}
