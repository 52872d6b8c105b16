package compare

import (
	"math"
	"testing"

	"stegocloud/harness/rundirtest"
)

func metricByKey(t *testing.T, key string) HeadlineMetric {
	t.Helper()
	for _, m := range HeadlineMetrics() {
		if m.Key == key {
			return m
		}
	}
	t.Fatalf("no headline metric %q", key)
	return HeadlineMetric{}
}

func TestSummarise(t *testing.T) {
	tests := []struct {
		name           string
		in             []float64
		center, lo, hi float64
		hasCI          bool
		warned         bool
	}{
		{name: "empty", in: nil, center: math.NaN(), lo: math.NaN(), hi: math.NaN()},
		{name: "one run is its own value", in: []float64{7}, center: 7, lo: 7, hi: 7},
		{name: "five runs: median, interval unbounded below", in: []float64{5, 1, 4, 2, 3}, center: 3,
			lo: math.Inf(-1), hi: 5, warned: true},
		{name: "six runs: order statistics 1 and 6", in: []float64{6, 1, 5, 2, 4, 3}, center: 3.5, lo: 1, hi: 6, hasCI: true},
		{name: "ten runs: order statistics 2 and 9", in: []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, center: 5.5, lo: 2, hi: 9, hasCI: true},
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]float64(nil), tt.in...)
			got := Summarise(in)
			if !same(got.Center, tt.center) || !same(got.Lo, tt.lo) || !same(got.Hi, tt.hi) {
				t.Errorf("Summarise(%v) = %v [%v, %v], want %v [%v, %v]", tt.in, got.Center, got.Lo, got.Hi, tt.center, tt.lo, tt.hi)
			}
			if got.HasCI() != tt.hasCI {
				t.Errorf("Summarise(%v).HasCI() = %v, want %v", tt.in, got.HasCI(), tt.hasCI)
			}
			if (len(got.Warnings) > 0) != tt.warned {
				t.Errorf("Summarise(%v) warnings %q, want warned=%v", tt.in, got.Warnings, tt.warned)
			}
			for i := range in {
				if in[i] != tt.in[i] {
					t.Fatalf("Summarise reordered its input: %v, was %v", in, tt.in)
				}
			}
		})
	}
}

func TestDelta(t *testing.T) {
	five := func(base float64) MetricStat {
		return Summarise([]float64{base, base + 1, base + 2, base + 3, base + 4})
	}
	tests := []struct {
		name     string
		metric   string
		base     MetricStat
		other    MetricStat
		verdict  DeltaVerdict
		diff     float64
		improved int
	}{
		{name: "not measured on one side", metric: "failover_p50", base: Summarise(nil), other: Summarise([]float64{100}),
			verdict: DeltaMissing, diff: math.NaN()},
		{name: "single runs are not tested", metric: "p99", base: Summarise([]float64{200}), other: Summarise([]float64{250}),
			verdict: DeltaUntested, diff: 25, improved: -1},
		{name: "higher throughput is better", metric: "throughput", base: Summarise([]float64{80}), other: Summarise([]float64{100}),
			verdict: DeltaUntested, diff: 25, improved: 1},
		{name: "three runs are too few", metric: "p99", base: Summarise([]float64{1, 2, 3}), other: five(100),
			verdict: DeltaTooFew, diff: 100 * (102.0/2 - 1), improved: -1},
		{name: "one against five is too few", metric: "p99", base: five(100), other: Summarise([]float64{1}),
			verdict: DeltaTooFew, diff: 100 * (1.0/102 - 1), improved: 1},
		{name: "separated samples differ", metric: "p50", base: five(100), other: five(200),
			verdict: DeltaSignificant, diff: 100 * (202.0/102 - 1), improved: -1},
		{name: "interleaved samples do not", metric: "p50", base: Summarise([]float64{1, 3, 5, 7, 9}), other: Summarise([]float64{2, 4, 6, 8, 10}),
			verdict: DeltaNoDifference, diff: 100 * (6.0/5 - 1), improved: -1},
		{name: "success rate moves in points", metric: "success_rate", base: Summarise([]float64{99.5}), other: Summarise([]float64{98}),
			verdict: DeltaUntested, diff: -1.5, improved: -1},
		{name: "lost requests move in requests, even from zero", metric: "lost", base: Summarise([]float64{0}), other: Summarise([]float64{5}),
			verdict: DeltaUntested, diff: 5, improved: -1},
		{name: "relative change from zero is undefined", metric: "mean", base: Summarise([]float64{0}), other: Summarise([]float64{5}),
			verdict: DeltaUntested, diff: math.NaN(), improved: -1},
		{name: "an unbounded spread getting bounded is better", metric: "spread_maxmin", base: Summarise([]float64{math.Inf(1)}), other: Summarise([]float64{1.2}),
			verdict: DeltaUntested, diff: math.NaN(), improved: 1},
		{name: "no change", metric: "mean", base: Summarise([]float64{0}), other: Summarise([]float64{0}),
			verdict: DeltaUntested, diff: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Delta(metricByKey(t, tt.metric), tt.base, tt.other)
			if got.Verdict != tt.verdict {
				t.Errorf("verdict of %v vs %v = %d, want %d (p=%v)", tt.base.Values, tt.other.Values, got.Verdict, tt.verdict, got.P)
			}
			if !(math.Abs(got.Diff-tt.diff) < 1e-9 || (math.IsNaN(got.Diff) && math.IsNaN(tt.diff))) {
				t.Errorf("diff of %v vs %v = %v, want %v", tt.base.Values, tt.other.Values, got.Diff, tt.diff)
			}
			if got.Improved != tt.improved {
				t.Errorf("improved of %v vs %v = %d, want %d", tt.base.Values, tt.other.Values, got.Improved, tt.improved)
			}
		})
	}
}

