package rundir

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"
)

// BenchmarkDigestEvents reads the events of a 100k-request run held in memory
// (≈ 230k lines): the cost of digesting a long run's log.
func BenchmarkDigestEvents(b *testing.B) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, synthEvents(100_000)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	lines := bytes.Count(data, []byte("\n"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := DigestEvents(bytes.NewReader(data), DefaultDigestLimits); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDigestRetained streams a 1M-request log (≈ 2.3M lines, never held
// whole) and reports the heap the digest keeps afterwards: it must not grow
// with the run.
func BenchmarkDigestRetained(b *testing.B) {
	for _, requests := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("requests=%d", requests), func(b *testing.B) {
			var retained float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				d, err := DigestEvents(synthEvents(requests), DefaultDigestLimits)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				retained = float64(int64(after.HeapAlloc) - int64(before.HeapAlloc))
				runtime.KeepAlive(d)
			}
			b.ReportMetric(retained/1024, "retained-KiB")
		})
	}
}
