package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"stegocloud/harness"
	"stegocloud/harness/design"
)

// designOptions are the flags of `stegocloud report --design`.
type designOptions struct {
	design      *bool
	results     *string
	out         *string
	sources     *string
	experiments *string
	runMode     *string
	list        *bool
}

// designOnly are the flags that mean nothing without --design.
var designOnly = []string{"results", "out", "sources", "experiments", "run", "list"}

func designFlags(fs *flag.FlagSet) *designOptions {
	return &designOptions{
		design:      fs.Bool("design", false, "regenerate the design document's results (OUT/README.md) instead of a run's report"),
		results:     fs.String("results", "results", "with --design: the results root `directory` the runs are read from"),
		out:         fs.String("out", "reports", "with --design: the output `directory` (README.md, data/, figures/)"),
		sources:     fs.String("sources", "", "with --design: the declared set `file` (default OUT/sources.yaml)"),
		experiments: fs.String("experiments", "experiments", "with --design and --run: the `directory` of the experiment files"),
		runMode:     fs.String("run", "none", "with --design: first run the declared experiments: none, missing (those without a complete run) or all"),
		list:        fs.Bool("list", false, "with --design: list the declared experiments and whether each has a complete run, and stop"),
	}
}

// setOnlyWithDesign names a design-only flag the user set, or "".
func (o *designOptions) setOnlyWithDesign(fs *flag.FlagSet) string {
	found := ""
	fs.Visit(func(f *flag.Flag) {
		if found == "" && slices.Contains(designOnly, f.Name) {
			found = f.Name
		}
	})
	return found
}

func (o *designOptions) packageOptions() design.Options {
	return design.Options{Results: *o.results, Out: *o.out, Sources: *o.sources}
}

// runDesignReport is `stegocloud report --design`.
func runDesignReport(ctx context.Context, o *designOptions, stdout, stderr io.Writer) error {
	switch *o.runMode {
	case "none", "missing", "all":
	default:
		return usageErrorf("report: --run must be none, missing or all, got %q", *o.runMode)
	}
	hopts := o.packageOptions()
	srcPath := hopts.Sources
	if srcPath == "" {
		srcPath = filepath.Join(hopts.Out, design.SourcesFile)
	}
	src, err := design.LoadSources(srcPath)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	pending, reasons := design.Pending(hopts.Results, src)
	if *o.list {
		for _, name := range src.Experiments() {
			state := "complete run in " + filepath.Join(hopts.Results, name)
			if i := slices.Index(pending, name); i >= 0 {
				state = "needs a run: " + reasons[i]
			}
			fmt.Fprintf(stdout, "%s\t%s\n", name, state)
		}
		return nil
	}
	if err := designRunExperiments(ctx, o, src, pending, reasons, stdout, stderr); err != nil {
		return err
	}
	out, err := design.Report(hopts)
	if out != nil {
		for _, c := range out.Collected {
			switch {
			case c.Copied:
				fmt.Fprintf(stdout, "copied %s (%s %s)\n", c.Experiment, c.Source.Kind, c.Source.Root)
			case c.Kept:
				fmt.Fprintf(stderr, "report: %s: %s; kept the data already in %s\n", c.Experiment, c.Reason, hopts.Out)
			default:
				fmt.Fprintf(stderr, "report: %s: %s; its section is left out or says it has not run\n", c.Experiment, c.Reason)
			}
		}
		for _, f := range out.Figures {
			fmt.Fprintf(stdout, "wrote %s\n", f)
		}
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (%d warnings)\n", out.README, len(out.Warnings))
	return nil
}

// designRunExperiments runs what --run asks for, saying why each runs. A run
// that fails its checks is a result to report, not a reason to stop.
func designRunExperiments(ctx context.Context, o *designOptions, src design.Sources, pending, reasons []string, stdout, stderr io.Writer) error {
	if *o.runMode == "none" {
		for i, name := range pending {
			fmt.Fprintf(stderr, "report: %s has no complete run (%s); run it, or use --run missing\n", name, reasons[i])
		}
		return nil
	}
	for _, name := range src.Experiments() {
		i := slices.Index(pending, name)
		if *o.runMode == "missing" && i < 0 {
			fmt.Fprintf(stderr, "report: %s has a complete run in %s; not running it again (--run all would)\n", name, filepath.Join(*o.results, name))
			continue
		}
		why := "--run all"
		if i >= 0 {
			why = reasons[i]
		}
		path := filepath.Join(*o.experiments, name+".yaml")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			// A section may be declared before its experiment is written:
			// it says "not run yet" and the README lists a warning.
			fmt.Fprintf(stderr, "report: %s does not exist; %s is not run and its section says so\n", path, name)
			continue
		}
		fmt.Fprintf(stderr, "report: running %s (%s)\n", path, why)
		_, err := harness.RunExperiment(ctx, path, harness.RunOptions{
			Results: *o.results, Progress: stderr, ProgressMode: harness.ProgressAuto, Log: stderr,
			Command: []string{"stegocloud", "report", "--design", "--run", *o.runMode},
		})
		switch {
		case errors.Is(err, harness.ErrVerdict):
			fmt.Fprintf(stderr, "report: %s failed its checks; it is reported as it ran\n", name)
		case err != nil:
			return fmt.Errorf("report: running %s: %w", name, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}