// With nothing different between two sets of five runs, the U test at
// α = 0.05 must claim a difference rarely: benchstat's method, done right,
// fires on at most about 1 in 20 metrics (exactly 0.032 at n = 5+5, the
// largest attainable p not above 0.05). Many seeded pairs keep the estimate
// stable; the bound leaves room for its sampling error.
func TestFalseDifferenceRate(t *testing.T) {
	const pairs = 40
	tests, claims := 0, 0
	for i := range pairs {
		a, b := rundirtest.BaseSynth(uint64(1000+2*i)), rundirtest.BaseSynth(uint64(1001+2*i))
		a.Requests, b.Requests = 300, 300
		a.Light, b.Light = true, true
		c := New([]*RunSet{synthRunSet(t, a, "a", 5), synthRunSet(t, b, "b", 5)})
		for _, row := range c.Rows {
			switch row.Deltas[1].Verdict {
			case DeltaSignificant:
				claims++
				tests++
			case DeltaNoDifference:
				tests++
			}
		}
	}
	rate := float64(claims) / float64(tests)
	if tests < pairs*10 || rate > 0.08 {
		t.Errorf("%d false differences in %d tests (%.3f), want at most 0.08 over at least %d tests", claims, tests, rate, pairs*10)
	}
	t.Logf("%d false differences in %d tests (%.3f)", claims, tests, rate)
}

// With a real 20% shift in latency (about seven run-to-run standard
// deviations) and five runs a side, the mean, p50 and p95 must be called
// worse: every run of one set is slower than every run of the other, the
// strongest evidence five runs can give (p = 0.008).
func TestDetectsRealDifference(t *testing.T) {
	for i := range 10 {
		a, b := rundirtest.BaseSynth(uint64(2000+2*i)), rundirtest.BaseSynth(uint64(2001+2*i))
		a.Requests, b.Requests = 500, 500
		a.Light, b.Light = true, true
		b.BaseMs *= 1.2
		c := New([]*RunSet{synthRunSet(t, a, "a", 5), synthRunSet(t, b, "b", 5)})
		for _, row := range c.Rows {
			switch row.Metric.Key {
			case "p50", "p95", "mean":
				if d := row.Deltas[1]; d.Verdict != DeltaSignificant || d.Improved != -1 {
					t.Errorf("pair %d, %s: verdict %d improved %d (p=%.3f), want significant and worse", i, row.Metric.Key, d.Verdict, d.Improved, d.P)
				}
			}
		}
	}
}
