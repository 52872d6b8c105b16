package plot

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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
