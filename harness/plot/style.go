package plot

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure sizes: wide enough for a time axis, short enough to sit in a report.
var (
	figWidth      = 8 * vg.Inch
	figHeight     = 4 * vg.Inch
	figTallHeight = 6 * vg.Inch // two stacked panels
	pngDPI        = 120
	fontSans      = font.Font{Typeface: "Liberation", Variant: "Sans"}
	titleSize     = font.Length(13)
	labelSize     = font.Length(11)
	tickSize      = font.Length(9)
	legendSize    = font.Length(9)
	faultAlpha    = uint8(48)
	gridColor     = color.Gray{Y: 225}
	latencyP50    = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	latencyP99    = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	okColor       = color.RGBA{R: 44, G: 160, B: 44, A: 255}
	errorColor    = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	markerColor   = color.Gray{Y: 60}
	legendGrey    = color.RGBA{R: 110, G: 110, B: 110, A: 255} // stands for "any node's colour"
)

// nodePalette gives every node the same colour in every figure (Tableau
// 10 without its red and green, which mean error and success here).
var nodePalette = []color.RGBA{
	{R: 31, G: 119, B: 180, A: 255},  // blue
	{R: 255, G: 127, B: 14, A: 255},  // orange
	{R: 148, G: 103, B: 189, A: 255}, // purple
	{R: 140, G: 86, B: 75, A: 255},   // brown
	{R: 227, G: 119, B: 194, A: 255}, // pink
	{R: 127, G: 127, B: 127, A: 255}, // grey
	{R: 188, G: 189, B: 34, A: 255},  // olive
	{R: 23, G: 190, B: 207, A: 255},  // cyan
}

// nodeColor is node id's colour (ids from 1; 0, the whole cluster, is black).
func nodeColor(id int) color.RGBA {
	if id <= 0 {
		return color.RGBA{A: 255}
	}
	return nodePalette[(id-1)%len(nodePalette)]
}

// translucent is c with alpha a, premultiplied as color.RGBA requires.
func translucent(c color.RGBA, a uint8) color.RGBA {
	scale := func(v uint8) uint8 { return uint8(uint32(v) * uint32(a) / 255) }
	return color.RGBA{R: scale(c.R), G: scale(c.G), B: scale(c.B), A: a}
}

// newPlot is a plot with the house look: sans fonts, a light grid.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(fontSans, titleSize)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(fontSans, labelSize)
		ax.Tick.Label.Font = font.From(fontSans, tickSize)
	}
	p.X.Tick.Marker = niceTicks{target: 10}
	p.Y.Tick.Marker = niceTicks{target: 5}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = font.From(fontSans, legendSize)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(16)
	grid := plotter.NewGrid()
	grid.Vertical.Color = gridColor
	grid.Horizontal.Color = gridColor
	p.Add(grid)
	return p
}

// newCanvas returns a canvas of the given size that writes format.
// PNGs get a higher resolution than gonum's default 96 dpi so that the small
// tick labels stay legible when a report is zoomed.
func newCanvas(w, h vg.Length, format string) (vg.CanvasWriterTo, error) {
	switch format {
	case "png":
		return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI))}, nil
	case "svg":
		return vgsvg.New(w, h), nil
	}
	return nil, fmt.Errorf("%w: %q (want png or svg)", ErrFigureFormat, format)
}

// render draws plots one above the other, their data areas aligned,
// and writes the result to w. Each plot's legend is drawn where the plot puts
// it, over its data area.
func render(w io.Writer, format string, width, height vg.Length, plots ...*plot.Plot) error {
	return renderWith(w, format, width, height, false, plots)
}

// renderLegendRight is render with every legend in a column to the
// right of the data areas: for figures whose data or shading fills the whole
// height, where a legend inside would hide some of it.
func renderLegendRight(w io.Writer, format string, width, height vg.Length, plots ...*plot.Plot) error {
	return renderWith(w, format, width, height, true, plots)
}

// legendGap separates the data areas from a legend column.
var legendGap = vg.Points(10)

func renderWith(w io.Writer, format string, width, height vg.Length, legendRight bool, plots []*plot.Plot) error {
	cv, err := newCanvas(width, height, format)
	if err != nil {
		return err
	}
	dc := draw.New(cv)
	var legends []plot.Legend
	column := vg.Length(0)
	if legendRight {
		for _, p := range plots {
			legends = append(legends, p.Legend)
			column = max(column, p.Legend.Rectangle(dc).Size().X)
			// Drawn below, beside the panel; the plot itself gets an empty one.
			empty := plot.NewLegend()
			p.Legend = empty
		}
		defer func() {
			for i, p := range plots {
				p.Legend = legends[i]
			}
		}()
		if column > 0 {
			dc.Max.X -= column + legendGap
		}
	}
	var canvases []draw.Canvas
	if len(plots) == 1 {
		canvases = []draw.Canvas{draw.Crop(dc, vg.Points(4), -vg.Points(12), vg.Points(4), -vg.Points(4))}
	} else {
		rows := make([][]*plot.Plot, len(plots))
		for i, p := range plots {
			rows[i] = []*plot.Plot{p}
		}
		tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadY: vg.Points(8), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(12)}
		for _, row := range plot.Align(rows, tiles, dc) {
			canvases = append(canvases, row[0])
		}
	}
	for i, p := range plots {
		p.Draw(canvases[i])
		if legendRight && column > 0 {
			drawLegendBeside(legends[i], p, canvases[i], column)
		}
	}
	if _, err := cv.WriteTo(w); err != nil {
		return fmt.Errorf("writing %s: %w", format, err)
	}
	return nil
}

// drawLegendBeside draws l in a column of the given width right of the
// panel c, its first entry level with the top of p's data area.
func drawLegendBeside(l plot.Legend, p *plot.Plot, c draw.Canvas, width vg.Length) {
	data := p.DataCanvas(c)
	col := c
	col.Min.X = c.Max.X + legendGap
	col.Max.X = col.Min.X + width
	col.Max.Y = data.Max.Y
	col.Min.Y = data.Min.Y
	l.Top, l.Left = true, true
	l.XOffs, l.YOffs = 0, 0
	l.Draw(col)
}
