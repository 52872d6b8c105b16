package plot_test

import (
	"bytes"
	"testing"

	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

func benchRun(b *testing.B) *rundir.Run {
	b.Helper()
	d, err := rundir.Load(rundirtest.WriteDefault(b))
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkFigureRender is the cost of drawing each figure of the synthetic
// run; bytes/op is the size of the file.
func BenchmarkFigureRender(b *testing.B) {
	d := benchRun(b)
	figs, _ := plot.Figures(d)
	for _, f := range figs {
		for _, format := range plot.FigureFormats {
			b.Run(f.Name()+"/"+format, func(b *testing.B) {
				var size int
				b.ReportAllocs()
				for b.Loop() {
					var buf bytes.Buffer
					if err := f.Render(&buf, format); err != nil {
						b.Fatal(err)
					}
					size = buf.Len()
				}
				b.ReportMetric(float64(size), "file-bytes")
			})
		}
	}
}
