package quantile

import (
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Rank is the 1-based rank of percentile q (0..100; clamped, NaN is 0) among
// n values: ceil(q/100 × n) within [1, n]; 0 when n ≤ 0. As in HdrHistogram,
// q is first lowered by one ulp so that a product that is an integer only up
// to rounding (99.9/100 × 1000) is not pushed to the next rank.
func Rank(q float64, n int64) int64 {
	if n <= 0 {
		return 0
	}
	if math.IsNaN(q) {
		q = 0
	}
	q = min(max(math.Nextafter(q, math.Inf(-1)), 0), 100)
	r := int64(math.Ceil(q / 100 * float64(n)))
	return min(max(r, 1), n)
}

// Sorted is percentile q (0..100) of values sorted in increasing order: the
// value at Rank(q, len). 0 for no values.
func Sorted(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[Rank(q, int64(len(sorted)))-1]
}

// HDR is percentile q (0..100) of the values recorded in h, in h's units: the
// highest value equivalent to the value at Rank(q, count), as the .hgrm
// distribution prints it. 0 for an empty histogram.
func HDR(h *hdr.Histogram, q float64) int64 {
	n := h.TotalCount()
	if n <= 0 {
		return 0
	}
	// Any rank in (r−1, r] has ceiling r and any in [r−0.5, r+0.5) rounds to
	// r: asking for rank r − 0.25 gets the value at rank r whichever rule the
	// library applies.
	r := float64(Rank(q, n))
	return h.ValueAtQuantile(100 * (r - 0.25) / float64(n))
}
