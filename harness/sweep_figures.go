package harness

import (
	"fmt"
	"io"
	"path/filepath"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SaveFigures writes a figure per headline metric into dir as
// sweep-METRIC.png and .svg, and records the PNGs in s.Figures as
// linkPrefix/NAME so that WriteMarkdown links them relative to sweep.md.
func (s *Sweep) SaveFigures(dir, linkPrefix string) error {
	s.Figures = nil
	for _, ch := range s.charts() {
		for _, format := range cmpFigureFormats {
			name := "sweep-" + ch.Key + "." + format
			err := cmpSaveFile(filepath.Join(dir, name), func(w io.Writer) error {
				return sweepWriteChart(w, format, ch)
			})
			if err != nil {
				return fmt.Errorf("saving sweep figure: %w", err)
			}
			if format == "png" {
				s.Figures = append(s.Figures, LinkedFigure{Title: ch.Title, Path: filepath.ToSlash(filepath.Join(linkPrefix, name))})
			}
		}
	}
	return nil
}

func sweepWriteChart(w io.Writer, format string, ch cmpChart) error {
	p, err := cmpChartPlot(ch)
	if err != nil {
		return err
	}
	return cmpWriteCanvas(w, format, 6*vg.Inch, 4*vg.Inch, func(dc draw.Canvas) error {
		cmpDrawPlot(dc, p, cmpLegendEntries(ch))
		return nil
	})
}
