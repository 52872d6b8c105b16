package harness

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The plotters here mark time spans and instants across a whole panel. They
// implement no DataRange on purpose: a fault window or an election must not
// stretch the axes that the measurements chose.

// plotSpan is [From, To) on the x axis, filled with Color, with the first of
// Labels (longest first) that fits written inside it.
type plotSpan struct {
	From, To float64
	Color    color.Color
	Labels   []string
}

// plotShade fills each span over a fraction of the data area's height:
// Frac 1 shades the full height (fault windows), a small Frac at Top draws a
// band along the top edge (the coordinator of each period).
type plotShade struct {
	Spans []plotSpan
	Frac  float64 // of the height, 0 < Frac ≤ 1
	Top   bool
	Text  text.Style // for labels; labels are drawn only when Text.Font.Size > 0
}

func (s plotShade) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	y0, y1 := c.Min.Y, c.Max.Y
	if s.Frac > 0 && s.Frac < 1 {
		h := vg.Length(s.Frac) * (c.Max.Y - c.Min.Y)
		if s.Top {
			y0 = y1 - h
		} else {
			y1 = y0 + h
		}
	}
	for _, sp := range s.Spans {
		x0 := max(trX(sp.From), c.Min.X)
		x1 := min(trX(sp.To), c.Max.X)
		if x1 <= x0 {
			continue
		}
		c.FillPolygon(sp.Color, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		if s.Text.Font.Size == 0 {
			continue
		}
		for _, l := range sp.Labels {
			if s.Text.Width(l)+vg.Points(4) < x1-x0 {
				c.FillText(s.Text, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, l)
				break
			}
		}
	}
}

// plotVLines draws a vertical line across the data area at each X.
type plotVLines struct {
	Xs    []float64
	Style draw.LineStyle
}

func (v plotVLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range v.Xs {
		px := trX(x)
		if px < c.Min.X || px > c.Max.X {
			continue
		}
		c.StrokeLine2(v.Style, px, c.Min.Y, px, c.Max.Y)
	}
}

// Thumbnail makes a plotVLines its own legend entry.
func (v plotVLines) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(v.Style, x, c.Min.Y, x, c.Max.Y)
}

// plotSwatch is a legend entry that is a filled square of one colour.
type plotSwatch struct{ Color color.Color }

func (s plotSwatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.Color, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// plotElectionStyle marks elections: thin, dashed, dark.
func plotElectionStyle() draw.LineStyle {
	return draw.LineStyle{Color: plotMarkerColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
}

var (
	_ plot.Plotter     = plotShade{}
	_ plot.Plotter     = plotVLines{}
	_ plot.Thumbnailer = plotVLines{}
	_ plot.Thumbnailer = plotSwatch{}
)
