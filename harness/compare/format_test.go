package compare

import (
	"math"
	"strings"
	"testing"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		name string
		kind MetricDeltaKind
		in   float64
		want string
	}{
		{"not measured", DeltaRelative, math.NaN(), "—"},
		{"unbounded", DeltaRelative, math.Inf(1), "∞"},
		{"whole number", DeltaRelative, 512, "512"},
		{"hundreds round to units", DeltaRelative, 512.46, "512"},
		{"tens keep a decimal", DeltaRelative, 98.44, "98.4"},
		{"units keep two", DeltaRelative, 1.2345, "1.23"},
		{"below one keeps three figures", DeltaRelative, 0.012345, "0.0123"},
		{"percentages keep two decimals", DeltaPoints, 99.96, "99.96"},
		{"a full success rate says so", DeltaPoints, 100, "100.00"},
		{"a whole count", DeltaCount, 3, "3"},
		{"a median of two counts", DeltaCount, 3.5, "3.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatValue(tt.kind, tt.in); got != tt.want {
				t.Errorf("FormatValue(%d, %v) = %q, want %q", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatStat(t *testing.T) {
	tests := []struct {
		name string
		kind MetricDeltaKind
		in   MetricStat
		want string
	}{
		{"no runs", DeltaRelative, Summarise(nil), "—"},
		{"one run", DeltaRelative, Summarise([]float64{98.44}), "98.4"},
		{"too few for an interval", DeltaRelative, Summarise([]float64{1, 2, 3}), "2 ± ∞"},
		{"relative interval", DeltaRelative, MetricStat{Values: []float64{1, 2}, Center: 100, Lo: 96, Hi: 103}, "100 ± 4%"},
		{"interval in points", DeltaPoints, MetricStat{Values: []float64{1, 2}, Center: 99.5, Lo: 99.2, Hi: 99.9}, "99.50 ± 0.40 pp"},
		{"interval of counts", DeltaCount, MetricStat{Values: []float64{1, 2}, Center: 0, Lo: 0, Hi: 3}, "0 [0, 3]"},
		{"no interval around infinity", DeltaRelative, MetricStat{Values: []float64{1, 2}, Center: math.Inf(1), Lo: 3, Hi: math.Inf(1)}, "∞"},
		{"no interval around nothing", DeltaRelative, MetricStat{Values: []float64{1, 2}, Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}, "—"},
		{"interval reaching zero", DeltaRelative, MetricStat{Values: []float64{1, 2}, Center: 0.5, Lo: 0, Hi: 1}, "0.5 [0, 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatStat(tt.kind, tt.in); got != tt.want {
				t.Errorf("FormatStat(%d, %+v) = %q, want %q", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatDiff(t *testing.T) {
	tests := []struct {
		name string
		kind MetricDeltaKind
		in   float64
		want string
	}{
		{"undefined", DeltaRelative, math.NaN(), "?"},
		{"rise", DeltaRelative, 12.345, "+12.3%"},
		{"fall", DeltaRelative, -5, "-5.0%"},
		{"none", DeltaRelative, 0, "0.0%"},
		{"points", DeltaPoints, -1.5, "-1.50 pp"},
		{"no points", DeltaPoints, 0, "0.00 pp"},
		{"count", DeltaCount, 7, "+7"},
		{"half count", DeltaCount, -0.5, "-0.5"},
		{"no count", DeltaCount, 0, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatDiff(tt.kind, tt.in); got != tt.want {
				t.Errorf("formatDiff(%d, %v) = %q, want %q", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatDelta(t *testing.T) {
	p99 := HeadlineMetric{Label: "p99", Better: LowerIsBetter}
	tests := []struct {
		name string
		in   MetricDelta
		want string
		note string // the footnote the cell cites, if any
	}{
		{"missing", MetricDelta{Verdict: DeltaMissing}, "—", ""},
		{"untested", MetricDelta{Verdict: DeltaUntested, Diff: 12.34, Improved: -1, N1: 1, N2: 1}, "+12.3% worse", ""},
		{"untested, unchanged", MetricDelta{Verdict: DeltaUntested, Diff: 0, N1: 1, N2: 1}, "0.0%", ""},
		{"too few", MetricDelta{Verdict: DeltaTooFew, Diff: -3, Improved: 1, N1: 5, N2: 2}, "-3.0% (n=5+2) ¹",
			"n=5+2: too few runs to claim a difference (the U test needs ≥ 4 runs per side)"},
		{"significant", MetricDelta{Verdict: DeltaSignificant, Diff: -8, Improved: 1, P: 0.0079, N1: 5, N2: 5}, "-8.0% better (p=0.008 n=5)", ""},
		{"no difference", MetricDelta{Verdict: DeltaNoDifference, Diff: 1, Improved: -1, P: 0.548, N1: 5, N2: 6}, "~ (p=0.548 n=5+6)", ""},
		{"warning", MetricDelta{Verdict: DeltaNoDifference, P: 1, N1: 5, N2: 5, Warnings: []string{"all samples are equal"}},
			"~ (p=1.000 n=5) ¹", "all samples are equal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes := &Footnotes{}
			if got := FormatDelta(p99, tt.in, notes); got != tt.want {
				t.Errorf("FormatDelta(%+v) = %q, want %q", tt.in, got, tt.want)
			}
			gotNote := strings.Join(notes.Texts, "; ")
			if gotNote != tt.note {
				t.Errorf("FormatDelta(%+v) cites %q, want %q", tt.in, gotNote, tt.note)
			}
		})
	}
}

func TestFootnotesNumberOnce(t *testing.T) {
	n := &Footnotes{}
	got := []string{n.Cite("a"), n.Cite("b"), n.Cite("a")}
	for i := 3; i <= 12; i++ {
		n.Cite(strings.Repeat("x", i))
	}
	want := []string{"¹", "²", "¹"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cite #%d = %q, want %q", i, got[i], want[i])
		}
	}
	if got, want := n.Cite("new"), "¹³"; got != want {
		t.Errorf("13th note marker = %q, want %q", got, want)
	}
}

func TestSetKey(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := setKey(i); got != want {
			t.Errorf("setKey(%d) = %q, want %q", i, got, want)
		}
	}
}
