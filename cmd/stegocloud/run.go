package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"stegocloud/harness"
	"stegocloud/harness/experiment"
	"stegocloud/harness/rundir"
)

const runDescription = `
Run an experiment: start the node cluster on 127.0.0.1, inject the seeded fault
schedule, drive the load with vegeta, check every response, and write
results/NAME/YYYYMMDD-HHMMSS/ with the data files, figures and report.md;
results/NAME/latest points at it once every run in it is complete.

EXPERIMENT is a path to a YAML file, or a bare name meaning experiments/NAME.yaml.
The exit code is 0 when every run passed its checks and thresholds, 1 when a
check failed, the run was interrupted or could not be done, 2 on a usage error.

Ctrl-C (or SIGTERM) stops the load at once, leaves a node that a fault holds
down as it is, stops the nodes and still writes the run's files: report.md and
summary.json say the run was interrupted, requests that were due but never
sent are counted as unsent, and latest keeps naming the last complete run.

With repeat: n the run directory holds rep-1/ … rep-n/; with matrix: one
directory per variant plus sweep.json, sweep.md and sweep figures.`

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "run [flags] EXPERIMENT", runDescription+"\n\nThe experiment file:\n\n"+experiment.HelpText(), stderr)
	results := fs.String("results", "results", "results root `directory`")
	progress := fs.String("progress", "auto", "live progress: auto (a bar on a terminal, plain lines otherwise), bar, lines or none")
	noFigures := fs.Bool("no-figures", false, "skip the figures (report.md is still written)")
	quiet := fs.Bool("quiet", false, "print only the final verdict lines")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("run: want one experiment (a YAML file, or a name in experiments/), got none (see 'stegocloud run --help')")
	}
	if err := checkArgs(fs, 1); err != nil {
		return err
	}
	opts := harness.RunOptions{Results: *results, NoFigures: *noFigures, Command: append([]string{"stegocloud", "run"}, args...)}
	switch *progress {
	case "auto":
		opts.Progress, opts.ProgressMode = stderr, harness.ProgressAuto
	case "bar":
		opts.Progress, opts.ProgressMode = stderr, harness.ProgressBar
	case "lines":
		opts.Progress, opts.ProgressMode = stderr, harness.ProgressLines
	case "none":
	default:
		return usageErrorf("run: --progress must be auto, bar, lines or none, got %q", *progress)
	}
	if !*quiet {
		opts.Log = stderr
	} else {
		opts.Progress = nil
	}
	path, err := experimentPath(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	out, err := harness.RunExperiment(ctx, path, opts)
	if out != nil {
		for _, r := range out.Runs {
			verdict := "PASS"
			if !r.Summary.Verdict.Pass {
				verdict = "FAIL"
			}
			fmt.Fprintf(stdout, "%s  %s  %s\n", verdict, r.Dir, r.Summary.Headline())
		}
		if out.Root != "" {
			fmt.Fprintf(stdout, "report: %s\n", reportPath(out))
		}
	}
	if errors.Is(err, harness.ErrVerdict) {
		return fmt.Errorf("run: %w (see the report's verdict section)", err)
	}
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

// experimentPath maps a bare name to experiments/NAME.yaml (or to a file of
// that name, if there is one). When neither exists the error names both,
// what a bare name means, and the experiments there are.
func experimentPath(arg string) (string, error) {
	if strings.ContainsAny(arg, "/\\") || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		return arg, nil
	}
	p := filepath.Join("experiments", arg+".yaml")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	if st, err := os.Stat(arg); err == nil && !st.IsDir() {
		return arg, nil
	}
	msg := fmt.Sprintf("no experiment %q: tried %s (a bare name means experiments/NAME.yaml) and the file %s; neither exists", arg, p, arg)
	if names := experimentNames("experiments"); len(names) > 0 {
		msg += "; experiments/ holds " + strings.Join(names, ", ")
	} else {
		msg += "; there is no experiments/ directory here: run from the repository's root, or give the file's path"
	}
	return "", errors.New(msg)
}

// experimentNames lists the experiments of dir (NAME of each NAME.yaml).
func experimentNames(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	return names
}

func reportPath(out *harness.RunOutcome) string {
	if len(out.Runs) == 1 {
		return filepath.Join(out.Runs[0].Dir, rundir.FileReport)
	}
	if _, err := os.Stat(filepath.Join(out.Root, "sweep.md")); err == nil {
		return filepath.Join(out.Root, "sweep.md")
	}
	return out.Root
}
