package harness

import (
	"math/bits"
	"sync/atomic"
	"time"

	"stegocloud/harness/internal/quantile"
)

// latencyWindow is a cheap, lock-free latency histogram for the progress
// display: buckets of one power of two of microseconds split into 8 linear
// steps (relative error under 12.5%), counted with atomics and emptied at each
// read, so that what it reports is the latency of the last interval. The
// recorder's HDR histograms remain the measurement; this is only a gauge.
type latencyWindow struct {
	buckets [64 * windowSteps]atomic.Uint64
}

const (
	windowStepBits = 3
	windowSteps    = 1 << windowStepBits
)

func (w *latencyWindow) add(d time.Duration) {
	w.buckets[windowBucket(uint64(max(d.Microseconds(), 0)))].Add(1)
}

// windowBucket maps µs to a bucket: values below windowSteps get a bucket
// each; above, the top bit picks the octave and the next bits the step.
func windowBucket(us uint64) int {
	if us < windowSteps {
		return int(us)
	}
	top := bits.Len64(us) - 1 // ≥ windowStepBits
	step := (us >> (top - windowStepBits)) & (windowSteps - 1)
	return (top-windowStepBits+1)*windowSteps + int(step)
}

// windowUpper is the largest µs value that falls in bucket b.
func windowUpper(b int) uint64 {
	if b < windowSteps {
		return uint64(b)
	}
	octave, step := b/windowSteps-1, uint64(b%windowSteps)
	top := octave + windowStepBits
	lo := uint64(1)<<top | step<<(top-windowStepBits)
	return lo + (uint64(1) << (top - windowStepBits)) - 1
}

// drain empties the window and returns how many latencies it held and the
// q-quantile (0..1) of them (at package quantile's rank), rounded up to its
// bucket's upper bound so the gauge never flatters; zero when empty.
func (w *latencyWindow) drain(q float64) (n uint64, value time.Duration) {
	var counts [len(w.buckets)]uint64
	for i := range w.buckets {
		counts[i] = w.buckets[i].Swap(0)
		n += counts[i]
	}
	if n == 0 {
		return 0, 0
	}
	rank := uint64(quantile.Rank(100*q, int64(n)))
	var seen uint64
	for i, c := range counts {
		if seen += c; seen >= rank {
			return n, time.Duration(windowUpper(i)) * time.Microsecond
		}
	}
	return n, 0
}
