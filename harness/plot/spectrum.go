package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"stegocloud/harness/rundir"
)

// SpectrumFigure is the HDR latency percentile spectrum: latency against
// percentile on a log axis of 1/(1-q), so that the tail (99%, 99.9%, …) gets
// as much room as the median.
type SpectrumFigure struct {
	Series []SpectrumSeries `json:"series"`
}

// SpectrumSeries is one histogram's spectrum.
type SpectrumSeries struct {
	Name   string          `json:"name"`
	Count  int64           `json:"count"`
	Points []SpectrumPoint `json:"points"`
}

// SpectrumPoint is the latency at one percentile.
type SpectrumPoint struct {
	Percentile float64 `json:"percentile"` // 0..100
	X          float64 `json:"x"`          // 1/(1-q), the position on the log axis
	Ms         float64 `json:"ms"`
}

// spectrumHistograms are the Summary histograms the spectrum draws, in order.
var spectrumHistograms = []struct{ key, name string }{
	{"all", "all requests"},
	{"out_faults", "outside faults"},
	{"in_faults", "inside faults"},
}

// spectrumTicksPerHalf is the HdrHistogram percentile iterator's resolution:
// 5 points per halving of the distance to 100%, as in its .hgrm output.
const spectrumTicksPerHalf = 5

// NewSpectrumFigure decodes the summary's HDR histograms (µs) and lays out
// their percentile spectra. A histogram that does not decode is an error; an
// empty one is left out.
func NewSpectrumFigure(s *rundir.Summary) (*SpectrumFigure, error) {
	f := &SpectrumFigure{}
	for _, h := range spectrumHistograms {
		enc, ok := s.Histograms[h.key]
		if !ok || enc == "" {
			continue
		}
		hist, err := hdr.Decode([]byte(enc))
		if err != nil {
			return nil, fmt.Errorf("decoding histogram %q of %s: %w", h.key, rundir.FileSummary, err)
		}
		if hist.TotalCount() == 0 {
			continue
		}
		f.Series = append(f.Series, SpectrumSeries{Name: h.name, Count: hist.TotalCount(), Points: SpectrumPoints(hist)})
	}
	if len(f.Series) == 0 {
		return nil, fmt.Errorf("%w: %s has no non-empty latency histogram", ErrNoFigureData, rundir.FileSummary)
	}
	return f, nil
}

// SpectrumPoints walks the histogram's percentiles. q = 100% is dropped: its
// 1/(1-q) is infinite and a log axis cannot place it (the maximum is in the
// report's tables).
func SpectrumPoints(h *hdr.Histogram) []SpectrumPoint {
	var pts []SpectrumPoint
	for _, b := range h.CumulativeDistributionWithTicks(spectrumTicksPerHalf) {
		q := b.Quantile / 100
		if q >= 1 {
			continue
		}
		pts = append(pts, SpectrumPoint{Percentile: b.Quantile, X: 1 / (1 - q), Ms: float64(b.ValueAt) / 1000})
	}
	return pts
}

// Name implements Figure.
func (f *SpectrumFigure) Name() string { return "latency_spectrum" }

// Render implements Figure.
func (f *SpectrumFigure) Render(w io.Writer, format string) error {
	p := newPlot("Latency by percentile (HDR spectrum)", "percentile", "latency (ms)")
	p.X.Scale = plot.LogScale{}
	p.Legend.Left = true
	colours := []color.RGBA{latencyP50, okColor, errorColor}
	maxX, maxMs := 1.0, 0.0
	for i, s := range f.Series {
		xys := make(plotter.XYs, len(s.Points))
		for j, pt := range s.Points {
			xys[j] = plotter.XY{X: pt.X, Y: pt.Ms}
			maxX, maxMs = max(maxX, pt.X), max(maxMs, pt.Ms)
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("plotting %s: %w", s.Name, err)
		}
		l.Color = colours[i%len(colours)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (n=%d)", s.Name, s.Count), l)
	}
	p.X.Min, p.X.Max = 1, max(maxX*1.5, 10)
	p.X.Tick.Marker = plot.ConstantTicks(PercentileTicks(p.X.Max))
	p.Y.Min, p.Y.Max = 0, maxMs*1.25+1e-3
	return render(w, format, figWidth, figHeight, p)
}

// PercentileTicks labels 1/(1-q) positions as percentiles up to upTo.
func PercentileTicks(upTo float64) []plot.Tick {
	ticks := []plot.Tick{{Value: 1, Label: "0%"}, {Value: 2, Label: "50%"}}
	for nines := 1; ; nines++ {
		x := math.Pow10(nines)
		if x > upTo {
			return ticks
		}
		ticks = append(ticks, plot.Tick{Value: x, Label: ninesLabel(nines)})
	}
}

// ninesLabel is the percentile with n nines: 90%, 99%, 99.9%, … (spelled out
// rather than computed, which would print 90.00000000000001%).
func ninesLabel(n int) string {
	switch n {
	case 1:
		return "90%"
	case 2:
		return "99%"
	}
	return "99." + strings.Repeat("9", n-2) + "%"
}
