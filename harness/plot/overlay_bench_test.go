package plot

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// BenchmarkFigurePNG measures the PNG encoder alone on a tiled figure the
// size of compare's metric tiles (eight charts, a bar per set) at the level
// writeCanvas uses and at the default, reporting the file size, to back the
// choice of BestSpeed.
func BenchmarkFigurePNG(b *testing.B) {
	var charts []Chart
	for i := range 8 {
		ch := Chart{Key: fmt.Sprint(i), Title: fmt.Sprintf("metric %d", i), Categories: []string{"A", "B"}, ColorByCategory: true,
			Series: []ChartSeries{{Points: []ChartPoint{{X: 0, Y: 100 + float64(i), Lo: 95, Hi: 105}, {X: 1, Y: 90, Lo: math.NaN(), Hi: math.NaN()}}}}}
		charts = append(charts, ch)
	}
	t, err := layTiles("t", []string{"A = a", "B = b"}, charts)
	if err != nil {
		b.Fatal(err)
	}
	img := vgimg.New(t.width, t.height)
	if err := t.paint(draw.New(img)); err != nil {
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
