package design

import (
	"path/filepath"

	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/rundir"
)

// Result is the data of a Part 2 section: a single run, a repeat set or a
// sweep, as variants side by side (one variant without a label unless it
// is a sweep).
type Result struct {
	Source   Source
	Variants []Variant
	Sweep    *Sweep                 // nil unless the source is a sweep
	Exp      *experiment.Experiment // the first run's experiment.yaml; nil if unreadable
}

// Variant is one column of a Part 2 section: a sweep's variant, or the
// whole run (repeat set) of a plain experiment.
type Variant struct {
	Label string // the sweep's label ("election=raft"); "" for a plain run
	Path  string // relative to data/<experiment>/: "." or the variant's directory
	Set   *compare.RunSet
	// Tables are the runs' table summaries (summary.json "table", views and
	// discovery only), in Set.Runs order; nil entries where a run has none.
	Tables []*rundir.TableSummary
}

// part2Sections pairs each Part 2 source with where Load puts it.
func (d *Data) part2Sections() []struct {
	name string
	dst  **Result
} {
	s := d.Sources
	return []struct {
		name string
		dst  **Result
	}{
		{s.Partition, &d.Partition}, {s.TLS, &d.TLS}, {s.Hysteresis, &d.Hysteresis},
		{s.Proxies, &d.Proxies}, {s.Quota, &d.Quota}, {s.PartitionQuota, &d.PartitionQuota},
		{s.Elections, &d.Elections},
	}
}

// loadPart2 reads the Part 2 sources; one without data is left nil with
// a warning.
func (d *Data) loadPart2(dataDir string) {
	for _, sec := range d.part2Sections() {
		if sec.name == "" {
			continue
		}
		r, err := loadResult(filepath.Join(dataDir, sec.name))
		if err != nil {
			d.warnf("%s: %v", sec.name, err)
			continue
		}
		*sec.dst = r
	}
}

// loadResult reads data/<experiment>/ whatever its shape.
func loadResult(dir string) (*Result, error) {
	src, err := loadSource(dir)
	if err != nil {
		return nil, err
	}
	if src.Kind == SourceSweep {
		sw, err := loadSweep(dir)
		if err != nil {
			return nil, err
		}
		r := &Result{Source: src, Sweep: sw, Exp: sw.Exp}
		for i, v := range sw.Sweep.Index.Variants {
			r.Variants = append(r.Variants, newVariant(v.Label, v.Path, sw.Sets[i]))
		}
		return r, nil
	}
	run, err := loadRun(dir)
	if err != nil {
		return nil, err
	}
	return &Result{Source: src, Exp: run.Exp, Variants: []Variant{newVariant("", ".", run.Set)}}, nil
}

func newVariant(label, path string, set *compare.RunSet) Variant {
	v := Variant{Label: label, Path: path, Set: set}
	if set != nil {
		for _, r := range set.Runs {
			v.Tables = append(v.Tables, r.Summary.Table)
		}
	}
	return v
}
