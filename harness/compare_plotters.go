package harness

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Small plotters and styles the compare and sweep figures share.

// cmpErrorBars draws the intervals of the points that have one.
func cmpErrorBars(pts []cmpChartPoint, c color.Color) (*plotter.YErrorBars, bool, error) {
	var e cmpYErrors
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

// cmpYErrors adapts chart points to plotter's XYer and YErrorer.
type cmpYErrors []cmpChartPoint

func (e cmpYErrors) Len() int                    { return len(e) }
func (e cmpYErrors) XY(i int) (float64, float64) { return e[i].X, e[i].Y }
func (e cmpYErrors) YError(i int) (float64, float64) {
	return e[i].Y - e[i].Lo, e[i].Hi - e[i].Y
}

// cmpBarsPlotter draws bars whose width is in data units, so that grouped
// bars and their error bars share one coordinate (plotter.BarChart offsets
// groups in canvas units, which error bars cannot follow).
type cmpBarsPlotter struct {
	xs, ys []float64
	colors []color.Color
	width  float64
}

func (b *cmpBarsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
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

func (b *cmpBarsPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
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

// cmpLegendSwatch is a filled square for a bar series in a legend.
type cmpLegendSwatch struct{ c color.Color }

func (s cmpLegendSwatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.c, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
}

// cmpTextStyle is the plots' default text at size pt.
func cmpTextStyle(pt float64) draw.TextStyle {
	return draw.TextStyle{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, font.Length(pt)),
		Handler: plot.DefaultTextHandler,
	}
}

// cmpTicks is gonum's default ticker with labels that carry no more digits
// than the value needs ("750", not "750.00").
type cmpTicks struct{}

func (cmpTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', 6, 64)
		}
	}
	return ts
}
