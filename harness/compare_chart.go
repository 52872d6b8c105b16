package harness

import "math"

// cmpChart is the data of one chart, kept apart from drawing so that tests
// can check what a figure shows without comparing image bytes. Compare's
// metric tiles and every sweep figure are cmpCharts.
type cmpChart struct {
	Key    string // the metric's key, naming the chart's file
	Title  string
	XLabel string
	YLabel string
	// Numeric draws lines over numeric X values; otherwise bars over
	// Categories, X being the category's index.
	Numeric    bool
	Categories []string
	// ColorByCategory colours a one-series bar chart's bars by category, so
	// that they match the sets' colours in the other figures.
	ColorByCategory bool
	Series          []cmpChartSeries
}

// cmpChartSeries is one line, or one bar per category.
type cmpChartSeries struct {
	Label  string
	Points []cmpChartPoint
}

// cmpChartPoint is a value and its confidence interval of the median (Lo and
// Hi NaN when there is none to draw: one run, or too few for an interval).
type cmpChartPoint struct {
	X, Y   float64
	Lo, Hi float64
}

// cmpPointOf turns a set's statistic into a chart point; ok is false when the
// value cannot be drawn (not measured, or infinite).
func cmpPointOf(x float64, s MetricStat) (cmpChartPoint, bool) {
	if s.N() == 0 || math.IsNaN(s.Center) || math.IsInf(s.Center, 0) {
		return cmpChartPoint{}, false
	}
	p := cmpChartPoint{X: x, Y: s.Center, Lo: math.NaN(), Hi: math.NaN()}
	if s.HasCI() {
		p.Lo, p.Hi = s.Lo, s.Hi
	}
	return p, true
}

// hasData reports whether any series has a point to draw.
func (ch *cmpChart) hasData() bool {
	for _, s := range ch.Series {
		if len(s.Points) > 0 {
			return true
		}
	}
	return false
}

// cmpMetricCharts is compare's bar figure: one chart per headline metric that
// any set measured, one bar per set.
func (c *Comparison) metricCharts() []cmpChart {
	var charts []cmpChart
	keys := make([]string, len(c.Sets))
	for i, s := range c.Sets {
		keys[i] = s.Key
	}
	for _, row := range c.Rows {
		ch := cmpChart{Key: row.Metric.Key, Title: row.Metric.Title(), Categories: keys, ColorByCategory: true,
			Series: []cmpChartSeries{{}}}
		for i, st := range row.Stats {
			if p, ok := cmpPointOf(float64(i), st); ok {
				ch.Series[0].Points = append(ch.Series[0].Points, p)
			}
		}
		if ch.hasData() {
			charts = append(charts, ch)
		}
	}
	return charts
}
