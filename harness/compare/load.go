package compare

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"stegocloud/harness/rundir"
)

// RunSet is the runs of one configuration: a single run, or the reps of a
// repeat set. Its runs are the sample that compare and sweep summarise.
type RunSet struct {
	Dir   string      // the directory read, after following a latest link
	Label string      // short name for tables and legends
	Runs  []LoadedRun // in rep order
	// Note says why Dir is not the run set latest names (it was not
	// complete), or "".
	Note string
}

// LoadedRun is one run of a set as read from its directory.
type LoadedRun struct {
	Dir     string
	Summary rundir.Summary
	Info    *rundir.Info // nil when the run has no run.json
}

// Repeated reports whether the set holds more than one run.
func (s *RunSet) Repeated() bool { return len(s.Runs) > 1 }

// Interrupted reports whether a run of the set was cut short.
func (s *RunSet) Interrupted() bool {
	return slices.ContainsFunc(s.Runs, func(r LoadedRun) bool { return r.Summary.Interrupted != nil })
}

// repDirRE matches rep directories as the harness names them, rep-1 …
// rep-n: canonical numbers only, so that each number names one directory.
var repDirRE = regexp.MustCompile(`^rep-([1-9][0-9]*)$`)

// timestampRE matches run directory names (YYYYMMDD-HHMMSS) and rep
// directories, which say little alone and are labelled with their parent.
var timestampRE = regexp.MustCompile(`^([0-9]{8}-[0-9]{6}|rep-[0-9]+)$`)

// LoadRunSet reads the run set in dir: a run directory (summary.json), a repeat
// set (rep-1/ … rep-n/, each a run directory), or an experiment directory
// results/NAME, which stands for its latest run set.
func LoadRunSet(dir string) (*RunSet, error) {
	set, err := ReadRunSet(dir, true)
	if err != nil {
		return nil, fmt.Errorf("loading run set %s: %w", dir, err)
	}
	return set, nil
}

// Layout is what a directory holds that tells run sets apart.
type Layout struct {
	Summary, Latest, Sweep bool
	Reps                   []int // rep numbers, sorted
}

func Inspect(dir string) (Layout, error) {
	var l Layout
	entries, err := os.ReadDir(dir)
	if err != nil {
		return l, err
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "summary.json":
			l.Summary = true
		case name == "latest":
			l.Latest = true
		case name == "sweep.json":
			l.Sweep = true
		case repDirRE.MatchString(name):
			n, err := strconv.Atoi(repDirRE.FindStringSubmatch(name)[1])
			if err == nil && isDir(filepath.Join(dir, name)) {
				l.Reps = append(l.Reps, n)
			}
		}
	}
	slices.Sort(l.Reps)
	return l, nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func ReadRunSet(dir string, mayFollowLatest bool) (*RunSet, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%w: it is a file; want a run directory, a repeat set or results/NAME", ErrNotRunSet)
	}
	l, err := Inspect(dir)
	if err != nil {
		return nil, err
	}
	switch {
	case l.Summary && len(l.Reps) > 0:
		return nil, fmt.Errorf("%w: summary.json next to rep-%d/: a run directory or a repeat set, not both", ErrMixedRunSet, l.Reps[0])
	case l.Summary:
		run, err := loadRun(dir)
		if err != nil {
			return nil, err
		}
		return &RunSet{Dir: dir, Label: runSetLabel(dir), Runs: []LoadedRun{run}}, nil
	case len(l.Reps) > 0:
		return loadRepeatSet(dir, l.Reps)
	case l.Latest && mayFollowLatest:
		return followLatest(dir)
	case l.Sweep:
		return nil, fmt.Errorf("%w: it is a sweep (sweep.json); compare its variant directories, or read its sweep.md", ErrNotRunSet)
	}
	return nil, fmt.Errorf("%w: no summary.json, rep-*/summary.json or latest in it", ErrNotRunSet)
}

// followLatest reads the run set dir's latest entry names or, when that set is
// not complete (a run killed before its summary.json, or interrupted), the
// newest complete one, with a Note saying so.
func followLatest(dir string) (*RunSet, error) {
	latest := filepath.Join(dir, rundir.LatestName)
	target := latest
	if real, err := filepath.EvalSymlinks(latest); err == nil {
		target = real
	}
	set, err := ReadRunSet(target, false)
	var why string
	switch {
	case err != nil && errors.Is(err, ErrNotRunSet):
		why = "has no summary.json (the run was killed, or it is still running)"
	case err != nil:
		why = "cannot be read (" + err.Error() + ")"
	case set.Interrupted():
		why = "was interrupted"
	default:
		return set, nil
	}
	if fb := newestComplete(dir); fb != nil {
		fb.Note = fmt.Sprintf("%s names %s, which %s; compared %s, the newest complete run set, instead",
			latest, filepath.Base(target), why, filepath.Base(fb.Dir))
		return fb, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s names %s, which %s, and no other run set in %s is complete: %w", latest, filepath.Base(target), why, dir, err)
	}
	set.Note = fmt.Sprintf("%s names %s, which was interrupted, and no complete run set exists", latest, filepath.Base(target))
	return set, nil
}

