package plot

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

// shadeSpan is [From, To) on the x axis, filled with Color, with the first of
// Labels (longest first) that fits written inside it.
type shadeSpan struct {
	From, To float64
	Color    color.Color
	Labels   []string
}

// shade fills each span over a fraction of the data area's height:
// Frac 1 shades the full height (fault windows), a small Frac at Top draws a
// band along the top edge (the coordinator of each period).
type shade struct {
	Spans []shadeSpan
	Frac  float64 // of the height, 0 < Frac ≤ 1
	Top   bool
	Text  text.Style // for labels; labels are drawn only when Text.Font.Size > 0
}

func (s shade) Plot(c draw.Canvas, p *plot.Plot) {
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

// vLines draws a vertical line across the data area at each X.
type vLines struct {
	Xs    []float64
	Style draw.LineStyle
}

func (v vLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range v.Xs {
		px := trX(x)
		if px < c.Min.X || px > c.Max.X {
			continue
		}
		c.StrokeLine2(v.Style, px, c.Min.Y, px, c.Max.Y)
	}
}

// Thumbnail makes a vLines its own legend entry.
func (v vLines) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(v.Style, x, c.Min.Y, x, c.Max.Y)
}

// Swatch is a legend entry that is a filled square of one colour.
type Swatch struct{ Color color.Color }

func (s Swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.Color, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// electionStyle marks elections: thin, dashed, dark.
func electionStyle() draw.LineStyle {
	return draw.LineStyle{Color: markerColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
}

var (
	_ plot.Plotter     = shade{}
	_ plot.Plotter     = vLines{}
	_ plot.Thumbnailer = vLines{}
	_ plot.Thumbnailer = Swatch{}
)
