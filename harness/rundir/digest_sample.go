package rundir

import "time"

// The event log of a long run holds millions of lines; figures and the report
// need a picture of it, not all of it. The two samplers here keep a bounded,
// deterministic, evenly spread subset of a stream whose length is unknown in
// advance: when full they halve their resolution instead of growing.

// LoadSpan is one node's load over a span of time: the mean and the maximum
// of the load samples the node logged between From and To.
type LoadSpan struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Mean    float64   `json:"mean"`
	Max     float64   `json:"max"`
	Samples int       `json:"samples"`
}

// merge folds q (which follows p in time) into p.
func (p LoadSpan) merge(q LoadSpan) LoadSpan {
	n := p.Samples + q.Samples
	return LoadSpan{
		From:    p.From,
		To:      q.To,
		Mean:    (p.Mean*float64(p.Samples) + q.Mean*float64(q.Samples)) / float64(n),
		Max:     max(p.Max, q.Max),
		Samples: n,
	}
}

// loadSeries keeps at most limit points for one node. Each point averages
// group consecutive samples; when the series overflows, adjacent points are
// merged pairwise and group doubles, so memory stays O(limit) for any run and
// every point still covers a contiguous span (peaks survive in Max).
type loadSeries struct {
	limit int
	group int
	pts   []LoadSpan
}

func newLoadSeries(limit int) *loadSeries {
	return &loadSeries{limit: max(limit, 2), group: 1}
}

func (s *loadSeries) add(t time.Time, load float64) {
	sample := LoadSpan{From: t, To: t, Mean: load, Max: load, Samples: 1}
	if n := len(s.pts); n > 0 && s.pts[n-1].Samples < s.group {
		s.pts[n-1] = s.pts[n-1].merge(sample)
		return
	}
	s.pts = append(s.pts, sample)
	if len(s.pts) <= s.limit {
		return
	}
	half := s.pts[:0]
	for i := 0; i < len(s.pts); i += 2 {
		p := s.pts[i]
		if i+1 < len(s.pts) {
			p = p.merge(s.pts[i+1])
		}
		half = append(half, p)
	}
	s.pts = half
	s.group *= 2
}

// Assignment is one load-balancing decision as the coordinator logged it.
type Assignment struct {
	Time        time.Time       `json:"time"`
	Request     string          `json:"req"`
	Coordinator int             `json:"coordinator"` // the node that decided
	Assignee    int             `json:"assignee"`
	Loads       map[int]float64 `json:"loads"`
}

// assignSampler keeps the first decision of every time slot of width width,
// measured from the first decision seen. When more than limit are kept, the
// slot width doubles and the kept ones are thinned to the new slots, so the
// sample stays spread over the whole run however long it was.
type assignSampler struct {
	limit    int
	width    time.Duration
	origin   time.Time
	lastSlot int64
	kept     []Assignment
}

func newAssignSampler(limit int, width time.Duration) *assignSampler {
	return &assignSampler{limit: max(limit, 2), width: max(width, time.Millisecond)}
}

func (a *assignSampler) slot(t time.Time) int64 {
	return int64(t.Sub(a.origin) / a.width)
}

func (a *assignSampler) add(s Assignment) {
	if len(a.kept) == 0 {
		a.origin = s.Time
		a.lastSlot = 0
		a.kept = append(a.kept, s)
		return
	}
	// A decision from a slot already taken, or from before it (the merged log
	// is only roughly ordered), adds nothing to the spread.
	sl := a.slot(s.Time)
	if sl <= a.lastSlot {
		return
	}
	a.kept = append(a.kept, s)
	a.lastSlot = sl
	for len(a.kept) > a.limit {
		a.width *= 2
		thin := a.kept[:0]
		last := int64(-1)
		for _, k := range a.kept {
			if ks := a.slot(k.Time); ks > last {
				thin = append(thin, k)
				last = ks
			}
		}
		a.kept = thin
		a.lastSlot = last
	}
}
