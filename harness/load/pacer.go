package load

import (
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// closedPacer wraps vegeta's zero ConstantPacer (no wait: a hit whenever a
// worker is free) and stops after exactly total hits. (Ending the targeter
// with ErrNoTargets instead would make vegeta report extra, failed hits.)
type closedPacer struct {
	vegeta.ConstantPacer
	total uint64
}

func (p closedPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if hits >= p.total {
		return 0, true
	}
	return p.ConstantPacer.Pace(elapsed, hits)
}

// openPacer runs an inner vegeta pacer on its exact schedule and remembers
// when each hit was due, so that latency can be measured from the intended
// start instead of the send (vegeta's Result.Timestamp is the send, which hides
// queueing behind a stalled request: coordinated omission).
//
// It does the waiting itself and returns a zero wait: vegeta's own sleep cannot
// be interrupted, so at low rates a stop would otherwise wait for the next hit.
type openPacer struct {
	inner vegeta.Pacer
	until time.Duration   // no hit falls due at or after this
	stop  <-chan struct{} // closed when the load must end

	mu      sync.Mutex
	start   time.Time // the attack's start, from the first Pace call
	lastN   uint64
	lastDue time.Duration
	haveDue bool
	ring    []dueEntry // due time of hit n at ring[n & mask]
	mask    uint64
	slow    atomic.Uint64
}

type dueEntry struct {
	n   uint64
	due time.Duration
	ok  bool
}

// newOpenPacer keeps due times for the last ringSize hits; it must exceed how
// far vegeta's hit count can run ahead of a worker reading its entry (the
// number of workers, plus scheduling slack). Misses are recomputed, not lost.
func newOpenPacer(inner vegeta.Pacer, until time.Duration, maxWorkers int, stop <-chan struct{}) *openPacer {
	size := uint64(1) << bits.Len64(uint64(max(4096, 8*maxWorkers)-1))
	return &openPacer{inner: inner, until: until, stop: stop, ring: make([]dueEntry, size), mask: size - 1}
}

func (p *openPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	p.mu.Lock()
	if p.start.IsZero() {
		p.start = time.Now().Add(-elapsed)
	}
	due, stop := p.dueLocked(hits)
	if !stop && due < p.until {
		p.ring[hits&p.mask] = dueEntry{n: hits, due: due, ok: true}
	}
	start := p.start
	p.mu.Unlock()
	if stop || due >= p.until {
		return 0, true
	}
	if !SleepUntil(start.Add(due), p.stop) {
		return 0, true
	}
	return 0, false
}

func (p *openPacer) Rate(elapsed time.Duration) float64 { return p.inner.Rate(elapsed) }

// dueLocked searches forward from the previous hit's due time: due times never
// decrease, so the search is a step or two per hit.
func (p *openPacer) dueLocked(n uint64) (time.Duration, bool) {
	from := time.Duration(0)
	if p.haveDue && p.lastN <= n {
		if p.lastN == n {
			return p.lastDue, false
		}
		from = p.lastDue
	}
	due, stop := dueTime(p.inner, n, from)
	if !stop {
		p.lastN, p.lastDue, p.haveDue = n, due, true
	}
	return due, stop
}

// intended is when hit seq was due. vegeta numbers hits in the order workers
// start them, and the n-th start answers the n-th tick, so hit seq was due at
// the pacer's time for tick seq.
func (p *openPacer) intended(seq uint64) time.Time {
	p.mu.Lock()
	e, start := p.ring[seq&p.mask], p.start
	p.mu.Unlock()
	if e.ok && e.n == seq {
		return start.Add(e.due)
	}
	p.slow.Add(1)
	due, _ := dueTime(p.inner, seq, 0)
	return start.Add(due)
}

func (p *openPacer) began() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.start
}

