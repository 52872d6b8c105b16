package compare

import (
	"fmt"
	"io"
	"path/filepath"
	"stegocloud/internal/atomicfile"
	"strings"

	"stegocloud/harness/plot"
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
		for _, format := range plot.FigureFormats {
			name := f.name + "." + format
			if err := saveFile(filepath.Join(dir, name), func(w io.Writer) error { return f.draw(w, format) }); err != nil {
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
	return plot.WriteSpectra(w, format, "Latency by percentile", c.spectrum)
}

// WriteMetricsFigure draws the headline metrics, a tile each, in format.
func (c *Comparison) WriteMetricsFigure(w io.Writer, format string) error {
	key := make([]string, len(c.Sets))
	for i, s := range c.Sets {
		key[i] = fmt.Sprintf("%s = %s (%s)", s.Key, s.Label, runsWord(s.N))
	}
	return plot.WriteTiles(w, format, "Headline metrics per run set — bar: the value or the median of the runs; "+
		"whisker: 95% CI of the median where there are enough runs", key, c.metricCharts())
}

// LinkedFigure is a figure file a Markdown summary links: its caption and its
// path relative to the summary.
type LinkedFigure struct {
	Title string
	Path  string
}

// writeFigureLinks writes the figures section of a summary.
func writeFigureLinks(b *strings.Builder, figs []LinkedFigure) {
	if len(figs) == 0 {
		return
	}
	b.WriteString("\n## Figures\n\n")
	for _, f := range figs {
		fmt.Fprintf(b, "![%s](%s)\n\n", f.Title, f.Path)
	}
}

func runsWord(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}

// points per line of title and key

// saveFile writes path through atomicfile.Replace, so that no
// half-written figure is left to be mistaken for a whole one.
func saveFile(path string, write func(io.Writer) error) error {
	if _, err := atomicfile.Replace(path, 0o644, write); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
