package record

import (
	"fmt"
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"stegocloud/harness/internal/quantile"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/rundir"
)

// HDR geometry shared by every latency histogram of a run: microseconds from
// 1 µs with 3 significant figures (a value is known to within 0.1%).
const (
	lowestMicros = 1
	sigFigs      = 3
	// DefaultMaxLatency is the highest latency a histogram tracks unless the
	// run asks for more; longer latencies are clamped to it and reported.
	DefaultMaxLatency = 60 * time.Second
)

// hist is one latency histogram plus the exact moments the HDR buckets
// cannot give: count, mean and variance (Welford, in ms), minimum and maximum
// (ns). Percentiles come from the histogram (package quantile's definition)
// and are clamped to [min, max], so a bucket's upper edge never reports a
// p99.9 above the true maximum.
type hist struct {
	h        *hdr.Histogram
	n        int64
	mean, m2 float64 // ms
	min, max time.Duration
	clamped  int64 // values above the trackable range, recorded as the range's top
	highest  int64 // µs
}

func newHist(maxLatency time.Duration) *hist {
	highest := maxLatency.Microseconds()
	return &hist{h: hdr.New(lowestMicros, highest, sigFigs), highest: highest}
}

// record adds one latency. Negative latencies must be filtered by the caller.
func (r *hist) record(d time.Duration) {
	us := (d + time.Microsecond/2) / time.Microsecond
	v := int64(us)
	if v > r.highest {
		v = r.highest
		r.clamped++
	}
	// In range by construction, so RecordValue cannot fail (and cannot allocate
	// an error).
	_ = r.h.RecordValue(v)
	if r.n == 0 || d < r.min {
		r.min = d
	}
	if d > r.max {
		r.max = d
	}
	r.n++
	ms := float64(d) / float64(time.Millisecond)
	delta := ms - r.mean
	r.mean += delta / float64(r.n)
	r.m2 += delta * (ms - r.mean)
}

func (r *hist) reset() {
	r.h.Reset()
	r.n, r.mean, r.m2, r.min, r.max, r.clamped = 0, 0, 0, 0, 0, 0
}

// quantileMs is the latency at percentile q (0..100) in ms.
func (r *hist) quantileMs(q float64) float64 {
	if r.n == 0 {
		return 0
	}
	v := float64(quantile.HDR(r.h, q)) / 1000
	lo, hi := units.Ms(r.min), units.Ms(r.max)
	return math.Min(math.Max(v, lo), hi)
}

// latency is the Latency block of this histogram.
func (r *hist) latency() rundir.Latency {
	if r.n == 0 {
		return rundir.Latency{}
	}
	return rundir.Latency{
		Count:    r.n,
		MeanMs:   r.mean,
		StdDevMs: math.Sqrt(r.m2 / float64(r.n)),
		MinMs:    units.Ms(r.min),
		P50Ms:    r.quantileMs(50),
		P90Ms:    r.quantileMs(90),
		P95Ms:    r.quantileMs(95),
		P99Ms:    r.quantileMs(99),
		P999Ms:   r.quantileMs(99.9),
		MaxMs:    units.Ms(r.max),
	}
}

// encode is the compressed base64 V2 form ("HISTF…") of the histogram.
func (r *hist) encode() (string, error) {
	b, err := r.h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		return "", fmt.Errorf("encoding histogram: %w", err)
	}
	return string(b), nil
}
