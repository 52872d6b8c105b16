package plot

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"stegocloud/harness/rundir"
)

// TimelineFigure is latency (p50, p99) and throughput over the run, in two
// stacked panels sharing the time axis, with every node's fault windows shaded
// in its colour, every decided election drawn as a dashed line and every
// finding of a failed check marked by a band along the bottom.
type TimelineFigure struct {
	BucketS   float64         `json:"bucket_s"`
	XMin      float64         `json:"x_min_s"`
	XMax      float64         `json:"x_max_s"`
	Points    []TimelinePoint `json:"points"`
	Faults    []FigureSpan    `json:"faults"`
	NetFaults []FigureNetSpan `json:"net_faults,omitempty"` // hatched
	Elections []FigureMark    `json:"elections"`
	Anomalies []FigureAnomaly `json:"anomalies,omitempty"` // findings of failed checks
}

// TimelinePoint is one time-series bucket, placed at the middle of the part
// of it the run covered (all of it but for the last).
type TimelinePoint struct {
	T      float64 `json:"t_s"`
	WidthS float64 `json:"width_s"` // the rates' denominator
	// Sliver marks a last bucket the run covered for less than a quarter of
	// its width: its rates are kept here but not drawn, since a handful of
	// requests over a few milliseconds would draw a spike or a cliff.
	Sliver  bool    `json:"sliver,omitempty"`
	Ended   int     `json:"ended"` // requests that ended in the bucket; 0 leaves latency undefined
	P50Ms   float64 `json:"p50_ms"`
	P99Ms   float64 `json:"p99_ms"`
	OKPerS  float64 `json:"ok_per_s"`
	ErrPerS float64 `json:"errors_per_s"`
}

// NewTimelineFigure lays out the run's time series, faults and elections.
func NewTimelineFigure(d *rundir.Run) (*TimelineFigure, error) {
	if len(d.Buckets) == 0 || d.BucketS <= 0 {
		return nil, fmt.Errorf("%w: no %s", ErrNoFigureData, rundir.FileTimeSeries)
	}
	f := &TimelineFigure{BucketS: d.BucketS, Faults: faultsOf(d), NetFaults: netFaultsOf(d), Elections: electionsOf(d), Anomalies: anomaliesOf(d)}
	for i, b := range d.Buckets {
		width := d.BucketS
		if i == len(d.Buckets)-1 {
			width = timelineLastWidth(d, b)
		}
		f.Points = append(f.Points, TimelinePoint{
			T:      b.T + width/2,
			WidthS: width,
			Sliver: width < d.BucketS/4,
			Ended:  b.OK + b.Errors,
			P50Ms:  b.P50Ms, P99Ms: b.P99Ms,
			OKPerS:  float64(b.OK) / width,
			ErrPerS: float64(b.Errors) / width,
		})
	}
	f.XMin = min(0, d.Buckets[0].T)
	f.XMax = d.Buckets[len(d.Buckets)-1].T + d.BucketS
	return f, nil
}

// timelineLastWidth is how much of the last bucket the run covered: the run
// ends inside it, and counting its requests over the whole width would draw
// a drop in throughput that never happened.
func timelineLastWidth(d *rundir.Run, b rundir.Bucket) float64 {
	if d.Summary.End.IsZero() {
		return d.BucketS
	}
	covered := d.Seconds(d.Summary.End) - b.T
	if covered <= 0 || covered >= d.BucketS {
		return d.BucketS
	}
	return covered
}

// Name implements Figure.
func (f *TimelineFigure) Name() string { return "timeline" }

