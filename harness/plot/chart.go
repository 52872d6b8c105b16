package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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

func (e yErrors) Len() int { return len(e) }

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
