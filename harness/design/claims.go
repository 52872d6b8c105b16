package design

import (
	"fmt"
	"math"

	"stegocloud/harness/compare"
)

// seedClaims holds what the seed design document claims beyond its sample
// run's block (SeedClaims): quoted for comparison, never used as a
// result. Ranges are [lo, hi].
var seedClaims = struct {
	// "Expected Metrics" of the Stress Testing Analysis.
	ExpThroughput, ExpSuccessPct, ExpMeanMs, ExpP95Ms, ExpFailures [2]float64
	// "Load Distribution Example" and its "Variance: 1.7%".
	Served      [3]int
	VariancePct float64
	EvenPct     float64 // "Even distribution: ±5% across nodes"
	// "Final Node Status".
	FinalLoads [3]float64
	// "Fault Tolerance Demonstration", during its 45 s.
	FailuresObserved [2]float64 // 2–3
	FailureS         float64    // average failure duration
	Elections        [2]float64 // 5–6
	CoordChanges     int        // "Coordinator changes 5 times"
	LostPerFailure   [2]float64 // ~50–80
	RecoveryS        float64    // "<1 second after node returns"
	FailoverS        [2]float64 // "recovers within 1-2 seconds of failure"
	// The failure model: probability per node per round, round length, down.
	FailP      float64
	FailEveryS float64
}{
	ExpThroughput: [2]float64{200, 300}, ExpSuccessPct: [2]float64{95, 99}, ExpMeanMs: [2]float64{500, 600},
	ExpP95Ms: [2]float64{1000, 1500}, ExpFailures: [2]float64{100, 500},
	Served: [3]int{3245, 3180, 3575}, VariancePct: 1.7, EvenPct: 5,
	FinalLoads:       [3]float64{0.65, 0.50, 0.75},
	FailuresObserved: [2]float64{2, 3}, FailureS: 15, Elections: [2]float64{5, 6}, CoordChanges: 5,
	LostPerFailure: [2]float64{50, 80}, RecoveryS: 1, FailoverS: [2]float64{1, 2},
	FailP: 0.2, FailEveryS: 30,
}

// spread describes a distribution of served requests the way the seed's
// "Variance" can be read: the population standard deviation of the shares in
// percentage points (the seed's 1.7% is exactly that for its example), the
// coefficient of variation, the max/min ratio and the largest distance of a
// share from the even one.
type spread struct {
	SDPoints, CV, MaxMin, MaxDevPoints float64
}

func spreadOf(served []int) spread {
	total := 0
	for _, n := range served {
		total += n
	}
	if len(served) == 0 || total == 0 {
		return spread{}
	}
	even := 1 / float64(len(served))
	var sum2, lo, hi, dev float64
	lo = math.Inf(1)
	for _, n := range served {
		s := float64(n) / float64(total)
		sum2 += (s - even) * (s - even)
		lo, hi = math.Min(lo, s), math.Max(hi, s)
		dev = math.Max(dev, math.Abs(s-even))
	}
	sd := math.Sqrt(sum2 / float64(len(served)))
	sp := spread{SDPoints: 100 * sd, CV: sd / even, MaxDevPoints: 100 * dev}
	if lo > 0 {
		sp.MaxMin = hi / lo
	}
	return sp
}

// rangeText writes a claimed range: "200–300 req/s".
func rangeText(r [2]float64, unit string) string {
	s := compare.FormatValue(compare.DeltaRelative, r[0]) + "–" + compare.FormatValue(compare.DeltaRelative, r[1])
	switch unit {
	case "":
	case "%":
		s += unit
	default:
		s += " " + unit
	}
	return s
}

// againstRange says where a measurement falls against a claimed range.
func againstRange(v float64, r [2]float64) string {
	switch {
	case v < r[0]:
		return "below the claimed range"
	case v > r[1]:
		return "above the claimed range"
	}
	return "within the claimed range"
}

// timesText says how a claim relates to a measurement as a factor: "the
// claim is 2.46× the measurement", "the claim is 0.41× the measurement";
// "" when either is zero or they agree within 5%.
func timesText(claim, measured float64) string {
	if claim <= 0 || measured <= 0 {
		return ""
	}
	r := claim / measured
	if math.Abs(r-1) < 0.05 {
		return "agrees within 5%"
	}
	return fmt.Sprintf("the claim is %s× the measurement", factorText(r))
}

// factorText prints a ratio with two significant figures at least.
func factorText(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	}
	return fmt.Sprintf("%.2f", r)
}
