package plot

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
)

func TestNiceStep(t *testing.T) {
	tests := []struct{ raw, want float64 }{
		{0.9, 1}, {1, 1}, {1.1, 2}, {2.2, 2.5}, {3, 5}, {7, 10}, {23, 25}, {0.03, 0.05}, {0, 1}, {-4, 1},
	}
	for _, tc := range tests {
		if got := niceStep(tc.raw); got != tc.want {
			t.Errorf("niceStep(%g) = %g, want %g", tc.raw, got, tc.want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		target int
		want   string // the labelled ticks
	}{
		{"a 30 s run", 0, 28.5, 10, "0 5 10 15 20 25"},
		{"starting before the load", -2, 28.5, 10, "0 5 10 15 20 25"},
		{"loads", 0, 2.3, 5, "0.0 0.5 1.0 1.5 2.0"},
		{"quarter steps keep two decimals", 0, 1, 4, "0.00 0.25 0.50 0.75 1.00"},
		{"milliseconds", 0, 4350, 5, "0 1000 2000 3000 4000"},
		{"empty range", 3, 3, 5, ""},
	}
	for _, tc := range tests {
		var labels []string
		for _, tk := range (niceTicks{target: tc.target}).Ticks(tc.lo, tc.hi) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
			if tk.Value < tc.lo || tk.Value > tc.hi {
				t.Errorf("%s: tick %g outside [%g, %g]", tc.name, tk.Value, tc.lo, tc.hi)
			}
		}
		if got := strings.Join(labels, " "); got != tc.want {
			t.Errorf("%s: ticks(%g, %g) = %q, want %q", tc.name, tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestPercentileTicks(t *testing.T) {
	tests := []struct {
		upTo float64
		want string
	}{
		{10, "0% 50% 90%"},
		{1500, "0% 50% 90% 99% 99.9%"},
		{1e5, "0% 50% 90% 99% 99.9% 99.99% 99.999%"},
	}
	for _, tc := range tests {
		var labels []string
		for _, tk := range PercentileTicks(tc.upTo) {
			labels = append(labels, tk.Label)
		}
		if got := strings.Join(labels, " "); got != tc.want {
			t.Errorf("PercentileTicks(%g) = %q, want %q", tc.upTo, got, tc.want)
		}
	}
}

func TestSplitSegments(t *testing.T) {
	tests := []struct {
		name string
		keep string // one character per point: x kept, . dropped
		want []int  // lengths of the segments
	}{
		{"all kept", "xxxx", []int{4}},
		{"gap in the middle", "xx.xx", []int{2, 2}},
		{"lone point survives", "x..xx", []int{1, 2}},
		{"nothing kept", "...", nil},
	}
	for _, tc := range tests {
		segs := splitSegments(len(tc.keep), func(i int) plotter.XY { return plotter.XY{X: float64(i)} }, func(i int) bool { return tc.keep[i] == 'x' })
		var got []int
		for _, s := range segs {
			got = append(got, len(s))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: splitSegments(%q) segment lengths = %v, want %v", tc.name, tc.keep, got, tc.want)
		}
	}
}

func TestLoadBreaks(t *testing.T) {
	pts := func(ts ...float64) []LoadFigurePoint {
		out := make([]LoadFigurePoint, len(ts))
		for i, v := range ts {
			out[i].T = v
		}
		return out
	}
	tests := []struct {
		name string
		pts  []LoadFigurePoint
		want []float64
	}{
		{"regular samples", pts(0, 1, 2, 3, 4), nil},
		{"a node silent for a while", pts(0, 1, 2, 8, 9, 10), []float64{2}},
		{"too few points to judge", pts(0, 10), nil},
	}
	for _, tc := range tests {
		if got := loadBreaks(tc.pts); !slices.Equal(got, tc.want) {
			t.Errorf("%s: loadBreaks = %v, want %v", tc.name, got, tc.want)
		}
	}
}
