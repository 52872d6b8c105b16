package plot

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// SpectrumLine is one set's latency percentile spectrum. A repeat set's
// runs are merged into one histogram: every request of every run counts once,
// which is the distribution a user of that configuration meets, and its tail
// rests on n times the samples of any single run.
type SpectrumLine struct {
	Label  string          // "A: label"
	Runs   int             // runs whose histograms were merged
	Count  int64           // requests in the merged histogram
	Points []SpectrumPoint // SpectrumPoints of the merged histogram
}

// palette is the Okabe-Ito palette without its yellow: distinguishable
// with the common colour-vision deficiencies and on white.
var palette = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xff}, // green
	color.RGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.RGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.RGBA{0x00, 0x00, 0x00, 0xff}, // black
}

func setColor(i int) color.Color { return palette[i%len(palette)] }

// writeCanvas draws with paint on a w×h canvas and writes it in format
// ("png" or "svg"). PNGs are deflated at BestSpeed: on compare's metric tiles
// it costs about 23 ms of CPU against 35 ms at the default level, for a file
// 2.4% larger (BenchmarkFigurePNG).
func writeCanvas(out io.Writer, format string, w, h vg.Length, paint func(dc draw.Canvas) error) error {
	switch format {
	case "png":
		c := vgimg.New(w, h)
		if err := paint(draw.New(c)); err != nil {
			return err
		}
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		return enc.Encode(out, c.Image())
	case "svg":
		c := vgsvg.New(w, h)
		if err := paint(draw.New(c)); err != nil {
			return err
		}
		_, err := c.WriteTo(out)
		return err
	}
	return fmt.Errorf("unsupported figure format %q (want png or svg)", format)
}

// spectrumPlot draws the spectra of all sets on one log-x plot.
func spectrumPlot(title string, lines []SpectrumLine) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "percentile (log scale of 1/(1-q))"
	p.Y.Label.Text = "latency (ms)"
	p.X.Scale = plot.LogScale{}
	p.Add(plotter.NewGrid())
	maxX, maxY := 1.0, 0.0
	for i, l := range lines {
		xys := make(plotter.XYs, len(l.Points))
		for j, pt := range l.Points {
			xys[j] = plotter.XY{X: pt.X, Y: pt.Ms}
			maxX, maxY = math.Max(maxX, pt.X), math.Max(maxY, pt.Ms)
		}
		ln, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("drawing spectrum of %s: %w", l.Label, err)
		}
		ln.Color = setColor(i)
		ln.Width = vg.Points(1.5)
		p.Add(ln)
		label := l.Label
		if l.Runs > 1 {
			label += fmt.Sprintf(" — %d runs merged, %d requests", l.Runs, l.Count)
		} else {
			label += fmt.Sprintf(" — %d requests", l.Count)
		}
		p.Legend.Add(label, ln)
	}
	p.X.Tick.Marker = plot.ConstantTicks(PercentileTicks(maxX * 1.0001))
	p.X.Min = 1
	p.Y.Min, p.Y.Max = 0, 1.05*maxY
	p.Y.Tick.Marker = defaultTicks{}
	return p, nil
}

// drawPlot draws p with its title on top, then its legend in a band of its
// own, then the plot: a legend inside the data area hides the data it
// happens to sit on.
func drawPlot(dc draw.Canvas, p *plot.Plot, entries int) {
	if entries == 0 {
		p.Draw(dc)
		return
	}
	title := p.Title
	if title.Text != "" {
		rect := title.TextStyle.Rectangle(title.Text)
		dc.FillText(title.TextStyle, vg.Point{X: dc.Center().X, Y: dc.Max.Y + title.TextStyle.FontExtents().Descent}, title.Text)
		dc.Max.Y -= rect.Size().Y + title.Padding
	}
	leg := p.Legend
	leg.Top, leg.Left = true, true
	leg.XOffs = vg.Points(40)
	band := dc
	band.Min.Y = dc.Max.Y - vg.Length(entries)*leg.TextStyle.Font.Size*1.3 - vg.Points(4)
	body := dc
	body.Max.Y = band.Min.Y
	p.Title.Text = ""
	p.Legend = plot.NewLegend()
	p.Draw(body)
	leg.Draw(band)
	p.Title, p.Legend = title, leg
}

// Small plotters and styles the compare and sweep figures share.

// textStyle is the plots' default text at size pt.
func textStyle(pt float64) draw.TextStyle {
	return draw.TextStyle{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, font.Length(pt)),
		Handler: plot.DefaultTextHandler,
	}
}

// defaultTicks is gonum's default ticker with labels that carry no more digits
// than the value needs ("750", not "750.00").
type defaultTicks struct{}

func (defaultTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', 6, 64)
		}
	}
	return ts
}

// WriteSpectra draws the latency spectra of lines on one log-x plot, 8 × 5
// inches, in format.
func WriteSpectra(w io.Writer, format, title string, lines []SpectrumLine) error {
	p, err := spectrumPlot(title, lines)
	if err != nil {
		return err
	}
	return writeCanvas(w, format, 8*vg.Inch, 5*vg.Inch, func(dc draw.Canvas) error {
		drawPlot(dc, p, len(lines))
		return nil
	})
}
