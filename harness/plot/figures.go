package plot

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"stegocloud/internal/atomicfile"

	"stegocloud/harness/rundir"
)

// Figure is one figure of a run: the data it plots, and the drawing of it.
// Every figure is built from a Run alone, so it can be regenerated from a
// run directory at any time; its exported fields are the data golden tests
// compare (never the image bytes, which change with the plotting library).
type Figure interface {
	// Name is the file name without extension, e.g. "latency_spectrum".
	Name() string
	// Render draws the figure as "png" or "svg" onto w.
	Render(w io.Writer, format string) error
}

// FigureFormats are the formats WriteFigures writes, in order.
var FigureFormats = []string{"png", "svg"}

// FigureSpan is a node's fault window on a figure's time axis (seconds since
// the load start).
type FigureSpan struct {
	Node int     `json:"node"`
	Kind string  `json:"kind"`
	From float64 `json:"from_s"`
	To   float64 `json:"to_s"`
}

// FigureMark is an election on a figure's time axis.
type FigureMark struct {
	T      float64 `json:"t_s"`
	Epoch  uint64  `json:"epoch"`
	Winner int     `json:"winner"`
	Cause  string  `json:"cause"`
}

// Figures builds every figure the run has data for, in report order, and says
// why each missing one is missing.
func Figures(d *rundir.Run) (figs []Figure, skipped []string) {
	builders := []struct {
		name  string
		build func(*rundir.Run) (Figure, error)
	}{
		{"latency_spectrum", func(d *rundir.Run) (Figure, error) { return NewSpectrumFigure(&d.Summary) }},
		{"timeline", func(d *rundir.Run) (Figure, error) { return NewTimelineFigure(d) }},
		{"nodes", func(d *rundir.Run) (Figure, error) { return NewNodesFigure(d) }},
		{"load", func(d *rundir.Run) (Figure, error) { return NewLoadFigure(d) }},
	}
	for _, b := range builders {
		f, err := b.build(d)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("figure %s left out: %v", b.name, err))
			continue
		}
		figs = append(figs, f)
	}
	return figs, skipped
}

// WriteFigures renders figs (as Figures built them) into dir, created if
// needed, in each of FigureFormats and returns the paths written. A figure
// that fails to render does not stop the others; the errors are joined.
func WriteFigures(figs []Figure, dir string) (paths []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("writing figures: %w", err)
	}
	var errs []error
	for _, f := range figs {
		for _, format := range FigureFormats {
			path := filepath.Join(dir, f.Name()+"."+format)
			if err := writeFile(f, path, format); err != nil {
				errs = append(errs, err)
				continue
			}
			paths = append(paths, path)
		}
	}
	return paths, errors.Join(errs...)
}

// writeFile renders f into path through atomicfile.Replace, so a failed
// render never leaves half a figure behind an old, good one.
func writeFile(f Figure, path, format string) error {
	var renderErr error
	_, err := atomicfile.Replace(path, 0o644, func(w io.Writer) error {
		renderErr = f.Render(w, format)
		return renderErr
	})
	switch {
	case renderErr != nil:
		return fmt.Errorf("rendering figure %s: %w", path, renderErr)
	case err != nil:
		return fmt.Errorf("writing figure %s: %w", path, err)
	}
	return nil
}

// faultsOf places the run's fault windows on its time axis: the logged
// ones, or the scheduled ones for a run without fault events.
func faultsOf(d *rundir.Run) []FigureSpan {
	var out []FigureSpan
	for _, w := range d.FaultWindows() {
		out = append(out, FigureSpan{Node: w.Node, Kind: w.Kind, From: d.Seconds(w.Start), To: d.Seconds(w.End)})
	}
	return out
}

// electionsOf places the run's decided elections on its time axis.
func electionsOf(d *rundir.Run) []FigureMark {
	if d.Events == nil {
		return nil
	}
	out := make([]FigureMark, 0, len(d.Events.Elections))
	for _, e := range d.Events.Elections {
		out = append(out, FigureMark{T: d.Seconds(e.Time), Epoch: e.Epoch, Winner: e.Winner, Cause: e.Cause})
	}
	return out
}

// faultShade are the shaded spans of faults, each in its node's colour.
func faultShade(faults []FigureSpan) shade {
	sp := shade{Frac: 1}
	for _, f := range faults {
		sp.Spans = append(sp.Spans, shadeSpan{From: f.From, To: f.To, Color: translucent(nodeColor(f.Node), faultAlpha)})
	}
	return sp
}

// faultLegendNodes lists each faulted node once, in order of first fault.
func faultLegendNodes(faults []FigureSpan) []FigureSpan {
	seen := map[int]bool{}
	var out []FigureSpan
	for _, f := range faults {
		if !seen[f.Node] {
			seen[f.Node] = true
			out = append(out, f)
		}
	}
	return out
}

func faultLegendLabel(f FigureSpan) string {
	if f.Node == 0 {
		return "cluster fault (" + f.Kind + ")"
	}
	return fmt.Sprintf("node %d down (%s)", f.Node, f.Kind)
}
