package quantile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

func TestRank(t *testing.T) {
	tests := []struct {
		q    float64
		n    int64
		want int64
	}{
		{50, 1, 1}, {0, 10, 1}, {100, 10, 10}, {150, 10, 10}, {-5, 10, 1}, {math.NaN(), 10, 1},
		{50, 2, 1}, {50, 3, 2}, {50, 4, 2}, {50, 5, 3},
		{90, 10, 9}, {90, 11, 10}, {99, 100, 99}, {99, 101, 100},
		// The smoke run of issue 15: round(q·n) gave 593 and 598.
		{99, 599, 594}, {99.9, 599, 599}, {95, 599, 570},
		// Products that are integers only up to floating-point rounding.
		{99.9, 1000, 999}, {99.99, 10000, 9999}, {99.9, 10000, 9990}, {95, 20, 19}, {99, 300, 297},
		{50, 0, 0}, {50, -3, 0},
	}
	for _, tt := range tests {
		if got := Rank(tt.q, tt.n); got != tt.want {
			t.Errorf("Rank(%g, %d) = %d, want %d", tt.q, tt.n, got, tt.want)
		}
	}
}

func TestSorted(t *testing.T) {
	vals := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tt := range []struct{ q, want float64 }{{0, 1}, {10, 1}, {10.0001, 2}, {50, 5}, {90, 9}, {99, 10}, {100, 10}} {
		if got := Sorted(vals, tt.q); got != tt.want {
			t.Errorf("Sorted(1..10, %g) = %g, want %g", tt.q, got, tt.want)
		}
	}
	if got := Sorted([]float64{100, 200}, 50); got != 100 {
		t.Errorf("p50 of {100, 200} = %g, want 100 (the lower middle value, no interpolation)", got)
	}
	if got := Sorted(nil, 50); got != 0 {
		t.Errorf("p50 of nothing = %g, want 0", got)
	}
}

// TestHDRAgainstSortedOracle: HDR gives the value at rank ceil(q·n) of the
// recorded values, to the histogram's precision (the highest value
// equivalent to it), for small and large counts and every percentile the
// harness reports.
func TestHDRAgainstSortedOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 3, 7, 10, 100, 101, 599, 1000, 1001, 20000} {
		h := hdr.New(1, 60_000_000, 3)
		vals := make([]int64, n)
		for i := range vals {
			vals[i] = 1 + rng.Int64N(5_000_000)
			if err := h.RecordValue(vals[i]); err != nil {
				t.Fatal(err)
			}
		}
		slices.Sort(vals)
		for _, q := range []float64{0, 1, 50, 90, 95, 99, 99.9, 99.99, 100} {
			want := vals[Rank(q, int64(n))-1]
			got := HDR(h, q)
			if !h.ValuesAreEquivalent(got, want) || got < want {
				t.Errorf("n=%d: HDR(p%g) = %d, want the bucket of %d (rank %d of the sorted values)", n, q, got, want, Rank(q, int64(n)))
			}
		}
	}
	if got := HDR(hdr.New(1, 1000, 3), 99); got != 0 {
		t.Errorf("HDR of an empty histogram = %d, want 0", got)
	}
}

// TestHDRMatchesHgrm: the value HDR reports at a percentile is the one the
// .hgrm distribution (PercentilesPrint's iterator) lists for the same
// percentile, so summary.json and latency.hgrm agree.
func TestHDRMatchesHgrm(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{599, 1000, 4321} {
		h := hdr.New(1, 60_000_000, 3)
		for range n {
			_ = h.RecordValue(1 + rng.Int64N(10_000))
		}
		for _, b := range h.CumulativeDistributionWithTicks(5) {
			if b.Quantile <= 0 {
				continue
			}
			if got := HDR(h, b.Quantile); got != b.ValueAt {
				t.Errorf("n=%d: HDR(p%s) = %d, the .hgrm line says %d", n, fmt.Sprint(b.Quantile), got, b.ValueAt)
			}
		}
	}
}
