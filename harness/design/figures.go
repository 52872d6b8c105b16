package design

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"stegocloud/internal/atomicfile"
	"strconv"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/plot"
)

// WriteFigures draws the README's own figures from d into
// out/figures/<experiment>/summary.png — the balancers' and the scaling
// sweep's headline metrics in one tiled figure each — and records them in
// d.Figures. A sweep without data draws nothing.
func WriteFigures(d *Data, out string) ([]string, error) {
	var written []string
	figs := []struct {
		sw    *Sweep
		build func(*Sweep) (title string, key []string, charts []plot.Chart)
	}{
		{d.Balancers, balancerCharts},
		{d.Scaling, scalingCharts},
	}
	for _, f := range figs {
		if f.sw == nil {
			continue
		}
		title, key, charts := f.build(f.sw)
		if len(charts) == 0 {
			continue
		}
		rel := figurePath(f.sw.Source.Experiment, "summary")
		path := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return written, fmt.Errorf("writing %s: %w", rel, err)
		}
		_, err := atomicfile.Replace(path, 0o644, func(w io.Writer) error { return plot.WriteTiles(w, "png", title, key, charts) })
		if err != nil {
			return written, fmt.Errorf("writing %s: %w", rel, err)
		}
		d.Figures[rel] = true
		written = append(written, path)
	}
	return written, nil
}

// balancerCharts puts the balancers along x (bars) with a bar per
// cluster size, for the headline metrics that tell balancers apart.
func balancerCharts(sw *Sweep) (string, []string, []plot.Chart) {
	idx := sw.Sweep.Index
	x := compare.AxisOf(balancerField, idx.Variants)
	if len(x.Order) == 0 {
		return "", nil, nil
	}
	var others []string
	for _, f := range idx.Fields {
		if f != balancerField {
			others = append(others, f)
		}
	}
	var charts []plot.Chart
	var key []string
	for _, k := range []string{"throughput", "p50", "p99", "spread_cv"} {
		m := metricByKey(k, nil)
		ch := plot.Chart{Key: k, Title: m.Title(), XLabel: "balancer", YLabel: m.Title(), Categories: shortNames(x.Order)}
		series := map[string]int{}
		for i, v := range idx.Variants {
			if sw.Sets[i] == nil {
				continue
			}
			label := compare.SeriesLabel(others, v.Values)
			si, ok := series[label]
			if !ok {
				si = len(ch.Series)
				series[label] = si
				// Unlabelled: the colours are named in the figure's key, a
				// legend inside a small tile would cover bars.
				ch.Series = append(ch.Series, plot.ChartSeries{})
				if len(charts) == 0 && label != "" {
					key = append(key, colourName(si)+": "+label)
				}
			}
			st := compare.Summarise(compare.MetricValues(m, sw.Sets[i]))
			if p, ok := compare.PointOf(float64(slices.Index(x.Order, v.Values[balancerField])), st); ok {
				ch.Series[si].Points = append(ch.Series[si].Points, p)
			}
		}
		if ch.HasData() {
			charts = append(charts, ch)
		}
	}
	if abbr := abbreviations(x.Order); abbr != "" {
		key = append(key, "x axis: "+abbr)
	}
	return fmt.Sprintf("%s: medians of %s; whiskers: 95%% confidence intervals of the medians", sw.Source.Experiment, compare.RepeatText(idx.Variants)), key, charts
}

// colourNames name palette's colours, for figure keys.
var colourNames = []string{"blue", "vermillion", "green", "purple", "orange", "sky blue", "black"}

func colourName(i int) string { return colourNames[i%len(colourNames)] }

// scalingCharts draws the scaling metrics against the cluster size,
// with the reference each is measured against as a second line.
func scalingCharts(sw *Sweep) (string, []string, []plot.Chart) {
	idx := sw.Sweep.Index
	if len(idx.Fields) != 1 || idx.Fields[0] != nodesField {
		return "", nil, nil
	}
	extra := scalingMetrics()
	type ref func(n int) float64
	specs := []struct {
		key string
		ref ref
	}{
		{"throughput", func(n int) float64 { c, _ := capacity(sw.Exp, n); return c }},
		{"messages_per_request", nil},
		{"election_per_election", func(n int) float64 { return float64(3 * (n - 1)) }},
		{"failover_p50", nil},
	}
	var charts []plot.Chart
	for _, sp := range specs {
		m := metricByKey(sp.key, extra)
		ch := plot.Chart{Key: sp.key, Title: m.Title(), XLabel: "nodes", YLabel: m.Title(), Numeric: true,
			Series: []plot.ChartSeries{{}, {}}}
		for i, v := range idx.Variants {
			n, err := strconv.Atoi(v.Values[nodesField])
			if err != nil || sw.Sets[i] == nil {
				continue
			}
			if p, ok := compare.PointOf(float64(n), compare.Summarise(compare.MetricValues(m, sw.Sets[i]))); ok {
				ch.Series[0].Points = append(ch.Series[0].Points, p)
			}
			if sp.ref != nil {
				if r := sp.ref(n); r > 0 {
					ch.Series[1].Points = append(ch.Series[1].Points, plot.ChartPoint{X: float64(n), Y: r, Lo: math.NaN(), Hi: math.NaN()})
				}
			}
		}
		if ch.HasData() {
			charts = append(charts, ch)
		}
	}
	key := []string{"blue: measured (median of the runs; whiskers: 95% confidence interval of the median)",
		"vermillion: the reference — throughput: the capacity bound; election messages: 3(n−1), one election that hears from every peer"}
	return fmt.Sprintf("%s: %s", sw.Source.Experiment, compare.RepeatText(idx.Variants)), key, charts
}

// shortName fits a category under a quarter-width tile: names up to
// seven characters stay, a hyphenated one keeps its first word, others are
// cut to five letters and a dot ("coordinator" → "coord.").
func shortName(name string) string {
	switch {
	case len(name) <= 7:
		return name
	case strings.Contains(name, "-"):
		return name[:strings.IndexByte(name, '-')]
	}
	return name[:5] + "."
}

func shortNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = shortName(n)
	}
	return out
}

// abbreviations spells out the shortened names for the figure's key.
func abbreviations(names []string) string {
	var parts []string
	for _, n := range names {
		if s := shortName(n); s != n {
			parts = append(parts, s+" = "+n)
		}
	}
	return strings.Join(parts, ", ")
}
