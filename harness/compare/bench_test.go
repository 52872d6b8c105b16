package compare

import (
	"io"
	"testing"

	"stegocloud/harness/rundirtest"
)

// BenchmarkCompare is the table's cost for two repeat sets of 5, histograms
// decoded and merged for the spectrum included.
func BenchmarkCompare(b *testing.B) {
	sets := []*RunSet{synthRunSet(b, rundirtest.BaseSynth(1), "a", 5), synthRunSet(b, rundirtest.BaseSynth(2), "b", 5)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := New(sets).WriteMarkdown(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