// newestComplete is the run set of dir's timestamped directories with the
// greatest name that reads whole and was not interrupted, or nil.
func newestComplete(dir string) *RunSet {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	for i := len(entries) - 1; i >= 0; i-- { // ReadDir sorts by name
		e := entries[i]
		if !e.IsDir() || !rundir.NamePattern.MatchString(e.Name()) {
			continue
		}
		if set, err := ReadRunSet(filepath.Join(dir, e.Name()), false); err == nil && !set.Interrupted() {
			return set
		}
	}
	return nil
}

func loadRepeatSet(dir string, reps []int) (*RunSet, error) {
	set := &RunSet{Dir: dir, Label: runSetLabel(dir)}
	for i, n := range reps {
		if n != i+1 {
			return nil, fmt.Errorf("%w: reps numbered %v, want rep-1 … rep-%d without gaps", ErrMixedRunSet, reps, len(reps))
		}
		repDir := filepath.Join(dir, "rep-"+strconv.Itoa(n))
		run, err := loadRun(repDir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: rep-%d has no summary.json (an unfinished run?)", ErrMixedRunSet, n)
		}
		if err != nil {
			return nil, err
		}
		first := set.Runs
		if len(first) > 0 && (run.Summary.Experiment != first[0].Summary.Experiment || run.Summary.Mode != first[0].Summary.Mode) {
			return nil, fmt.Errorf("%w: rep-%d is experiment %q (%s loop), rep-1 is %q (%s loop)", ErrMixedRunSet,
				n, run.Summary.Experiment, run.Summary.Mode, first[0].Summary.Experiment, first[0].Summary.Mode)
		}
		set.Runs = append(set.Runs, run)
	}
	return set, nil
}

// loadRun reads one run directory: summary.json (required) and run.json
// (optional: a report without provenance is still worth comparing).
func loadRun(dir string) (LoadedRun, error) {
	run := LoadedRun{Dir: dir}
	sum, err := readSummaryFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return run, err
	}
	run.Summary = sum
	data, err := os.ReadFile(filepath.Join(dir, "run.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return run, nil
	case err != nil:
		return run, err
	}
	var info rundir.Info
	if err := json.Unmarshal(data, &info); err != nil {
		return run, fmt.Errorf("%w: %s: %v", ErrRunSetFile, filepath.Join(dir, "run.json"), err)
	}
	run.Info = &info
	return run, nil
}

func readSummaryFile(path string) (rundir.Summary, error) {
	var s rundir.Summary
	data, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("%w: %s: %v", ErrRunSetFile, path, err)
	}
	if err := checkSummary(&s); err != nil {
		return s, fmt.Errorf("%w: %s: %v", ErrRunSetFile, path, err)
	}
	return s, nil
}

// checkSummary rejects a summary.json that parses but cannot be a run's,
// such as "{}", so that it is not compared as a run that measured zeros.
func checkSummary(s *rundir.Summary) error {
	c := s.Requests
	switch {
	case s.Experiment == "":
		return errors.New("no experiment name")
	case c.Total < 0 || c.OK < 0 || c.Failed < 0 || c.TimedOut < 0 || c.Lost < 0:
		return fmt.Errorf("negative request counts %+v", c)
	case s.SuccessRate < 0 || s.SuccessRate > 1:
		return fmt.Errorf("success rate %g outside 0..1", s.SuccessRate)
	}
	return nil
}

// runSetLabel names a set by its directory, prefixing names that say
// little alone: "stress10k/20260101-120000", "20260101-120000/rep-2",
// but "balancer=random" for a sweep variant.
func runSetLabel(dir string) string {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	dir = filepath.Clean(dir)
	base := filepath.Base(dir)
	if timestampRE.MatchString(base) {
		if parent := filepath.Base(filepath.Dir(dir)); parent != "." && parent != string(filepath.Separator) {
			return parent + "/" + base
		}
	}
	return base
}