// Render implements Figure.
func (f *TimelineFigure) Render(w io.Writer, format string) error {
	lat := newPlot("Latency and throughput over time", "", "latency (ms)")
	thr := newPlot("", "time since load start (s)", "requests/s")
	marks := f.markers()
	for _, p := range []*plot.Plot{lat, thr} {
		p.Add(marks...)
		p.X.Min, p.X.Max = f.XMin, f.XMax
		p.Y.Min = 0
	}

	defined := func(i int) bool { return f.Points[i].Ended > 0 }
	rated := func(i int) bool { return !f.Points[i].Sliver }
	maxLat, maxThr := 0.0, 0.0
	for _, pt := range f.Points {
		maxLat = max(maxLat, pt.P99Ms, pt.P50Ms)
		if !pt.Sliver {
			maxThr = max(maxThr, pt.OKPerS, pt.ErrPerS)
		}
	}
	series := []struct {
		p     *plot.Plot
		name  string
		color color.Color
		y     func(TimelinePoint) float64
		keep  func(int) bool
	}{
		{lat, "p99", latencyP99, func(p TimelinePoint) float64 { return p.P99Ms }, defined},
		{lat, "p50", latencyP50, func(p TimelinePoint) float64 { return p.P50Ms }, defined},
		{thr, "ok/s", okColor, func(p TimelinePoint) float64 { return p.OKPerS }, rated},
		{thr, "errors/s", errorColor, func(p TimelinePoint) float64 { return p.ErrPerS }, rated},
	}
	for _, s := range series {
		segs := splitSegments(len(f.Points), func(i int) plotter.XY { return plotter.XY{X: f.Points[i].T, Y: s.y(f.Points[i])} }, s.keep)
		thumb, err := addSegments(s.p, segs, draw.LineStyle{Color: s.color, Width: vg.Points(1.3)})
		if err != nil {
			return fmt.Errorf("plotting %s: %w", s.name, err)
		}
		s.p.Legend.Add(s.name, thumb)
	}
	f.addMarkerLegend(lat)
	lat.Y.Max = max(maxLat*1.1, 1)
	thr.Y.Max = max(maxThr*1.1, 1)
	return renderLegendRight(w, format, figWidth, figTallHeight, lat, thr)
}

// markers are the fault shading and the election lines, drawn under the data.
func (f *TimelineFigure) markers() []plot.Plotter {
	xs := make([]float64, len(f.Elections))
	for i, e := range f.Elections {
		xs[i] = e.T
	}
	return []plot.Plotter{faultShade(f.Faults), netFaultHatch(f.NetFaults), vLines{Xs: xs, Style: electionStyle()}, anomalyMarks(f.Anomalies, f.XMin, f.XMax)}
}

func (f *TimelineFigure) addMarkerLegend(p *plot.Plot) {
	for _, fl := range faultLegendNodes(f.Faults) {
		p.Legend.Add(faultLegendLabel(fl), Swatch{Color: translucent(nodeColor(fl.Node), faultAlpha*2)})
	}
	addNetFaultLegend(p, f.NetFaults)
	if len(f.Elections) > 0 {
		p.Legend.Add("election", vLines{Style: electionStyle()})
	}
	addAnomalyLegend(p, f.Anomalies)
}

// splitSegments cuts n points into runs of consecutive points that keep
// accepts (nil keeps all), so that undefined values break a line instead of
// being drawn as zeros.
func splitSegments(n int, at func(int) plotter.XY, keep func(int) bool) []plotter.XYs {
	var segs []plotter.XYs
	var cur plotter.XYs
	for i := range n {
		if keep != nil && !keep(i) {
			if len(cur) > 0 {
				segs = append(segs, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, at(i))
	}
	if len(cur) > 0 {
		segs = append(segs, cur)
	}
	return segs
}

// addSegments draws each segment as a line (a lone point as a dot) and
// returns a thumbnail for the legend.
func addSegments(p *plot.Plot, segs []plotter.XYs, style draw.LineStyle) (plot.Thumbnailer, error) {
	proto := &plotter.Line{LineStyle: style}
	for _, seg := range segs {
		if len(seg) == 1 {
			sc, err := plotter.NewScatter(seg)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: style.Width * 1.5, Shape: draw.CircleGlyph{}}
			p.Add(sc)
			continue
		}
		l, err := plotter.NewLine(seg)
		if err != nil {
			return nil, err
		}
		l.LineStyle = style
		p.Add(l)
	}
	return proto, nil
}