// dueTime is when pacer p releases hit n, as an offset from the attack's
// start, searching forward from `from` (≤ the answer). For vegeta's own
// pacers it is computed from the hit curve each pacer defines — the exact
// earliest instant, not what vegeta's Pace happens to return when called far
// from the schedule (its sine pacer's numeric solver only works near it).
// Other pacers are followed through their waits. stop reports that the
// pacer will never release hit n.
func dueTime(p vegeta.Pacer, n uint64, from time.Duration) (time.Duration, bool) {
	switch p := p.(type) {
	case vegeta.ConstantPacer:
		if p.Freq == 0 || p.Per == 0 {
			return 0, false // vegeta: infinite rate
		}
		interval := uint64(p.Per.Nanoseconds() / int64(p.Freq))
		if p.Freq < 0 || p.Per < 0 || interval == 0 || n >= math.MaxInt64/interval-1 {
			return 0, true
		}
		// vegeta releases hit n at (n+1) intervals; its per-period catch-up
		// rule never fires earlier, as interval ≤ Per/Freq.
		return time.Duration((n + 1) * interval), false
	case vegeta.LinearPacer:
		if p.StartAt.Per == 0 || p.StartAt.Freq == 0 || n == 0 {
			return 0, false // vegeta releases the first hit at once
		}
		rate0 := float64(p.StartAt.Freq) / p.StartAt.Per.Seconds()
		return firstReaching(func(t time.Duration) float64 {
			x := t.Seconds()
			return p.Slope*x*x/2 + rate0*x
		}, n, from)
	case vegeta.SinePacer:
		if p.Period <= 0 || perNs(p.Mean) <= 0 || perNs(p.Amp) >= perNs(p.Mean) {
			return 0, true // vegeta stops an invalid sine pacer
		}
		return firstReaching(sineHits(p), n, from)
	}
	return followWaits(p, n, from)
}

// sineHits is vegeta's SinePacer hit curve: H(t) = M·t + (A·P/2π)(cos O − cos(O + 2πt/P)).
func sineHits(p vegeta.SinePacer) func(time.Duration) float64 {
	mean := perNs(p.Mean)
	ampHits := perNs(p.Amp) * float64(p.Period) / (2 * math.Pi)
	return func(t time.Duration) float64 {
		if t <= 0 {
			return 0
		}
		return mean*float64(t) + ampHits*(math.Cos(p.StartAt)-math.Cos(p.StartAt+float64(t)*2*math.Pi/float64(p.Period)))
	}
}

// perNs is a rate in hits per nanosecond; an unset rate is 0.
func perNs(r vegeta.Rate) float64 {
	if r.Per == 0 {
		return 0
	}
	return float64(r.Freq) / float64(r.Per)
}

// maxDue is where searching for a due time gives up: a pacer whose rate fell
// to zero never releases the hit.
const maxDue = 1000 * time.Hour

// firstReaching is the earliest t ≥ from at which the non-decreasing hit
// curve h passes n (vegeta releases hit n once uint64(h(t)) > n), to the
// nanosecond: an exponential search for a bracket, then bisection.
func firstReaching(h func(time.Duration) float64, n uint64, from time.Duration) (time.Duration, bool) {
	target := float64(n) + 1 // uint64(h) > n, without converting negative values
	reached := func(t time.Duration) bool { return h(t) >= target }
	lo := max(from, 0)
	if reached(lo) {
		return lo, false
	}
	hi := lo
	for step := time.Microsecond; !reached(hi); step *= 2 {
		lo, hi = hi, hi+step
		if hi > maxDue {
			return 0, true
		}
	}
	for hi-lo > 1 { // invariant: !reached(lo), reached(hi)
		mid := lo + (hi-lo)/2
		if reached(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, false
}

// followWaits serves pacers the driver does not know: it steps by the waits
// the pacer returns until it says "now".
func followWaits(p vegeta.Pacer, n uint64, from time.Duration) (time.Duration, bool) {
	t := from
	for range 64 {
		wait, stop := p.Pace(t, n)
		if stop {
			return t, true
		}
		if wait <= 0 {
			return t, false
		}
		t += wait
	}
	return t, false
}

// SleepUntil waits until deadline or until stop closes; it reports whether
// the deadline was reached. Short waits skip the timer: it would cost more
// than it saves.
func SleepUntil(deadline time.Time, stop <-chan struct{}) bool {
	d := time.Until(deadline)
	if d <= 0 {
		select {
		case <-stop:
			return false
		default:
			return true
		}
	}
	if d < time.Millisecond {
		time.Sleep(d)
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
		return false
	}
}
