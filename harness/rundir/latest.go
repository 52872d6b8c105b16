package rundir

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// LatestName is the entry of an experiment's results directory that points at
// its newest run: a symbolic link, or on file systems without links a file
// holding the run directory's name.
const LatestName = "latest"

// NamePattern matches the run directories the harness creates.
var NamePattern = regexp.MustCompile(`^\d{8}-\d{6}`)

// Resolve turns what a user typed into a run directory: a run directory
// itself (it holds summary.json), or an experiment's results directory
// (results/NAME), meaning the run its latest entry points at or, without one,
// its newest run directory.
func Resolve(path string) (string, error) {
	if isRun(path) {
		return path, nil
	}
	latest := filepath.Join(path, LatestName)
	if isRun(latest) {
		// Name the run itself, not the link, so that messages say which run.
		if real, err := filepath.EvalSymlinks(latest); err == nil {
			return real, nil
		}
		return latest, nil
	}
	if b, err := os.ReadFile(latest); err == nil {
		target := strings.TrimSpace(string(b))
		if !filepath.IsAbs(target) {
			target = filepath.Join(path, target)
		}
		if isRun(target) {
			return target, nil
		}
		return "", fmt.Errorf("resolving %s: %s names %q, %w", path, latest, target, ErrNotRunDir)
	}
	if newest := newest(path); newest != "" {
		return newest, nil
	}
	return "", fmt.Errorf("resolving %s: no %s there, no %s and no run directory in it: %w", path, FileSummary, LatestName, ErrNotRunDir)
}

func isRun(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, FileSummary))
	return err == nil && st.Mode().IsRegular()
}

// newest is the run directory of dir with the greatest name (names are
// timestamps), or "".
func newest(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && NamePattern.MatchString(e.Name()) && isRun(filepath.Join(dir, e.Name())) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return ""
	}
	return filepath.Join(dir, slices.Max(names))
}
