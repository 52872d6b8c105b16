package plot

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart is the data of one chart, kept apart from drawing so that tests
// can check what a figure shows without comparing image bytes. Compare's
// metric tiles and every sweep figure are Charts.
type Chart struct {
	Key    string // the metric's key, naming the chart's file
	Title  string
	XLabel string
	YLabel string
	// Numeric draws lines over numeric X values; otherwise bars over
	// Categories, X being the category's index.
	Numeric    bool
	Categories []string
	// ColorByCategory colours a one-series bar chart's bars by category, so
	// that they match the sets' colours in the other figures.
	ColorByCategory bool
	Series          []ChartSeries
}

// ChartSeries is one line, or one bar per category.
type ChartSeries struct {
	Label  string
	Points []ChartPoint
}

// ChartPoint is a value and its confidence interval of the median (Lo and
// Hi NaN when there is none to draw: one run, or too few for an interval).
type ChartPoint struct {
	X, Y   float64
	Lo, Hi float64
}

// hasData reports whether any series has a point to draw.
func (ch *Chart) HasData() bool {
	for _, s := range ch.Series {
		if len(s.Points) > 0 {
			return true
		}
	}
	return false
}

// WriteTiles lays charts out four to a row under a title and a key.
func WriteTiles(w io.Writer, format, title string, key []string, charts []Chart) error {
	tiles, err := layTiles(title, key, charts)
	if err != nil {
		return err
	}
	return writeCanvas(w, format, tiles.width, tiles.height, tiles.paint)
}

// tiles is a tiled figure ready to paint on a canvas of its size.
type tiles struct {
	title         string
	key           []string
	plots         [][]*plot.Plot
	width, height vg.Length
}

const tileLine = vg.Length(14)

func layTiles(title string, key []string, charts []Chart) (*tiles, error) {
	const cols = 4
	n := len(charts)
	if n == 0 {
		return nil, fmt.Errorf("drawing %q: no metric has data", title)
	}
	nc := min(cols, n)
	rows := (n + nc - 1) / nc
	t := &tiles{title: title, key: key, plots: make([][]*plot.Plot, rows)}
	for r := range t.plots {
		t.plots[r] = make([]*plot.Plot, nc)
	}
	for i, ch := range charts {
		p, err := chartPlot(ch)
		if err != nil {
			return nil, err
		}
		t.plots[i/nc][i%nc] = p
	}
	t.width, t.height = vg.Length(nc)*3.2*vg.Inch, vg.Length(rows)*2.6*vg.Inch+t.head()
	return t, nil
}

func (t *tiles) head() vg.Length {
	return tileLine*vg.Length(len(t.key)+1) + vg.Points(10)
}

func (t *tiles) paint(dc draw.Canvas) error {
	titleStyle, keyStyle := textStyle(12), textStyle(10)
	y := dc.Max.Y - tileLine
	dc.FillText(titleStyle, vg.Point{X: dc.Min.X + vg.Points(8), Y: y}, t.title)
	for _, k := range t.key {
		y -= tileLine
		dc.FillText(keyStyle, vg.Point{X: dc.Min.X + vg.Points(16), Y: y}, k)
	}
	body := dc
	body.Max.Y -= t.head()
	tiles := draw.Tiles{Rows: len(t.plots), Cols: len(t.plots[0]), PadX: vg.Points(12), PadY: vg.Points(12),
		PadTop: vg.Points(4), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(10)}
	canvases := plot.Align(t.plots, tiles, body)
	for r := range t.plots {
		for col, p := range t.plots[r] {
			if p != nil {
				p.Draw(canvases[r][col])
			}
		}
	}
	return nil
}

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

// chartPlot draws one chart: bars over categories or lines over numbers,
// with confidence intervals of medians as error bars where there are some.
func chartPlot(ch Chart) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = ch.Title
	p.X.Label.Text = ch.XLabel
	p.Y.Label.Text = ch.YLabel
	p.Add(plotter.NewGrid())
	var err error
	if ch.Numeric {
		err = addLines(p, ch)
	} else {
		err = addBars(p, ch)
	}
	if err != nil {
		return nil, fmt.Errorf("drawing %q: %w", ch.Title, err)
	}
	// Every headline metric is ≥ 0: an axis from zero shows changes at their
	// true size; the headroom keeps the top value off the frame.
	_, _, _, ymax := chartRange(ch)
	p.Y.Min, p.Y.Max = 0, 1.08*ymax
	p.Y.Tick.Marker = defaultTicks{}
	if ymax <= 0 {
		p.Y.Max = 1
	}
	return p, nil
}

