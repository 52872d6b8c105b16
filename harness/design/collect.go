package design

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"stegocloud/harness/compare"
	"stegocloud/harness/rundir"
)

// DataDir and FigureDir are where Collect copies, inside
// the output directory: data/<experiment>/… and figures/<experiment>/<name>.png.
const (
	DataDir    = "data"
	FigureDir  = "figures"
	SourceFile = "source.json"
)

// runFiles are the small files of a run directory the report keeps:
// enough to trace every number to its run and to recompute it.
var runFiles = []string{rundir.FileSummary, rundir.FileRunInfo, rundir.FileExperiment, rundir.FileSchedule}

// sectionFigures are the run figures each section of the README shows;
// only those are copied. A sweep's section draws its own summary figure from
// the data instead of copying the sweep's per-metric ones.
var sectionFigures = map[string][]string{
	"stress":          {"latency_spectrum", "nodes", "timeline", "load"},
	"failover":        {"latency_spectrum", "timeline", "load"},
	"openloop":        {"latency_spectrum"},
	"partition":       {"timeline"},
	"quota":           {"timeline"},
	"partition_quota": {"timeline"},
	"elections":       {"timeline"},
}

// figuresFor lists the run figures the README shows of experiment name, over
// every section that reads it.
func (s Sources) figuresFor(name string) []string {
	var out []string
	for _, sec := range s.fields() {
		if sec.name != name {
			continue
		}
		for _, f := range sectionFigures[sec.key] {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// Source is data/<experiment>/source.json: where the copied files came
// from.
type Source struct {
	Experiment string     `json:"experiment"`
	Kind       SourceKind `json:"kind"`
	Root       string     `json:"root"` // the run root the files were copied from
	Run        string     `json:"run"`  // its name, YYYYMMDD-HHMMSS
}

// CollectResult says what Collect did for one experiment.
type CollectResult struct {
	Experiment string
	Copied     bool   // fresh files were copied from results
	Kept       bool   // no complete run in results; the data already in the output stays
	Reason     string // why nothing was copied
	Source     Source
}

// Collect copies, for every experiment of src, the small files of
// its latest complete run under results into out/data/<experiment>/ (the
// run root's layout: rep-N/ and variant directories kept) and its figures
// into out/figures/<experiment>/. An experiment's previous data
// and figures are replaced whole, never mixed with a newer run's. An
// experiment with no complete run keeps what out already holds, so a clone
// without results/ still regenerates the README from the committed data.
func Collect(results, out string, src Sources) ([]CollectResult, error) {
	var all []CollectResult
	for _, name := range src.Experiments() {
		r := CollectResult{Experiment: name}
		root, err := latestRoot(filepath.Join(results, name))
		if err != nil {
			r.Reason = err.Error()
			_, statErr := os.Stat(filepath.Join(out, DataDir, name, SourceFile))
			r.Kept = statErr == nil
			all = append(all, r)
			continue
		}
		r.Source = Source{Experiment: name, Kind: root.Kind, Root: filepath.ToSlash(root.Dir), Run: filepath.Base(root.Dir)}
		if err := copyExperiment(root, r.Source, filepath.Join(out, DataDir, name)); err != nil {
			return all, fmt.Errorf("collecting %s: %w", name, err)
		}
		if err := copyFigures(root, name, src.figuresFor(name), filepath.Join(out, FigureDir)); err != nil {
			return all, fmt.Errorf("collecting the figures of %s: %w", name, err)
		}
		r.Copied = true
		all = append(all, r)
	}
	return all, nil
}

// copyExperiment copies root's small files into a fresh directory
// beside dst and swaps it in, so that dst is never half old, half new.
func copyExperiment(root runRoot, src Source, dst string) error {
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
	runDirs, err := runDirs(root)
	if err != nil {
		return err
	}
	for _, rel := range runDirs {
		if err := copyRunFiles(filepath.Join(root.Dir, rel), filepath.Join(tmp, rel)); err != nil {
			return err
		}
	}
	if root.Kind == SourceSweep {
		if err := copyFile(filepath.Join(root.Dir, rundir.SweepIndexFile), filepath.Join(tmp, rundir.SweepIndexFile)); err != nil {
			return err
		}
		// sweep.md is written after sweep.json and only summarises it.
		err := copyFile(filepath.Join(root.Dir, compare.SweepMarkdownFile), filepath.Join(tmp, compare.SweepMarkdownFile))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	b, err := json.MarshalIndent(src, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, SourceFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// runDirs lists root's run directories relative to it: "." for a
// single run, rep-N for a repeat set, and every variant's for a sweep.
func runDirs(root runRoot) ([]string, error) {
	var sets []string
	switch root.Kind {
	case SourceSweep:
		idx, err := rundir.LoadSweepIndex(root.Dir)
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
		l, err := compare.Inspect(filepath.Join(root.Dir, set))
		if err != nil {
			return nil, err
		}
		if len(l.Reps) == 0 {
			out = append(out, set)
			continue
		}
		for _, n := range l.Reps {
			out = append(out, filepath.Join(set, fmt.Sprintf("rep-%d", n)))
		}
	}
	return out, nil
}

// copyRunFiles copies the run's small files; only summary.json must exist.
func copyRunFiles(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, f := range runFiles {
		err := copyFile(filepath.Join(from, f), filepath.Join(to, f))
		if errors.Is(err, os.ErrNotExist) && f != rundir.FileSummary {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// copyFigures replaces out/figures/<name>/ with the run root's figures
// the README shows: a single run's, or rep-1's of a repeat set; of a sweep,
// each variant's so, into figures/<name>/<variant>/.
func copyFigures(root runRoot, name string, figs []string, figDir string) error {
	dst := filepath.Join(figDir, name)
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	if root.Kind != SourceSweep {
		return copyRunFigures(root.Dir, figs, dst)
	}
	if len(figs) == 0 {
		return nil
	}
	idx, err := rundir.LoadSweepIndex(root.Dir)
	if err != nil {
		return err
	}
	for _, v := range idx.Variants {
		to := filepath.Join(dst, v.Path)
		if err := os.MkdirAll(to, 0o755); err != nil {
			return err
		}
		if err := copyRunFigures(filepath.Join(root.Dir, v.Path), figs, to); err != nil {
			return err
		}
	}
	return nil
}

// copyRunFigures copies figs of the run directory dir (of its rep-1 if it
// is a repeat set) into dst; a figure the run did not draw is skipped.
func copyRunFigures(dir string, figs []string, dst string) error {
	if _, err := os.Stat(filepath.Join(dir, "rep-1")); err == nil {
		dir = filepath.Join(dir, "rep-1")
	}
	for _, f := range figs {
		err := copyFile(filepath.Join(dir, rundir.DirFigures, f+".png"), filepath.Join(dst, f+".png"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
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
