package compare

import (
	"math"

	"stegocloud/harness/plot"
)

// PointOf turns a set's statistic into a chart point; ok is false when the
// value cannot be drawn (not measured, or infinite).
func PointOf(x float64, s MetricStat) (plot.ChartPoint, bool) {
	if s.N() == 0 || math.IsNaN(s.Center) || math.IsInf(s.Center, 0) {
		return plot.ChartPoint{}, false
	}
	p := plot.ChartPoint{X: x, Y: s.Center, Lo: math.NaN(), Hi: math.NaN()}
	if s.HasCI() {
		p.Lo, p.Hi = s.Lo, s.Hi
	}
	return p, true
}

// metricCharts is compare's bar figure: one chart per headline metric that
// any set measured, one bar per set.
func (c *Comparison) metricCharts() []plot.Chart {
	var charts []plot.Chart
	keys := make([]string, len(c.Sets))
	for i, s := range c.Sets {
		keys[i] = s.Key
	}
	for _, row := range c.Rows {
		ch := plot.Chart{Key: row.Metric.Key, Title: row.Metric.Title(), Categories: keys, ColorByCategory: true,
			Series: []plot.ChartSeries{{}}}
		for i, st := range row.Stats {
			if p, ok := PointOf(float64(i), st); ok {
				ch.Series[0].Points = append(ch.Series[0].Points, p)
			}
		}
		if ch.HasData() {
			charts = append(charts, ch)
		}
	}
	return charts
}
