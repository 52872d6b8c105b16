package record

import (
	"time"

	"stegocloud/harness/rundir"
)

const (
	// seriesSpan is how late (in run time) a result may arrive and still
	// count in its bucket's percentiles: results reach the recorder as they
	// complete, so only scheduling delay separates a bucket's last result from
	// the first result of a later bucket.
	seriesSpan = 5 * time.Second
	// seriesMinOpen and seriesMaxOpen bound how many bucket histograms
	// are kept open (each ~140 KB), whatever the bucket width.
	seriesMinOpen = 4
	seriesMaxOpen = 16
	// seriesMaxBuckets caps the time series (36 h of 1 s buckets, ~10 MB) so a
	// corrupt timestamp cannot claim unbounded memory.
	seriesMaxBuckets = 1 << 17
	// seriesSlab is how many buckets' per-node columns are allocated at once.
	seriesSlab = 64
)

// series accumulates the time series: fixed buckets by end time, counts kept
// for every bucket, percentiles from a small ring of open histograms. When a
// result opens a new bucket, histograms of buckets that fell out of the ring
// are read (p50, p99) and reset for reuse, so memory stays flat however long
// the run. A result older than the ring still counts in its bucket but not in
// its percentiles (late).
type series struct {
	width   time.Duration
	nodes   int
	buckets []rundir.Bucket
	ring    []*hist
	owner   []int // bucket index held by ring[i], -1 when free
	newest  int
	slab    []int
	late    int64 // results that missed their bucket's percentiles
	outside int64 // results beyond seriesMaxBuckets
}

func newSeries(width time.Duration, nodes int, maxLatency time.Duration) *series {
	open := int((seriesSpan + width - 1) / width)
	open = min(max(open, seriesMinOpen), seriesMaxOpen)
	s := &series{width: width, nodes: nodes, newest: -1,
		ring: make([]*hist, open), owner: make([]int, open)}
	for i := range s.ring {
		s.ring[i] = newHist(maxLatency)
		s.owner[i] = -1
	}
	return s
}

// add counts one result that ended at offset end (≥ 0) from the load start.
// node is the serving node of an ok result (0: none or unknown).
func (s *series) add(end, latency time.Duration, ok bool, node int) {
	b := int(end / s.width)
	if b >= seriesMaxBuckets {
		s.outside++
		return
	}
	if b > s.newest {
		s.advance(b)
	}
	bk := &s.buckets[b]
	if ok {
		bk.OK++
		if node >= 1 && node <= s.nodes {
			bk.PerNode[node-1]++
		}
	} else {
		bk.Errors++
	}
	if b <= s.newest-len(s.ring) {
		s.late++
		return
	}
	slot := b % len(s.ring)
	s.owner[slot] = b
	s.ring[slot].record(latency)
}

// advance makes b the newest bucket: it finalises every ring slot whose bucket
// is now too old and grows the bucket list.
func (s *series) advance(b int) {
	for i, o := range s.owner {
		if o >= 0 && o <= b-len(s.ring) {
			s.finalise(i)
		}
	}
	for len(s.buckets) <= b {
		if len(s.slab) < s.nodes {
			s.slab = make([]int, seriesSlab*s.nodes)
		}
		per := s.slab[:s.nodes:s.nodes]
		s.slab = s.slab[s.nodes:]
		s.buckets = append(s.buckets, rundir.Bucket{T: (time.Duration(len(s.buckets)) * s.width).Seconds(), PerNode: per})
	}
	s.newest = b
}

func (s *series) finalise(slot int) {
	bk := &s.buckets[s.owner[slot]]
	h := s.ring[slot]
	bk.P50Ms, bk.P99Ms = h.quantileMs(50), h.quantileMs(99)
	h.reset()
	s.owner[slot] = -1
}

// close finalises the open buckets; the series is complete afterwards.
func (s *series) close() {
	for i, o := range s.owner {
		if o >= 0 {
			s.finalise(i)
		}
	}
}
