package harness

import (
	"io"
	"testing"
)

// BenchmarkCompare is the table's cost for two repeat sets of 5, histograms
// decoded and merged for the spectrum included.
func BenchmarkCompare(b *testing.B) {
	sets := []*RunSet{cmpBaseSynth(1).runSet(b, "a", 5), cmpBaseSynth(2).runSet(b, "b", 5)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Compare(sets).WriteMarkdown(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
