package harness

import (
	"bytes"
	"image/png"
	"io"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
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

// BenchmarkFigurePNG measures the PNG encoder alone on compare's largest
// figure (the metric tiles) at the level cmpWriteCanvas uses and at the
// default, reporting the file size, to back the choice of BestSpeed.
func BenchmarkFigurePNG(b *testing.B) {
	c := Compare([]*RunSet{cmpBaseSynth(1).runSet(b, "a", 6), cmpBaseSynth(2).runSet(b, "b", 6)})
	tiles, err := cmpLayTiles("t", []string{"A = a", "B = b"}, c.metricCharts())
	if err != nil {
		b.Fatal(err)
	}
	img := vgimg.New(tiles.width, tiles.height)
	if err := tiles.paint(draw.New(img)); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		level png.CompressionLevel
	}{{"level=BestSpeed", png.BestSpeed}, {"level=Default", png.DefaultCompression}} {
		b.Run(bc.name, func(b *testing.B) {
			var buf bytes.Buffer
			enc := png.Encoder{CompressionLevel: bc.level}
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := enc.Encode(&buf, img.Image()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "file-bytes")
		})
	}
}
