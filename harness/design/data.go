package design

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/rundir"
)

// Data is everything reports/README.md is made of, read from the
// output directory alone (data/, figures/): the README can be regenerated
// from a clone that has no results/.
type Data struct {
	Sources   Sources
	Stress    *Run // nil when the section has no data
	Failover  *Run
	OpenLoop  *Run
	Balancers *Sweep
	Scaling   *Sweep
	Bench     *BenchSet // nil without benchmark output
	// Part 2: a run, repeat set or sweep each; nil when the section has
	// no data (or is left out).
	Partition      *Result
	TLS            *Result
	Hysteresis     *Result
	Proxies        *Result
	Quota          *Result
	PartitionQuota *Result
	Elections      *Result
	// Figures holds the figure files present, as paths relative to the
	// output directory ("figures/stress10k/timeline.png"); the README links
	// only these.
	Figures map[string]bool
	// Warnings are what could not be read; the README lists them, with
	// paths relative to the output directory.
	Warnings []string

	out string // the output directory, cut from warnings
}

// Run is a single run or a repeat set of one experiment.
type Run struct {
	Source Source
	Set    *compare.RunSet
	Exp    *experiment.Experiment // the first run's experiment.yaml; nil if unreadable
}

// Sweep is a sweep: its summary and every variant's run set.
type Sweep struct {
	Source Source
	Sweep  *compare.Sweep
	Sets   []*compare.RunSet      // per variant, in index order; nil when unreadable
	Exp    *experiment.Experiment // the first variant's first run's experiment.yaml
}

// Load reads out/data and lists out/figures for the sections of
// src. A section without data is left nil with a warning; only an unreadable
// output directory is an error.
func Load(out string, src Sources) (*Data, error) {
	d := &Data{Sources: src, Figures: map[string]bool{}, out: out}
	dataDir := filepath.Join(out, DataDir)
	runs := []struct {
		name string
		dst  **Run
	}{{src.Stress, &d.Stress}, {src.Failover, &d.Failover}, {src.OpenLoop, &d.OpenLoop}}
	for _, r := range runs {
		if r.name == "" {
			continue
		}
		run, err := loadRun(filepath.Join(dataDir, r.name))
		if err != nil {
			d.warnf("%s: %v", r.name, err)
			continue
		}
		*r.dst = run
	}
	sweeps := []struct {
		name string
		dst  **Sweep
	}{{src.Balancers, &d.Balancers}, {src.Scaling, &d.Scaling}}
	for _, s := range sweeps {
		if s.name == "" {
			continue
		}
		sw, err := loadSweep(filepath.Join(dataDir, s.name))
		if err != nil {
			d.warnf("%s: %v", s.name, err)
			continue
		}
		*s.dst = sw
	}
	d.loadPart2(dataDir)
	d.loadBench(filepath.Join(out, src.Bench), src.Bench)
	if err := d.listFigures(out); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Data) warnf(format string, a ...any) {
	w := fmt.Sprintf(format, a...)
	if d.out != "" {
		w = strings.ReplaceAll(w, filepath.Clean(d.out)+string(filepath.Separator), "")
	}
	d.Warnings = append(d.Warnings, w)
}

func loadSource(dir string) (Source, error) {
	var s Source
	b, err := os.ReadFile(filepath.Join(dir, SourceFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, fmt.Errorf("%w: no %s in %s (run the experiment, then make report)", ErrNoRunYet, SourceFile, dir)
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s: %w", filepath.Join(dir, SourceFile), err)
	}
	return s, nil
}

func loadRun(dir string) (*Run, error) {
	src, err := loadSource(dir)
	if err != nil {
		return nil, err
	}
	set, err := compare.ReadRunSet(dir, false)
	if err != nil {
		return nil, err
	}
	r := &Run{Source: src, Set: set}
	_, r.Exp, _ = rundir.ReadExperiment(set.Runs[0].Dir)
	return r, nil
}

func loadSweep(dir string) (*Sweep, error) {
	src, err := loadSource(dir)
	if err != nil {
		return nil, err
	}
	idx, err := rundir.LoadSweepIndex(dir)
	if err != nil {
		return nil, err
	}
	sw := &Sweep{Source: src, Sets: make([]*compare.RunSet, len(idx.Variants))}
	var warns []string
	for i, v := range idx.Variants {
		set, err := compare.ReadRunSet(filepath.Join(dir, v.Path), false)
		if err != nil {
			warns = append(warns, fmt.Sprintf("variant %s: %v; left out", v.Label, err))
			continue
		}
		set.Label = v.Label
		sw.Sets[i] = set
		if sw.Exp == nil {
			_, sw.Exp, _ = rundir.ReadExperiment(set.Runs[0].Dir)
		}
	}
	sw.Sweep = compare.NewSweep(idx, sw.Sets)
	sw.Sweep.Warnings = append(warns, sw.Sweep.Warnings...)
	return sw, nil
}

func (d *Data) loadBench(path, rel string) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		d.warnf("%s is missing: the codec section is left out (make report runs the benchmarks)", rel)
		return
	}
	if err != nil {
		d.warnf("%s: %v", rel, err)
		return
	}
	defer f.Close()
	set, err := ParseBench(f, rel)
	if err != nil {
		d.warnf("%v", err)
		return
	}
	d.Bench = set
}

// listFigures records every PNG under out/figures.
func (d *Data) listFigures(out string) error {
	root := filepath.Join(out, FigureDir)
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && filepath.Ext(path) == ".png" {
			rel, err := filepath.Rel(out, path)
			if err != nil {
				return err
			}
			d.Figures[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("listing the report's figures: %w", err)
	}
	return nil
}
