package plot

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"stegocloud/harness/rundir"
)

// FigureNetSpan is a network fault on a figure's time axis (seconds since
// the load start). A one-shot reset has From == To.
type FigureNetSpan struct {
	Kind string  `json:"kind"`
	What string  `json:"what"`
	From float64 `json:"from_s"`
	To   float64 `json:"to_s"`
}

// netFaultsOf places the run's network faults on its time axis: the logged
// ones, or the scheduled ones for a run without net_fault events.
func netFaultsOf(d *rundir.Run) []FigureNetSpan {
	var out []FigureNetSpan
	for _, w := range d.NetFaultWindows() {
		out = append(out, FigureNetSpan{Kind: w.Kind, What: w.What, From: d.Seconds(w.Start), To: d.Seconds(w.End)})
	}
	return out
}

// netKindColors tell the network fault kinds apart; all are drawn as
// diagonal hatching, never as the solid fill of a node's fault.
var netKindColors = map[string]color.RGBA{
	"partition": {R: 190, G: 30, B: 45, A: 255},
	"bridge":    {R: 110, G: 50, B: 160, A: 255},
	"one-way":   {R: 215, G: 105, B: 0, A: 255},
	"latency":   {R: 0, G: 120, B: 120, A: 255},
	"reset":     {R: 40, G: 40, B: 40, A: 255},
}

func netKindColor(kind string) color.RGBA {
	if c, ok := netKindColors[kind]; ok {
		return c
	}
	return color.RGBA{A: 255}
}

// hatchAlpha keeps the hatching behind the data readable.
const hatchAlpha = uint8(150)

// hatch draws each span with diagonal lines across the panel's full height
// (and a one-shot span as a vertical line): network faults, hatched so that
// they cannot be mistaken for a node's solidly shaded fault window.
type hatch struct {
	Spans   []FigureNetSpan
	Spacing vg.Length // between lines, along x; 0: 7 points
}

func netFaultHatch(spans []FigureNetSpan) hatch { return hatch{Spans: spans} }

func (h hatch) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, s := range h.Spans {
		style := draw.LineStyle{Color: translucent(netKindColor(s.Kind), hatchAlpha), Width: vg.Points(0.9)}
		x0, x1 := trX(s.From), trX(s.To)
		if x1-x0 < vg.Points(1) {
			if x0 >= c.Min.X && x0 <= c.Max.X {
				style.Width = vg.Points(2)
				c.StrokeLine2(style, x0, c.Min.Y, x0, c.Max.Y)
			}
			continue
		}
		h.lines(c, max(x0, c.Min.X), min(x1, c.Max.X), style)
	}
}

// lines fills [x0, x1] × the canvas height with 45° lines, clipped to the
// span.
func (h hatch) lines(c draw.Canvas, x0, x1 vg.Length, style draw.LineStyle) {
	if x1 <= x0 {
		return
	}
	gap := h.Spacing
	if gap <= 0 {
		gap = vg.Points(7)
	}
	y0, y1 := c.Min.Y, c.Max.Y
	height := y1 - y0
	// Lines start on a grid fixed to the canvas, so neighbouring spans line up.
	first := c.Min.X + vg.Length(int((x0-height-c.Min.X)/gap))*gap
	for a := first; a < x1; a += gap {
		lo := max(0, (x0-a)/height)
		hi := min(1, (x1-a)/height)
		if lo >= hi {
			continue
		}
		c.StrokeLine2(style, a+lo*height, y0+lo*height, a+hi*height, y0+hi*height)
	}
	edge := style
	edge.Width = vg.Points(0.6)
	c.StrokeLine2(edge, x0, y0, x0, y1)
	c.StrokeLine2(edge, x1, y0, x1, y1)
}

// hatchSwatch is a network fault kind's legend entry: a hatched square.
type hatchSwatch struct{ Kind string }

func (s hatchSwatch) Thumbnail(c *draw.Canvas) {
	style := draw.LineStyle{Color: translucent(netKindColor(s.Kind), 220), Width: vg.Points(0.9)}
	hatch{Spacing: vg.Points(3)}.lines(*c, c.Min.X, c.Max.X, style)
}

// addNetFaultLegend adds one hatched entry per network fault kind present,
// in order of first appearance.
func addNetFaultLegend(p *plot.Plot, spans []FigureNetSpan) {
	seen := map[string]bool{}
	for _, s := range spans {
		if !seen[s.Kind] {
			seen[s.Kind] = true
			p.Legend.Add("network: "+s.Kind, hatchSwatch{Kind: s.Kind})
		}
	}
}

var (
	_ plot.Plotter     = hatch{}
	_ plot.Thumbnailer = hatchSwatch{}
)
