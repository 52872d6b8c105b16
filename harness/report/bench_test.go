package report_test

import (
	"io"
	"testing"

	"stegocloud/harness/report"
	"stegocloud/harness/rundirtest"
)

// BenchmarkWriteReport writes the synthetic run's report.md (figures built,
// not drawn).
func BenchmarkWriteReport(b *testing.B) {
	d := rundirtest.LoadDefault(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := report.Write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
