package harness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stegocloud/harness/rundir"

	"stegocloud/harness/compare"
)

// DesignSourceKind is the shape of an experiment's run root.
type DesignSourceKind string

const (
	SourceRun    DesignSourceKind = "run"    // one run directory
	SourceRepeat DesignSourceKind = "repeat" // rep-1/ … rep-n/
	SourceSweep  DesignSourceKind = "sweep"  // sweep.json and a directory per variant
)

// designRoot is an experiment's newest complete run root.
type designRoot struct {
	Dir  string
	Kind DesignSourceKind
}

// designLatestRoot finds the run root results/NAME/latest points at (else
// the newest timestamped one) and checks it is complete: a run directory
// with summary.json, a repeat set whose every rep has one, or a sweep whose
// sweep.json was written (the last thing a sweep writes) and whose every
// variant loads. An interrupted run is not complete; the error says why.
func designLatestRoot(expDir string) (designRoot, error) {
	dir, err := designLatestDir(expDir)
	if err != nil {
		return designRoot{}, err
	}
	l, err := compare.Inspect(dir)
	if err != nil {
		return designRoot{}, fmt.Errorf("reading %s: %w", dir, err)
	}
	switch {
	case l.Sweep:
		sw, err := compare.LoadSweep(dir)
		if err != nil {
			return designRoot{}, err
		}
		for _, row := range sw.Rows {
			if row.N != row.Variant.Repeat {
				return designRoot{}, fmt.Errorf("%w: %s: variant %s holds %d of its %d runs", ErrIncompleteRun, dir, row.Variant.Label, row.N, row.Variant.Repeat)
			}
		}
		return designRoot{Dir: dir, Kind: SourceSweep}, nil
	case l.Summary || len(l.Reps) > 0:
		set, err := compare.ReadRunSet(dir, false)
		if err != nil {
			return designRoot{}, fmt.Errorf("%w: %s: %v", ErrIncompleteRun, dir, err)
		}
		if set.Repeated() || len(l.Reps) > 0 {
			return designRoot{Dir: dir, Kind: SourceRepeat}, nil
		}
		return designRoot{Dir: dir, Kind: SourceRun}, nil
	}
	return designRoot{}, fmt.Errorf("%w: %s holds no summary.json, rep-*/ or sweep.json (an interrupted run?)", ErrIncompleteRun, dir)
}

// designLatestDir is the run root latest names, or the newest timestamped
// directory of expDir.
func designLatestDir(expDir string) (string, error) {
	latest := filepath.Join(expDir, rundir.LatestName)
	if real, err := filepath.EvalSymlinks(latest); err == nil {
		if designIsDir(real) {
			return real, nil
		}
		// A file holding the run's name (file systems without links).
		if b, err := os.ReadFile(real); err == nil {
			target := strings.TrimSpace(string(b))
			if !filepath.IsAbs(target) {
				target = filepath.Join(expDir, target)
			}
			if designIsDir(target) {
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

// DesignPending lists the experiments of src that have no complete latest
// run under results, each with the reason: these are what `make report`
// runs before it regenerates the README.
func DesignPending(results string, src DesignSources) (names, reasons []string) {
	for _, name := range src.Experiments() {
		if _, err := designLatestRoot(filepath.Join(results, name)); err != nil {
			names = append(names, name)
			reasons = append(reasons, err.Error())
		}
	}
	return names, reasons
}

func designIsDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
