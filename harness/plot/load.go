package plot

import (
	"fmt"
	"image/color"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"stegocloud/harness/rundir"
)

// LoadFigure is each node's load over time as the nodes logged it, with the
// coordinator of every period as a band along the top in the coordinator's
// colour, and fault windows shaded as in the timeline.
type LoadFigure struct {
	XMin         float64            `json:"x_min_s"`
	XMax         float64            `json:"x_max_s"`
	Series       []LoadFigureSeries `json:"series"`
	Coordinators []FigureSpan       `json:"coordinators"` // Node = coordinator, Kind = "epoch N"
	Faults       []FigureSpan       `json:"faults"`
	NetFaults    []FigureNetSpan    `json:"net_faults,omitempty"` // hatched
}

// LoadFigureSeries is one node's downsampled load.
type LoadFigureSeries struct {
	Node   int               `json:"node"`
	Points []LoadFigurePoint `json:"points"`
	Breaks []float64         `json:"breaks_s,omitempty"` // the line is cut after these times: gaps in the samples
}

// LoadFigurePoint is a load point at the middle of the span it averages.
type LoadFigurePoint struct {
	T    float64 `json:"t_s"`
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
}

// loadGapFactor: a pause in a node's samples longer than this many typical
// intervals means it logged nothing (crashed, paused, silent) and the line is
// cut there instead of bridging the outage.
const loadGapFactor = 3

// bandFrac is the share of the panel's height the coordinator band takes.
const bandFrac = 0.07

// NewLoadFigure lays out the load samples and coordinator periods of the
// event digest.
func NewLoadFigure(d *rundir.Run) (*LoadFigure, error) {
	if d.Events == nil || len(d.Events.Load) == 0 {
		return nil, fmt.Errorf("%w: no load events in %s", ErrNoFigureData, rundir.FileEvents)
	}
	f := &LoadFigure{Faults: faultsOf(d), NetFaults: netFaultsOf(d)}
	first, last := time.Time{}, time.Time{}
	for _, id := range slices.Sorted(maps.Keys(d.Events.Load)) {
		pts := d.Events.Load[id]
		s := LoadFigureSeries{Node: id}
		for _, p := range pts {
			mid := p.From.Add(p.To.Sub(p.From) / 2)
			s.Points = append(s.Points, LoadFigurePoint{T: d.Seconds(mid), Mean: p.Mean, Max: p.Max})
		}
		s.Breaks = loadBreaks(s.Points)
		f.Series = append(f.Series, s)
		if len(pts) > 0 {
			if first.IsZero() || pts[0].From.Before(first) {
				first = pts[0].From
			}
			if pts[len(pts)-1].To.After(last) {
				last = pts[len(pts)-1].To
			}
		}
	}
	f.XMin, f.XMax = d.Seconds(first), d.Seconds(last)
	if f.XMax <= f.XMin {
		f.XMax = f.XMin + 1
	}
	for _, c := range d.Events.Coordinators {
		to := f.XMax
		if !c.To.IsZero() {
			to = d.Seconds(c.To)
		}
		f.Coordinators = append(f.Coordinators, FigureSpan{Node: c.Node, Kind: fmt.Sprintf("epoch %d", c.Epoch), From: d.Seconds(c.From), To: to})
	}
	return f, nil
}

// loadBreaks are the times after which a line is cut: gaps longer than
// loadGapFactor times the median gap.
func loadBreaks(pts []LoadFigurePoint) []float64 {
	if len(pts) < 3 {
		return nil
	}
	gaps := make([]float64, len(pts)-1)
	for i := 1; i < len(pts); i++ {
		gaps[i-1] = pts[i].T - pts[i-1].T
	}
	sorted := slices.Clone(gaps)
	slices.Sort(sorted)
	limit := loadGapFactor * sorted[len(sorted)/2]
	var out []float64
	for i, g := range gaps {
		if g > limit {
			out = append(out, pts[i].T)
		}
	}
	return out
}

// Name implements Figure.
func (f *LoadFigure) Name() string { return "load" }

// Render implements Figure.
func (f *LoadFigure) Render(w io.Writer, format string) error {
	p := newPlot("Load per node (top band: coordinator, in its node's colour)", "time since load start (s)", "load")
	p.Add(faultShade(f.Faults), netFaultHatch(f.NetFaults))
	band := shade{Frac: bandFrac, Top: true, Text: p.Legend.TextStyle}
	band.Text.Color = color.White
	band.Text.XAlign, band.Text.YAlign = draw.XCenter, draw.YCenter
	for _, c := range f.Coordinators {
		band.Spans = append(band.Spans, shadeSpan{From: c.From, To: c.To, Color: nodeColor(c.Node), Labels: []string{
			fmt.Sprintf("coordinator: node %d (%s)", c.Node, c.Kind), fmt.Sprintf("node %d (%s)", c.Node, c.Kind), fmt.Sprintf("node %d", c.Node), strconv.Itoa(c.Node),
		}})
	}
	p.Add(band)
	top := 0.0
	for _, s := range f.Series {
		segs := splitAt(s.Points, s.Breaks)
		style := draw.LineStyle{Color: nodeColor(s.Node), Width: vg.Points(1.3)}
		thumb, err := addSegments(p, segs, style)
		if err != nil {
			return fmt.Errorf("plotting node %d: %w", s.Node, err)
		}
		p.Legend.Add(fmt.Sprintf("node %d", s.Node), thumb)
		for _, pt := range s.Points {
			top = max(top, pt.Mean)
		}
	}
	for _, fl := range faultLegendNodes(f.Faults) {
		p.Legend.Add(faultLegendLabel(fl), Swatch{Color: translucent(nodeColor(fl.Node), faultAlpha*2)})
	}
	addNetFaultLegend(p, f.NetFaults)
	p.X.Min, p.X.Max = f.XMin, f.XMax
	// Room above the data for the coordinator band.
	p.Y.Min, p.Y.Max = 0, max(top*1.08/(1-bandFrac), 1)
	return renderLegendRight(w, format, figWidth, figHeight, p)
}

// splitAt cuts a node's points into lines after each break time.
func splitAt(pts []LoadFigurePoint, breaks []float64) []plotter.XYs {
	var segs []plotter.XYs
	var cur plotter.XYs
	for _, pt := range pts {
		cur = append(cur, plotter.XY{X: pt.T, Y: pt.Mean})
		if slices.Contains(breaks, pt.T) {
			segs = append(segs, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		segs = append(segs, cur)
	}
	return segs
}
