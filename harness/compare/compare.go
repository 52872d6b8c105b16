package compare

import (
	"fmt"
	"slices"
	"strings"

	"stegocloud/harness/plot"
)

// Comparison is the headline metrics of several run sets side by side, each
// later set measured against the first. New builds it; WriteMarkdown
// renders it; SaveFigures draws it.
type Comparison struct {
	Sets []ComparedSet
	Rows []ComparisonRow // one per HeadlineMetrics entry, in order
	// Warnings are findings that did not stop the comparison, such as a run
	// whose histogram could not be decoded and is left out of the spectrum.
	Warnings []string
	// Figures are the files SaveFigures wrote, relative to the Markdown file's
	// directory; WriteMarkdown links them when there are any.
	Figures []LinkedFigure

	spectrum []plot.SpectrumLine // one per set that has histograms
}

// ComparedSet is one column of a comparison: who it is and where it ran.
type ComparedSet struct {
	Key        string // "A", "B", … as in the table's headers
	Label      string
	Dir        string
	N          int    // runs in the set
	Experiment string // experiment names, comma-separated if they differ
	Commit     string // from run.json; "" when no run has one
	GoVersion  string
	Host       string
}

// ComparisonRow is one metric across all sets.
type ComparisonRow struct {
	Metric HeadlineMetric
	Stats  []MetricStat  // per set
	Deltas []MetricDelta // per set against Sets[0]; Deltas[0] is the zero value
}

// New lines up the headline metrics of sets, the first being the base.
// It does no I/O: it reads only the summaries already loaded, including
// their HDR histograms for the spectrum figure.
func New(sets []*RunSet) *Comparison {
	c := &Comparison{}
	for i, s := range sets {
		c.Sets = append(c.Sets, describeSet(setKey(i), s))
		for _, r := range s.Runs {
			if in := r.Summary.Interrupted; in != nil {
				c.Warnings = append(c.Warnings, fmt.Sprintf("set %s, %s: interrupted %.1f s after the load start (%s): its numbers cover only the part that ran",
					setKey(i), r.Dir, in.AtS, in.Cause))
			}
		}
		line, warns := spectrumOf(c.Sets[i], s)
		c.Warnings = append(c.Warnings, warns...)
		if len(line.Points) > 0 {
			c.spectrum = append(c.spectrum, line)
		}
	}
	for _, m := range HeadlineMetrics() {
		row := ComparisonRow{Metric: m}
		for _, s := range sets {
			row.Stats = append(row.Stats, Summarise(MetricValues(m, s)))
		}
		row.Deltas = make([]MetricDelta, len(sets))
		for i := 1; i < len(sets); i++ {
			row.Deltas[i] = Delta(m, row.Stats[0], row.Stats[i])
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

// MetricValues is the sample of metric m in set s: one value per run that
// measured it.
func MetricValues(m HeadlineMetric, s *RunSet) []float64 {
	var vs []float64
	for i := range s.Runs {
		if v, ok := m.Value(&s.Runs[i].Summary); ok {
			vs = append(vs, v)
		}
	}
	return vs
}

// setKey names the i-th set A, B, …, Z, AA, AB, … like spreadsheet columns.
func setKey(i int) string {
	key := ""
	for i++; i > 0; i = (i - 1) / 26 {
		key = string(rune('A'+(i-1)%26)) + key
	}
	return key
}

func describeSet(key string, s *RunSet) ComparedSet {
	cs := ComparedSet{Key: key, Label: s.Label, Dir: s.Dir, N: len(s.Runs)}
	var exps, commits, gos, hosts []string
	for _, r := range s.Runs {
		exps = AppendDistinct(exps, r.Summary.Experiment)
		if r.Info != nil {
			commits = AppendDistinct(commits, r.Info.Commit)
			gos = AppendDistinct(gos, r.Info.GoVersion)
			hosts = AppendDistinct(hosts, r.Info.Host)
		}
	}
	cs.Experiment = strings.Join(exps, ", ")
	cs.Commit = strings.Join(commits, ", ")
	cs.GoVersion = strings.Join(gos, ", ")
	cs.Host = strings.Join(hosts, ", ")
	return cs
}

func AppendDistinct(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
