package compare

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"stegocloud/harness/rundir"
)

// SweepMarkdownFile is the sweep summary WriteSweep writes into a sweep
// directory; its figures go to SweepFigureDir beside it.
const (
	SweepMarkdownFile = "sweep.md"
	SweepFigureDir    = "figures"
)

// Sweep is a sweep's variants with their headline metrics: the data behind
// sweep.md and its figures.
type Sweep struct {
	Index rundir.SweepIndex
	Rows  []SweepRow // one per variant, in index order
	// Warnings are findings that did not stop the summary: a variant whose
	// run set could not be loaded, or holds another number of runs than the
	// index says.
	Warnings []string
	// Figures are the files SaveFigures wrote, relative to the sweep
	// directory; WriteMarkdown links them.
	Figures []LinkedFigure
}

// SweepRow is one variant: its values and each headline metric over its runs.
type SweepRow struct {
	Variant rundir.SweepVariant
	N       int          // runs loaded; 0 when the set could not be loaded
	Stats   []MetricStat // per HeadlineMetrics entry
}

// NewSweep summarises the variants of idx from their run sets, sets[i] being
// variant i's (nil when it could not be loaded). It does no I/O.
func NewSweep(idx rundir.SweepIndex, sets []*RunSet) *Sweep {
	s := &Sweep{Index: idx}
	metrics := HeadlineMetrics()
	for i, v := range idx.Variants {
		row := SweepRow{Variant: v}
		var set *RunSet
		if i < len(sets) {
			set = sets[i]
		}
		if set != nil {
			row.N = len(set.Runs)
			if row.N != v.Repeat {
				s.Warnings = append(s.Warnings, fmt.Sprintf("variant %s: the index says %d runs, its directory holds %d", v.Label, v.Repeat, row.N))
			}
		}
		for _, m := range metrics {
			var vals []float64
			if set != nil {
				vals = MetricValues(m, set)
			}
			row.Stats = append(row.Stats, Summarise(vals))
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

// LoadSweep reads dir/sweep.json and every variant's run set. A variant that
// cannot be loaded becomes a warning and an empty row, so that one failed
// variant does not hide the others; a sweep with no loadable variant is an
// error.
func LoadSweep(dir string) (*Sweep, error) {
	idx, err := rundir.LoadSweepIndex(dir)
	if err != nil {
		return nil, err
	}
	sets := make([]*RunSet, len(idx.Variants))
	var warns []string
	loaded := 0
	for i, v := range idx.Variants {
		set, err := ReadRunSet(filepath.Join(dir, v.Path), false)
		if err != nil {
			warns = append(warns, fmt.Sprintf("variant %s: %v; left out", v.Label, err))
			continue
		}
		set.Label = v.Label
		sets[i] = set
		loaded++
	}
	if loaded == 0 {
		return nil, fmt.Errorf("loading sweep %s: %w: no variant has a run set (%s)", dir, ErrNotRunSet, warns[0])
	}
	s := NewSweep(idx, sets)
	s.Warnings = append(warns, s.Warnings...)
	return s, nil
}

// WriteSweep summarises the sweep in dir: it writes dir/sweep.md and the
// figures of every headline metric against the swept fields into
// dir/figures/sweep-METRIC.{png,svg}. It returns the sweep, whose Warnings
// the caller may show.
func WriteSweep(dir string) (*Sweep, error) {
	s, err := LoadSweep(dir)
	if err != nil {
		return nil, err
	}
	figDir := filepath.Join(dir, SweepFigureDir)
	if err := os.MkdirAll(figDir, 0o755); err != nil {
		return nil, fmt.Errorf("writing sweep summary: %w", err)
	}
	if err := s.SaveFigures(figDir, SweepFigureDir); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := s.WriteMarkdown(&buf); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, SweepMarkdownFile), buf.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("writing sweep summary: %w", err)
	}
	return s, nil
}
