package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// DesignDataDir and DesignFigureDir are where CollectDesignData copies, inside
// the output directory: data/<experiment>/… and figures/<experiment>/<name>.png.
const (
	DesignDataDir    = "data"
	DesignFigureDir  = "figures"
	DesignSourceFile = "source.json"
)

// designRunFiles are the small files of a run directory the report keeps:
// enough to trace every number to its run and to recompute it.
var designRunFiles = []string{FileSummary, FileRunInfo, FileExperiment, FileSchedule}

// designRunFigures are the run figures the report may show.
var designRunFigures = []string{"latency_spectrum", "timeline", "nodes", "load"}

// designSweepFigures are the sweep figures (figures/sweep-KEY.png) the
// report may show, by headline metric key.
var designSweepFigures = []string{"throughput", "p99", "spread_cv", "failover_p50", "messages_per_request", "lost"}

// DesignSource is data/<experiment>/source.json: where the copied files came
// from.
type DesignSource struct {
	Experiment string           `json:"experiment"`
	Kind       DesignSourceKind `json:"kind"`
	Root       string           `json:"root"` // the run root the files were copied from
	Run        string           `json:"run"`  // its name, YYYYMMDD-HHMMSS
}

// CollectResult says what CollectDesignData did for one experiment.
type CollectResult struct {
	Experiment string
	Copied     bool   // fresh files were copied from results
	Kept       bool   // no complete run in results; the data already in the output stays
	Reason     string // why nothing was copied
	Source     DesignSource
}

// CollectDesignData copies, for every experiment of src, the small files of
// its latest complete run under results into out/data/<experiment>/ (the
// run root's layout: rep-N/ and variant directories kept) and its figures
// into out/figures/<experiment>/. An experiment's previous data
// and figures are replaced whole, never mixed with a newer run's. An
// experiment with no complete run keeps what out already holds, so a clone
// without results/ still regenerates the README from the committed data.
func CollectDesignData(results, out string, src DesignSources) ([]CollectResult, error) {
	var all []CollectResult
	for _, name := range src.Experiments() {
		r := CollectResult{Experiment: name}
		root, err := designLatestRoot(filepath.Join(results, name))
		if err != nil {
			r.Reason = err.Error()
			_, statErr := os.Stat(filepath.Join(out, DesignDataDir, name, DesignSourceFile))
			r.Kept = statErr == nil
			all = append(all, r)
			continue
		}
		r.Source = DesignSource{Experiment: name, Kind: root.Kind, Root: filepath.ToSlash(root.Dir), Run: filepath.Base(root.Dir)}
		if err := designCopyExperiment(root, r.Source, filepath.Join(out, DesignDataDir, name)); err != nil {
			return all, fmt.Errorf("collecting %s: %w", name, err)
		}
		if err := designCopyFigures(root, name, filepath.Join(out, DesignFigureDir)); err != nil {
			return all, fmt.Errorf("collecting the figures of %s: %w", name, err)
		}
		r.Copied = true
		all = append(all, r)
	}
	return all, nil
}

// designCopyExperiment copies root's small files into a fresh directory
// beside dst and swaps it in, so that dst is never half old, half new.
func designCopyExperiment(root designRoot, src DesignSource, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "."+filepath.Base(dst)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	runDirs, err := designRunDirs(root)
	if err != nil {
		return err
	}
	for _, rel := range runDirs {
		if err := designCopyRunFiles(filepath.Join(root.Dir, rel), filepath.Join(tmp, rel)); err != nil {
			return err
		}
	}
	if root.Kind == SourceSweep {
		if err := designCopyFile(filepath.Join(root.Dir, SweepIndexFile), filepath.Join(tmp, SweepIndexFile)); err != nil {
			return err
		}
		// sweep.md is written after sweep.json and only summarises it.
		err := designCopyFile(filepath.Join(root.Dir, SweepMarkdownFile), filepath.Join(tmp, SweepMarkdownFile))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	b, err := json.MarshalIndent(src, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, DesignSourceFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// designRunDirs lists root's run directories relative to it: "." for a
// single run, rep-N for a repeat set, and every variant's for a sweep.
func designRunDirs(root designRoot) ([]string, error) {
	var sets []string
	switch root.Kind {
	case SourceSweep:
		idx, err := LoadSweepIndex(root.Dir)
		if err != nil {
			return nil, err
		}
		for _, v := range idx.Variants {
			sets = append(sets, v.Path)
		}
	default:
		sets = []string{"."}
	}
	var out []string
	for _, set := range sets {
		l, err := cmpInspectRunSet(filepath.Join(root.Dir, set))
		if err != nil {
			return nil, err
		}
		if len(l.reps) == 0 {
			out = append(out, set)
			continue
		}
		for _, n := range l.reps {
			out = append(out, filepath.Join(set, fmt.Sprintf("rep-%d", n)))
		}
	}
	return out, nil
}

// designCopyRunFiles copies the run's small files; only summary.json must exist.
func designCopyRunFiles(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, f := range designRunFiles {
		err := designCopyFile(filepath.Join(from, f), filepath.Join(to, f))
		if errors.Is(err, os.ErrNotExist) && f != FileSummary {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// designCopyFigures replaces out/figures/<name>/ with the run root's
// figures: a single run's (rep-1's for a repeat set) or the sweep's.
func designCopyFigures(root designRoot, name, figDir string) error {
	dst := filepath.Join(figDir, name)
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	var pairs [][2]string // from, to
	switch root.Kind {
	case SourceSweep:
		for _, key := range designSweepFigures {
			f := "sweep-" + key + ".png"
			pairs = append(pairs, [2]string{filepath.Join(root.Dir, SweepFigureDir, f), f})
		}
	default:
		dir := root.Dir
		if root.Kind == SourceRepeat {
			dir = filepath.Join(dir, "rep-1")
		}
		for _, f := range designRunFigures {
			pairs = append(pairs, [2]string{filepath.Join(dir, DirFigures, f+".png"), f + ".png"})
		}
	}
	for _, p := range pairs {
		err := designCopyFile(p[0], filepath.Join(dst, p[1]))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func designCopyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s: %w", from, err)
	}
	return out.Close()
}
