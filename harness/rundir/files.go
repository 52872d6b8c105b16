package rundir

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Files of a run directory that only the run writes; see doc.go for the
// layout of repeats and sweeps.
const (
	FileLatencyHgrm   = "latency.hgrm"
	FileResultsGob    = "results.gob"
	FileRequestsCSV   = "requests.csv"
	DirNodes          = "nodes"
	FileHarnessEvents = "harness.events.jsonl"
	timestampLayout   = "20060102-150405"
)

// Files of a run whose workload.mix has table operations.
const (
	// FileHistory is every table operation the load made (package
	// harness/history's format), what linearizable and quota_safety judge.
	FileHistory = "history.jsonl"
	// FileLinearizableHTML is porcupine's visualization of the partition
	// that linearizable found not linearizable; written only then.
	FileLinearizableHTML = "linearizable.html"
)

// NewRoot creates results/NAME/YYYYMMDD-HHMMSS (with a -2, -3… suffix if
// two runs start in the same second) and returns its path.
func NewRoot(results, name string, now time.Time) (string, error) {
	base := filepath.Join(results, name, now.Format(timestampLayout))
	dir := base
	for i := 2; ; i++ {
		err := os.MkdirAll(filepath.Dir(dir), 0o755)
		if err == nil {
			err = os.Mkdir(dir, 0o755)
		}
		if err == nil {
			return dir, nil
		}
		if !os.IsExist(err) || i > 100 {
			return "", fmt.Errorf("creating the run directory: %w", err)
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// PointLatest makes results/NAME/latest a relative symlink to the run root.
func PointLatest(root string) error {
	link := filepath.Join(filepath.Dir(root), LatestName)
	tmp := link + ".tmp"
	os.Remove(tmp)
	if err := os.Symlink(filepath.Base(root), tmp); err != nil {
		return fmt.Errorf("pointing %s at the run: %w", link, err)
	}
	if err := os.Rename(tmp, link); err != nil {
		return fmt.Errorf("pointing %s at the run: %w", link, err)
	}
	return nil
}

// WriteJSON writes v as indented JSON without HTML escaping (check
// details contain < and >).
func WriteJSON(path string, v any) error {
	return WriteFile(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// NewInfo describes the machine and the code a run uses.
func NewInfo(name, run string, command []string, seed int64, repeat int) Info {
	host, _ := os.Hostname()
	return Info{
		Experiment: name, Run: run, Commit: gitDescribe(), GoVersion: runtime.Version(),
		OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), CPUModel: cpuModel(),
		Host: host, Command: command, Seed: seed, Repeat: repeat,
	}
}

// gitDescribe names the commit of the working directory, "+dirty" when its
// tracked files differ from it; "unknown" outside a git checkout. Changes
// under reports/ and results/ do not count: they are what runs write (make
// report writes the benchmarks into reports/ before it runs the experiments),
// not the code that ran. The Makefile's report target applies the same rule
// to the benchmarks' header; change both together.
func gitDescribe() string {
	out, err := exec.Command("git", "describe", "--always", "--abbrev=12").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	changed, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no", "--",
		":(top)", ":(top,exclude)reports", ":(top,exclude)results").Output()
	if err != nil || len(changed) > 0 {
		return commit + "+dirty"
	}
	return commit
}

// cpuModel reads the CPU's model name from /proc/cpuinfo (Linux).
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// WriteFile creates path and fills it with write.
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
