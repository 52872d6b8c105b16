package rundir

import (
	"math"
	"testing"
	"time"
)

func TestRundirLoadSeriesBounded(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name    string
		limit   int
		samples int
	}{
		{"fewer than the limit", 100, 37},
		{"exactly the limit", 64, 64},
		{"one over the limit", 64, 65},
		{"a long run", 50, 100_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newLoadSeries(tc.limit)
			sum, peak := 0.0, 0.0
			for i := range tc.samples {
				// A sawtooth with one spike: the spike must survive in Max.
				v := float64(i%10) / 10
				if i == tc.samples/3 {
					v = 9
				}
				sum += v
				peak = max(peak, v)
				s.add(t0.Add(time.Duration(i)*time.Millisecond), v)
			}
			if len(s.pts) > tc.limit {
				t.Errorf("%d samples, limit %d: kept %d points", tc.samples, tc.limit, len(s.pts))
			}
			n, wsum, gotPeak := 0, 0.0, 0.0
			for i, p := range s.pts {
				n += p.Samples
				wsum += p.Mean * float64(p.Samples)
				gotPeak = max(gotPeak, p.Max)
				if i > 0 && !p.From.After(s.pts[i-1].To) {
					t.Errorf("point %d starts at %v, not after the previous end %v", i, p.From, s.pts[i-1].To)
				}
			}
			if n != tc.samples {
				t.Errorf("points cover %d samples, want %d", n, tc.samples)
			}
			if math.Abs(wsum-sum) > 1e-6*max(1, sum) {
				t.Errorf("weighted sum of means = %g, want the sum of samples %g", wsum, sum)
			}
			if gotPeak != peak {
				t.Errorf("max over points = %g, want the peak %g", gotPeak, peak)
			}
			if first := s.pts[0].From; !first.Equal(t0) {
				t.Errorf("first point starts at %v, want the first sample %v", first, t0)
			}
		})
	}
}

func TestRundirAssignSamplerSpread(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name  string
		limit int
		n     int
		every time.Duration
	}{
		{"sparse decisions are all kept", 64, 10, time.Second},
		{"dense decisions are thinned", 64, 1000, time.Millisecond},
		{"a million decisions over an hour", 32, 1_000_000, 3600 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAssignSampler(tc.limit, 100*time.Millisecond)
			for i := range tc.n {
				a.add(Assignment{Time: t0.Add(time.Duration(i) * tc.every), Assignee: i})
			}
			if len(a.kept) > tc.limit || len(a.kept) == 0 {
				t.Fatalf("kept %d decisions, want 1..%d", len(a.kept), tc.limit)
			}
			if a.kept[0].Assignee != 0 {
				t.Errorf("first kept decision is #%d, want #0", a.kept[0].Assignee)
			}
			span := time.Duration(tc.n-1) * tc.every
			last := a.kept[len(a.kept)-1].Time.Sub(t0)
			if last < span/2 {
				t.Errorf("last kept decision at %v of a %v run: the sample does not cover the run", last, span)
			}
			for i := 1; i < len(a.kept); i++ {
				if !a.kept[i].Time.After(a.kept[i-1].Time) {
					t.Errorf("kept decisions out of order at %d: %v then %v", i, a.kept[i-1].Time, a.kept[i].Time)
				}
			}
			if tc.n <= tc.limit && tc.every >= 100*time.Millisecond && len(a.kept) != tc.n {
				t.Errorf("kept %d of %d sparse decisions, want all", len(a.kept), tc.n)
			}
		})
	}
}

func TestRundirAmongLowest(t *testing.T) {
	tests := []struct {
		name  string
		loads map[int]float64
		node  int
		want  bool
	}{
		{"strict minimum", map[int]float64{1: 0.7, 2: 0.5, 3: 0.9}, 2, true},
		{"above the minimum", map[int]float64{1: 0.7, 2: 0.5, 3: 0.9}, 1, false},
		{"tie counts as lowest", map[int]float64{1: 0.5, 2: 0.5}, 1, true},
		{"no loads cannot be judged", nil, 3, true},
		{"assignee missing from its loads", map[int]float64{1: 0.5}, 2, false},
	}
	for _, tc := range tests {
		if got := AmongLowest(tc.loads, tc.node); got != tc.want {
			t.Errorf("%s: AmongLowest(%v, %d) = %v, want %v", tc.name, tc.loads, tc.node, got, tc.want)
		}
	}
}