// chartRange is the extent of a chart's points and intervals.
func chartRange(ch Chart) (xmin, xmax, ymin, ymax float64) {
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

// legendEntries is how many legend entries a chart gets.
func legendEntries(ch Chart) int {
	n := 0
	for _, s := range ch.Series {
		if s.Label != "" {
			n++
		}
	}
	return n
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

// dodgeShare is the share of the x range by which the series of a line chart
// are set apart, so that whiskers at one x value do not hide each other.
const dodgeShare = 0.012

func addLines(p *plot.Plot, ch Chart) error {
	var xs []float64
	xmin, xmax, _, _ := chartRange(ch)
	span := xmax - xmin
	if span <= 0 {
		span = math.Max(1, math.Abs(xmax))
	}
	n := len(ch.Series)
	for i, s := range ch.Series {
		if len(s.Points) == 0 {
			continue
		}
		dodge := (float64(i) - float64(n-1)/2) * dodgeShare * span
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
		line.Color, points.Color = setColor(i), setColor(i)
		line.Width = vg.Points(1.5)
		points.Shape = draw.CircleGlyph{}
		p.Add(line, points)
		if eb, ok, err := errorBars(shifted, setColor(i)); err != nil {
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

func addBars(p *plot.Plot, ch Chart) error {
	const group = 0.8 // share of a category's width its bars take
	n := len(ch.Series)
	width := group / float64(n)
	for i, s := range ch.Series {
		bars := &barsPlotter{width: width}
		for _, pt := range s.Points {
			x := pt.X - group/2 + width*(float64(i)+0.5)
			bars.xs = append(bars.xs, x)
			bars.ys = append(bars.ys, pt.Y)
			c := setColor(i)
			if ch.ColorByCategory && n == 1 {
				c = setColor(int(pt.X))
			}
			bars.colors = append(bars.colors, c)
		}
		p.Add(bars)
		shifted := slices.Clone(s.Points)
		for j := range shifted {
			shifted[j].X = bars.xs[j]
		}
		if eb, ok, err := errorBars(shifted, color.Black); err != nil {
			return err
		} else if ok {
			p.Add(eb)
		}
		if s.Label != "" {
			p.Legend.Add(s.Label, Swatch{Color: setColor(i)})
		}
	}
	p.NominalX(ch.Categories...)
	p.X.Min, p.X.Max = -0.5, float64(len(ch.Categories))-0.5
	return nil
}

// Small plotters and styles the compare and sweep figures share.

// errorBars draws the intervals of the points that have one.
func errorBars(pts []ChartPoint, c color.Color) (*plotter.YErrorBars, bool, error) {
	var e yErrors
	for _, pt := range pts {
		if !math.IsNaN(pt.Lo) && !math.IsNaN(pt.Hi) {
			e = append(e, pt)
		}
	}
	if len(e) == 0 {
		return nil, false, nil
	}
	eb, err := plotter.NewYErrorBars(e)
	if err != nil {
		return nil, false, err
	}
	eb.Color = c
	eb.Width = vg.Points(1.2)
	return eb, true, nil
}

// yErrors adapts chart points to plotter's XYer and YErrorer.
type yErrors []ChartPoint

func (e yErrors) Len() int                    { return len(e) }
func (e yErrors) XY(i int) (float64, float64) { return e[i].X, e[i].Y }
func (e yErrors) YError(i int) (float64, float64) {
	return e[i].Y - e[i].Lo, e[i].Hi - e[i].Y
}

// barsPlotter draws bars whose width is in data units, so that grouped
// bars and their error bars share one coordinate (plotter.BarChart offsets
// groups in canvas units, which error bars cannot follow).
type barsPlotter struct {
	xs, ys []float64
	colors []color.Color
	width  float64
}

func (b *barsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	outline := draw.LineStyle{Color: color.Gray{0x40}, Width: vg.Points(0.5)}
	for i, x := range b.xs {
		x0, x1 := trX(x-b.width/2), trX(x+b.width/2)
		y0, y1 := trY(0), trY(b.ys[i])
		pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(b.colors[i], c.ClipPolygonXY(pts))
		c.StrokeLines(outline, c.ClipLinesXY(append(pts, pts[0]))...)
	}
}

func (b *barsPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), 0, 0
	for i, x := range b.xs {
		xmin, xmax = math.Min(xmin, x-b.width/2), math.Max(xmax, x+b.width/2)
		ymin, ymax = math.Min(ymin, b.ys[i]), math.Max(ymax, b.ys[i])
	}
	if len(b.xs) == 0 {
		xmin, xmax = 0, 0
	}
	return xmin, xmax, ymin, ymax
}

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

// WriteChart draws one chart, 6 × 4 inches, in format.
func WriteChart(w io.Writer, format string, ch Chart) error {
	p, err := chartPlot(ch)
	if err != nil {
		return err
	}
	return writeCanvas(w, format, 6*vg.Inch, 4*vg.Inch, func(dc draw.Canvas) error {
		drawPlot(dc, p, legendEntries(ch))
		return nil
	})
}
