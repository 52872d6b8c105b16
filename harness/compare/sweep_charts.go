package compare

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"stegocloud/harness/experiment"
	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
)

// Axis is how a swept field is laid along a figure's x axis.
type Axis struct {
	Field   string
	Numeric bool
	Unit    string             // of numeric values: "", "ms" (durations), "/s" (rates)
	Values  map[string]float64 // numeric value of each raw value
	Order   []string           // categorical values in order of first appearance
}

// parseValue reads a matrix value as a number where it is one: plain
// numbers, durations (in ms) and rates such as "150/s".
func parseValue(raw string) (v float64, unit string, ok bool) {
	s := strings.TrimSpace(raw)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, "", true
	}
	if d, err := time.ParseDuration(s); err == nil {
		return float64(d) / float64(time.Millisecond), "ms", true
	}
	if num, ok := strings.CutSuffix(s, "/s"); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(num), 64); err == nil {
			return f, "/s", true
		}
	}
	return 0, "", false
}

// AxisOf decides whether field is numeric: every value must parse, in
// the same unit; otherwise it is categorical.
func AxisOf(field string, vs []rundir.SweepVariant) Axis {
	ax := Axis{Field: field, Numeric: true, Values: map[string]float64{}}
	for i, v := range vs {
		raw := v.Values[field]
		if !slices.Contains(ax.Order, raw) {
			ax.Order = append(ax.Order, raw)
		}
		f, unit, ok := parseValue(raw)
		if !ok || (i > 0 && unit != ax.Unit) {
			ax.Numeric = false
			continue
		}
		ax.Unit = unit
		ax.Values[raw] = f
	}
	if !ax.Numeric {
		ax.Unit, ax.Values = "", nil
	}
	return ax
}

// Label is the field with its unit, for an axis.
func (ax Axis) Label() string {
	switch ax.Unit {
	case "ms":
		return ax.Field + " (ms)"
	case "/s":
		return ax.Field + " (per second)"
	}
	return ax.Field
}

// xField picks the x axis: the first numeric swept field, so that a trend is
// drawn as a line; else the first field, drawn as bars. Every other field
// splits the variants into series.
func (s *Sweep) xField() (Axis, []string) {
	fields := s.Index.Fields
	x := AxisOf(fields[0], s.Index.Variants)
	for _, f := range fields {
		if ax := AxisOf(f, s.Index.Variants); ax.Numeric {
			x = ax
			break
		}
	}
	var others []string
	for _, f := range fields {
		if f != x.Field {
			others = append(others, f)
		}
	}
	return x, others
}

// charts is one chart per headline metric that any variant measured: the
// metric against the x field, a line (or a group of bars) per combination of
// the other fields' values.
func (s *Sweep) charts() []plot.Chart {
	x, others := s.xField()
	var charts []plot.Chart
	for mi, m := range HeadlineMetrics() {
		ch := plot.Chart{Key: m.Key, Title: m.Title() + " by " + x.Field, XLabel: x.Label(), YLabel: m.Title(), Numeric: x.Numeric}
		if !x.Numeric {
			ch.Categories = x.Order
		}
		series := map[string]int{}
		for _, row := range s.Rows {
			key := SeriesLabel(others, row.Variant.Values)
			si, ok := series[key]
			if !ok {
				si = len(ch.Series)
				series[key] = si
				ch.Series = append(ch.Series, plot.ChartSeries{Label: key})
			}
			xv := x.Values[row.Variant.Values[x.Field]]
			if !x.Numeric {
				xv = float64(slices.Index(x.Order, row.Variant.Values[x.Field]))
			}
			if p, ok := PointOf(xv, row.Stats[mi]); ok {
				ch.Series[si].Points = append(ch.Series[si].Points, p)
			}
		}
		for i := range ch.Series {
			slices.SortStableFunc(ch.Series[i].Points, func(a, b plot.ChartPoint) int {
				switch {
				case a.X < b.X:
					return -1
				case a.X > b.X:
					return 1
				}
				return 0
			})
		}
		if ch.HasData() {
			charts = append(charts, ch)
		}
	}
	return charts
}

// SeriesLabel names a series by the values of the fields other than x:
// "balancer=random"; "" when x is the only field.
func SeriesLabel(fields []string, values map[string]string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = experiment.ShortField(f) + "=" + values[f]
	}
	return strings.Join(parts, ", ")
}
