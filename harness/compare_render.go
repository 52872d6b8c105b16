package harness

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// cmpPalette is the Okabe-Ito palette without its yellow: distinguishable
// with the common colour-vision deficiencies and on white.
var cmpPalette = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xff}, // green
	color.RGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.RGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.RGBA{0x00, 0x00, 0x00, 0xff}, // black
}

func cmpColor(i int) color.Color { return cmpPalette[i%len(cmpPalette)] }

// cmpFigureFormats are the formats every figure is written in: PNG to look
// at, SVG to zoom into and to embed in documents.
var cmpFigureFormats = []string{"png", "svg"}

// cmpWriteCanvas draws with paint on a w×h canvas and writes it in format
// ("png" or "svg"). PNGs are deflated at BestSpeed: on compare's metric tiles
// it costs about 23 ms of CPU against 35 ms at the default level, for a file
// 2.4% larger (BenchmarkFigurePNG).
func cmpWriteCanvas(out io.Writer, format string, w, h vg.Length, paint func(dc draw.Canvas) error) error {
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

// cmpSpectrumTickPercentiles label the HDR-style x axis.
var cmpSpectrumTickPercentiles = []float64{0, 50, 90, 99, 99.9, 99.99, 99.999, 99.9999}

// cmpSpectrumPlot draws the spectra of all sets on one log-x plot.
func cmpSpectrumPlot(title string, lines []cmpSpectrumLine) (*plot.Plot, error) {
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
		ln.Color = cmpColor(i)
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
	var ticks plot.ConstantTicks
	for _, q := range cmpSpectrumTickPercentiles {
		if x := 1 / (1 - q/100); x <= maxX*1.0001 {
			ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(q, 'f', -1, 64) + "%"})
		}
	}
	p.X.Tick.Marker = ticks
	p.X.Min = 1
	p.Y.Min, p.Y.Max = 0, 1.05*maxY
	p.Y.Tick.Marker = cmpTicks{}
	return p, nil
}

// cmpChartPlot draws one chart: bars over categories or lines over numbers,
// with confidence intervals of medians as error bars where there are some.
func cmpChartPlot(ch cmpChart) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = ch.Title
	p.X.Label.Text = ch.XLabel
	p.Y.Label.Text = ch.YLabel
	p.Add(plotter.NewGrid())
	var err error
	if ch.Numeric {
		err = cmpAddLines(p, ch)
	} else {
		err = cmpAddBars(p, ch)
	}
	if err != nil {
		return nil, fmt.Errorf("drawing %q: %w", ch.Title, err)
	}
	// Every headline metric is ≥ 0: an axis from zero shows changes at their
	// true size; the headroom keeps the top value off the frame.
	_, _, _, ymax := cmpChartRange(ch)
	p.Y.Min, p.Y.Max = 0, 1.08*ymax
	p.Y.Tick.Marker = cmpTicks{}
	if ymax <= 0 {
		p.Y.Max = 1
	}
	return p, nil
}

// cmpChartRange is the extent of a chart's points and intervals.
func cmpChartRange(ch cmpChart) (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range ch.Series {
		for _, pt := range s.Points {
			xmin, xmax = math.Min(xmin, pt.X), math.Max(xmax, pt.X)
			ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
			if !math.IsNaN(pt.Hi) {
				ymin, ymax = math.Min(ymin, pt.Lo), math.Max(ymax, pt.Hi)
			}
		}
	}
	return xmin, xmax, ymin, ymax
}

// cmpLegendEntries is how many legend entries a chart gets.
func cmpLegendEntries(ch cmpChart) int {
	n := 0
	for _, s := range ch.Series {
		if s.Label != "" {
			n++
		}
	}
	return n
}

// cmpDrawPlot draws p with its title on top, then its legend in a band of its
// own, then the plot: a legend inside the data area hides the data it
// happens to sit on.
func cmpDrawPlot(dc draw.Canvas, p *plot.Plot, entries int) {
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

// cmpDodge is the share of the x range by which the series of a line chart
// are set apart, so that whiskers at one x value do not hide each other.
const cmpDodge = 0.012

func cmpAddLines(p *plot.Plot, ch cmpChart) error {
	var xs []float64
	xmin, xmax, _, _ := cmpChartRange(ch)
	span := xmax - xmin
	if span <= 0 {
		span = math.Max(1, math.Abs(xmax))
	}
	n := len(ch.Series)
	for i, s := range ch.Series {
		if len(s.Points) == 0 {
			continue
		}
		dodge := (float64(i) - float64(n-1)/2) * cmpDodge * span
		xys := make(plotter.XYs, len(s.Points))
		shifted := slices.Clone(s.Points)
		for j, pt := range s.Points {
			shifted[j].X += dodge
			xys[j] = plotter.XY{X: shifted[j].X, Y: pt.Y}
			xs = append(xs, pt.X)
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		line.Color, points.Color = cmpColor(i), cmpColor(i)
		line.Width = vg.Points(1.5)
		points.Shape = draw.CircleGlyph{}
		p.Add(line, points)
		if eb, ok, err := cmpErrorBars(shifted, cmpColor(i)); err != nil {
			return err
		} else if ok {
			p.Add(eb)
		}
		if s.Label != "" {
			p.Legend.Add(s.Label, line, points)
		}
	}
	slices.Sort(xs)
	var ticks plot.ConstantTicks
	for _, x := range slices.Compact(xs) {
		ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', 6, 64)})
	}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = xmin-0.08*span, xmax+0.08*span
	return nil
}

func cmpAddBars(p *plot.Plot, ch cmpChart) error {
	const group = 0.8 // share of a category's width its bars take
	n := len(ch.Series)
	width := group / float64(n)
	for i, s := range ch.Series {
		bars := &cmpBarsPlotter{width: width}
		for _, pt := range s.Points {
			x := pt.X - group/2 + width*(float64(i)+0.5)
			bars.xs = append(bars.xs, x)
			bars.ys = append(bars.ys, pt.Y)
			c := cmpColor(i)
			if ch.ColorByCategory && n == 1 {
				c = cmpColor(int(pt.X))
			}
			bars.colors = append(bars.colors, c)
		}
		p.Add(bars)
		shifted := slices.Clone(s.Points)
		for j := range shifted {
			shifted[j].X = bars.xs[j]
		}
		if eb, ok, err := cmpErrorBars(shifted, color.Black); err != nil {
			return err
		} else if ok {
			p.Add(eb)
		}
		if s.Label != "" {
			p.Legend.Add(s.Label, cmpLegendSwatch{cmpColor(i)})
		}
	}
	p.NominalX(ch.Categories...)
	p.X.Min, p.X.Max = -0.5, float64(len(ch.Categories))-0.5
	return nil
}
