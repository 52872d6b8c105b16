package harness

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"stegocloud/harness/rundir"
)

// SaveFigures writes compare's figures into dir, each as PNG and SVG:
// prefix-spectrum (the latency percentile spectra of all sets on one log-x
// plot; a repeat set's runs merged into one histogram) and prefix-metrics (a
// tile per headline metric, a bar per set, whiskers for the confidence
// interval of a median where there is one). It records the PNG names in
// c.Figures so that WriteMarkdown links them.
func (c *Comparison) SaveFigures(dir, prefix string) error {
	figs := []struct {
		name, title string
		draw        func(io.Writer, string) error
		empty       bool
	}{
		{prefix + "-spectrum", "Latency by percentile", c.WriteSpectrumFigure, len(c.spectrum) == 0},
		{prefix + "-metrics", "Headline metrics per run set", c.WriteMetricsFigure, len(c.metricCharts()) == 0},
	}
	c.Figures = nil
	for _, f := range figs {
		if f.empty {
			continue
		}
		for _, format := range cmpFigureFormats {
			name := f.name + "." + format
			if err := cmpSaveFile(filepath.Join(dir, name), func(w io.Writer) error { return f.draw(w, format) }); err != nil {
				return fmt.Errorf("saving comparison figure: %w", err)
			}
			if format == "png" {
				c.Figures = append(c.Figures, LinkedFigure{Title: f.title, Path: name})
			}
		}
	}
	return nil
}

// WriteSpectrumFigure draws the latency spectra of all sets in format (png, svg).
func (c *Comparison) WriteSpectrumFigure(w io.Writer, format string) error {
	p, err := cmpSpectrumPlot("Latency by percentile", c.spectrum)
	if err != nil {
		return err
	}
	return cmpWriteCanvas(w, format, 8*vg.Inch, 5*vg.Inch, func(dc draw.Canvas) error {
		cmpDrawPlot(dc, p, len(c.spectrum))
		return nil
	})
}

// WriteMetricsFigure draws the headline metrics, a tile each, in format.
func (c *Comparison) WriteMetricsFigure(w io.Writer, format string) error {
	key := make([]string, len(c.Sets))
	for i, s := range c.Sets {
		key[i] = fmt.Sprintf("%s = %s (%s)", s.Key, s.Label, cmpRunsWord(s.N))
	}
	return cmpWriteTiles(w, format, "Headline metrics per run set — bar: the value or the median of the runs; "+
		"whisker: 95% CI of the median where there are enough runs", key, c.metricCharts())
}

// LinkedFigure is a figure file a Markdown summary links: its caption and its
// path relative to the summary.
type LinkedFigure struct {
	Title string
	Path  string
}

// cmpWriteFigureLinks writes the figures section of a summary.
func cmpWriteFigureLinks(b *strings.Builder, figs []LinkedFigure) {
	if len(figs) == 0 {
		return
	}
	b.WriteString("\n## Figures\n\n")
	for _, f := range figs {
		fmt.Fprintf(b, "![%s](%s)\n\n", f.Title, f.Path)
	}
}

func cmpRunsWord(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}

// cmpWriteTiles lays charts out four to a row under a title and a key.
func cmpWriteTiles(w io.Writer, format, title string, key []string, charts []cmpChart) error {
	tiles, err := cmpLayTiles(title, key, charts)
	if err != nil {
		return err
	}
	return cmpWriteCanvas(w, format, tiles.width, tiles.height, tiles.paint)
}

// cmpTiles is a tiled figure ready to paint on a canvas of its size.
type cmpTiles struct {
	title         string
	key           []string
	plots         [][]*plot.Plot
	width, height vg.Length
}

const cmpTileLine = vg.Length(14) // points per line of title and key

func cmpLayTiles(title string, key []string, charts []cmpChart) (*cmpTiles, error) {
	const cols = 4
	n := len(charts)
	if n == 0 {
		return nil, fmt.Errorf("drawing %q: no metric has data", title)
	}
	nc := min(cols, n)
	rows := (n + nc - 1) / nc
	t := &cmpTiles{title: title, key: key, plots: make([][]*plot.Plot, rows)}
	for r := range t.plots {
		t.plots[r] = make([]*plot.Plot, nc)
	}
	for i, ch := range charts {
		p, err := cmpChartPlot(ch)
		if err != nil {
			return nil, err
		}
		t.plots[i/nc][i%nc] = p
	}
	t.width, t.height = vg.Length(nc)*3.2*vg.Inch, vg.Length(rows)*2.6*vg.Inch+t.head()
	return t, nil
}

func (t *cmpTiles) head() vg.Length {
	return cmpTileLine*vg.Length(len(t.key)+1) + vg.Points(10)
}

func (t *cmpTiles) paint(dc draw.Canvas) error {
	titleStyle, keyStyle := cmpTextStyle(12), cmpTextStyle(10)
	y := dc.Max.Y - cmpTileLine
	dc.FillText(titleStyle, vg.Point{X: dc.Min.X + vg.Points(8), Y: y}, t.title)
	for _, k := range t.key {
		y -= cmpTileLine
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

// cmpSaveFile writes path through rundir.WriteFileAtomic, so that no
// half-written figure is left to be mistaken for a whole one.
func cmpSaveFile(path string, write func(io.Writer) error) error {
	if _, err := rundir.WriteFileAtomic(path, write); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
