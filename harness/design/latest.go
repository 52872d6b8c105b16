package design

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/rundir"
)

// SourceKind is the shape of an experiment's run root.
type SourceKind string

const (
	SourceRun    SourceKind = "run"    // one run directory
	SourceRepeat SourceKind = "repeat" // rep-1/ … rep-n/
	SourceSweep  SourceKind = "sweep"  // sweep.json and a directory per variant
)

// runRoot is an experiment's newest complete run root.
type runRoot struct {
	Dir  string
	Kind SourceKind
}

// latestRoot finds the run root results/NAME/latest points at (else
// the newest timestamped one) and checks it is complete: a run directory
// with summary.json, a repeat set whose every rep has one, or a sweep whose
// sweep.json was written (the last thing a sweep writes) and whose every
// variant loads. An interrupted run is not complete; the error says why.
func latestRoot(expDir string) (runRoot, error) {
	dir, err := latestDir(expDir)
	if err != nil {
		return runRoot{}, err
	}
	l, err := compare.Inspect(dir)
	if err != nil {
		return runRoot{}, fmt.Errorf("reading %s: %w", dir, err)
	}
	switch {
	case l.Sweep:
		sw, err := compare.LoadSweep(dir)
		if err != nil {
			return runRoot{}, err
		}
		for _, row := range sw.Rows {
			if row.N != row.Variant.Repeat {
				return runRoot{}, fmt.Errorf("%w: %s: variant %s holds %d of its %d runs", ErrIncompleteRun, dir, row.Variant.Label, row.N, row.Variant.Repeat)
			}
		}
		return runRoot{Dir: dir, Kind: SourceSweep}, nil
	case l.Summary || len(l.Reps) > 0:
		set, err := compare.ReadRunSet(dir, false)
		if err != nil {
			return runRoot{}, fmt.Errorf("%w: %s: %v", ErrIncompleteRun, dir, err)
		}
		if set.Interrupted() {
			return runRoot{}, fmt.Errorf("%w: %s was interrupted (its summary.json says so)", ErrIncompleteRun, dir)
		}
		if set.Repeated() || len(l.Reps) > 0 {
			return runRoot{Dir: dir, Kind: SourceRepeat}, nil
		}
		return runRoot{Dir: dir, Kind: SourceRun}, nil
	}
	return runRoot{}, fmt.Errorf("%w: %s holds no summary.json, rep-*/ or sweep.json (an interrupted run?)", ErrIncompleteRun, dir)
}

// latestDir is the run root latest names, or the newest timestamped
// directory of expDir.
func latestDir(expDir string) (string, error) {
	latest := filepath.Join(expDir, rundir.LatestName)
	if real, err := filepath.EvalSymlinks(latest); err == nil {
		if isDir(real) {
			return real, nil
		}
		// A file holding the run's name (file systems without links).
		if b, err := os.ReadFile(real); err == nil {
			target := strings.TrimSpace(string(b))
			if !filepath.IsAbs(target) {
				target = filepath.Join(expDir, target)
			}
			if isDir(target) {
				return target, nil
			}
		}
	}
	entries, err := os.ReadDir(expDir)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%w: %s does not exist", ErrNoRunYet, expDir)
	}
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && rundir.NamePattern.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return "", fmt.Errorf("%w: %s holds no run directory", ErrNoRunYet, expDir)
	}
	return filepath.Join(expDir, slices.Max(names)), nil
}

// Pending lists the experiments of src that have no complete latest
// run under results, each with the reason: these are what `make report`
// runs before it regenerates the README.
func Pending(results string, src Sources) (names, reasons []string) {
	for _, name := range src.Experiments() {
		if _, err := latestRoot(filepath.Join(results, name)); err != nil {
			names = append(names, name)
			reasons = append(reasons, err.Error())
		}
	}
	return names, reasons
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
