package compare

import (
	"fmt"
	"io"
	"path/filepath"

	"stegocloud/harness/plot"
)

// SaveFigures writes a figure per headline metric into dir as
// sweep-METRIC.png and .svg, and records the PNGs in s.Figures as
// linkPrefix/NAME so that WriteMarkdown links them relative to sweep.md.
func (s *Sweep) SaveFigures(dir, linkPrefix string) error {
	s.Figures = nil
	for _, ch := range s.charts() {
		for _, format := range plot.FigureFormats {
			name := "sweep-" + ch.Key + "." + format
			err := saveFile(filepath.Join(dir, name), func(w io.Writer) error {
				return plot.WriteChart(w, format, ch)
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
