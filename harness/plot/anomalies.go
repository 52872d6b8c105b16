package plot

import (
	"image/color"

	"gonum.org/v1/plot"

	"stegocloud/harness/rundir"
)

// FigureAnomaly is one finding of a failed check (rundir.Evidence) on a
// figure's time axis, in seconds since the load start.
type FigureAnomaly struct {
	Check    string  `json:"check"`
	Kind     string  `json:"kind"`
	Expected bool    `json:"expected,omitempty"` // the experiment declared this check an expected anomaly
	From     float64 `json:"from_s"`
	To       float64 `json:"to_s"`
}

// anomalyPalette colours failed checks, one colour per check in order of
// appearance: none is a node's colour or the red and green of errors and
// successes.
var anomalyPalette = []color.RGBA{
	{R: 199, G: 21, B: 133, A: 255}, // magenta
	{R: 218, G: 165, B: 32, A: 255}, // goldenrod
	{R: 0, G: 100, B: 100, A: 255},  // dark teal
	{R: 75, G: 0, B: 130, A: 255},   // indigo
}

// anomalyBand is the height of the anomaly band, as a fraction of a panel.
const anomalyBand = 0.07

// anomalyMinWidth is the narrowest a mark is drawn, as a fraction of the
// time axis, so that an instant (an epoch conflict) or a few milliseconds
// of overlap stay visible.
const anomalyMinWidth = 0.004

// anomaliesOf places every finding of every failed check on the time axis.
func anomaliesOf(d *rundir.Run) []FigureAnomaly {
	var out []FigureAnomaly
	for _, c := range d.Summary.Verdict.Checks {
		if c.Pass {
			continue
		}
		for _, e := range c.Evidence {
			out = append(out, FigureAnomaly{Check: c.Name, Kind: e.Kind, Expected: c.Expected, From: e.FromS, To: e.ToS})
		}
	}
	return out
}

// anomalyChecks lists each check with findings once, in order of appearance,
// with its colour.
func anomalyChecks(as []FigureAnomaly) (names []string, colors map[string]color.RGBA, expected map[string]bool) {
	colors, expected = map[string]color.RGBA{}, map[string]bool{}
	for _, a := range as {
		if _, ok := colors[a.Check]; !ok {
			colors[a.Check] = anomalyPalette[len(names)%len(anomalyPalette)]
			names = append(names, a.Check)
		}
		expected[a.Check] = expected[a.Check] || a.Expected
	}
	return names, colors, expected
}

// anomalyMarks draws the findings as a band along the bottom of a panel, in
// their check's colour, at least anomalyMinWidth of [xmin, xmax] wide.
func anomalyMarks(as []FigureAnomaly, xmin, xmax float64) plot.Plotter {
	_, colors, _ := anomalyChecks(as)
	minW := anomalyMinWidth * (xmax - xmin)
	sp := shade{Frac: anomalyBand}
	for _, a := range as {
		from, to := a.From, a.To
		if to-from < minW {
			mid := (from + to) / 2
			from, to = mid-minW/2, mid+minW/2
		}
		sp.Spans = append(sp.Spans, shadeSpan{From: from, To: to, Color: translucent(colors[a.Check], 220)})
	}
	return sp
}

// addAnomalyLegend names each failed check with findings beside its colour.
func addAnomalyLegend(p *plot.Plot, as []FigureAnomaly) {
	names, colors, expected := anomalyChecks(as)
	for _, n := range names {
		label := n + " failed"
		if expected[n] {
			label = n + " (expected anomaly)"
		}
		p.Legend.Add(label, Swatch{Color: colors[n]})
	}
}
