package rundir

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// LatestName is the entry of an experiment's results directory that points at
// its newest complete run: a symbolic link, or on file systems without links
// a file holding the run directory's name. The harness moves it only once a
// run root is complete (every summary.json written, nothing interrupted).
const LatestName = "latest"

// NamePattern matches the run directories the harness creates.
var NamePattern = regexp.MustCompile(`^\d{8}-\d{6}`)

// Resolve turns what a user typed into a run directory: a run directory
// itself (it holds summary.json), or an experiment's results directory
// (results/NAME), meaning the run its latest entry points at or, when that
// run is not complete (killed before it wrote summary.json, or interrupted)
// or there is no latest, its newest complete run directory.
func Resolve(path string) (string, error) {
	dir, _, err := Locate(path)
	return dir, err
}

// Locate is Resolve that also explains a fallback: note is empty when path
// named the run or latest's run was taken, and otherwise says which run
// latest names, why it was passed over and which run was taken instead.
func Locate(path string) (dir, note string, err error) {
	if isRun(path) {
		return path, "", nil
	}
	if what := runSetKind(path); what != "" {
		return "", "", fmt.Errorf("%s is %s, not one run: %w", path, what, ErrNotRunDir)
	}
	if looksLikeRun(path) {
		also := ""
		if n := newest(filepath.Dir(path)); n != "" {
			also = "; the newest complete run beside it is " + n
		}
		return "", "", fmt.Errorf("%s: %w: the run did not finish (it was killed, or it is still running)%s", path, ErrNoSummary, also)
	}
	latest := filepath.Join(path, LatestName)
	target, why := latestTarget(path)
	if why == "" {
		return target, "", nil
	}
	if what := runSetKind(target); what != "" {
		return "", "", fmt.Errorf("%s names %s, which is %s, not one run: %w", latest, target, what, ErrNotRunDir)
	}
	n := newest(path)
	switch {
	case n == "" && target != "" && isRun(target):
		// Only an interrupted run: report it rather than nothing.
		return target, fmt.Sprintf("%s names %s, which %s, and no complete run exists", latest, filepath.Base(target), why), nil
	case n == "":
		return "", "", fmt.Errorf("resolving %s: no %s there and no complete run directory in it: %w", path, FileSummary, ErrNotRunDir)
	case target == "" && why == "missing":
		return n, "", nil
	}
	return n, fmt.Sprintf("%s names %s, which %s; using %s, the newest complete run", latest, orName(target), why, filepath.Base(n)), nil
}

// latestTarget is the run directory dir's latest entry names and, when it is
// not a complete run, why: "missing" (no latest), or a clause for a message.
func latestTarget(dir string) (target, why string) {
	latest := filepath.Join(dir, LatestName)
	if _, err := os.Lstat(latest); err != nil {
		return "", "missing"
	}
	if real, err := filepath.EvalSymlinks(latest); err == nil {
		target = real
		if st, err := os.Stat(real); err == nil && !st.IsDir() {
			target = "" // a file holding the run's name (file systems without links)
		}
	}
	if target == "" {
		b, err := os.ReadFile(latest)
		if err != nil {
			return "", "cannot be read"
		}
		target = strings.TrimSpace(string(b))
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
	}
	switch {
	case !isDir(target):
		return target, "does not exist"
	case !isRun(target):
		return target, "has no " + FileSummary + " (the run was killed, or it is still running)"
	case interrupted(target):
		return target, "was interrupted"
	}
	return target, ""
}

func orName(target string) string {
	if target == "" {
		return "nothing"
	}
	return filepath.Base(target)
}

func isRun(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, FileSummary))
	return err == nil && st.Mode().IsRegular()
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// repDir matches the runs of a repeat set (rep-1 … rep-n).
var repDir = regexp.MustCompile(`^rep-[1-9][0-9]*$`)

// runSetKind says what dir is when it holds several runs — "a repeat set
// (report one of its runs: DIR/rep-1 … rep-N)" or "a sweep (…)" — and ""
// otherwise.
func runSetKind(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, SweepIndexFile)); err == nil {
		return "a sweep (its report is " + filepath.Join(dir, "sweep.md") + "; report one of its variants' runs)"
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() && repDir.MatchString(e.Name()) {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("a repeat set (report one of its runs: %s … rep-%d)", filepath.Join(dir, "rep-1"), n)
}

// looksLikeRun: dir is a run directory the harness made (it wrote run.json
// or experiment.yaml first), whatever became of it.
func looksLikeRun(dir string) bool {
	for _, f := range []string{FileRunInfo, FileExperiment} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// interrupted reports whether the run in dir says it was interrupted.
func interrupted(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, FileSummary))
	if err != nil {
		return false
	}
	var s struct {
		Interrupted *Interruption `json:"interrupted"`
	}
	return json.Unmarshal(b, &s) == nil && s.Interrupted != nil
}

// newest is the complete run directory of dir with the greatest name (names
// are timestamps), or "": it holds summary.json and was not interrupted.
func newest(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() && NamePattern.MatchString(e.Name()) && isRun(p) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for i := len(names) - 1; i >= 0; i-- {
		if p := filepath.Join(dir, names[i]); !interrupted(p) {
			return p
		}
	}
	return ""
}
