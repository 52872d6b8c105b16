package plot_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"stegocloud/harness/rundirtest"
	"testing"

	"stegocloud/harness"

	"stegocloud/harness/rundir"

	"stegocloud/harness/plot"
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

func BenchmarkWriteReport(b *testing.B) {
	d := benchRun(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := harness.WriteReport(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadRun reads the synthetic run directory (≈ 2400 events).
func BenchmarkLoadRun(b *testing.B) {
	dir := rundirtest.WriteDefault(b)
	var size int64
	for _, name := range []string{rundir.FileSummary, rundir.FileEvents, rundir.FileTimeSeries} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rundir.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
