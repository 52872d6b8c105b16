package main

import (
	"context"
	"fmt"
	"io"

	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
)

const reportSynopsis = "report [--no-figures] RUN_DIR\n       stegocloud report --design [--list] [--run missing|all] [--experiments DIR] [--results DIR] [--out DIR] [--sources FILE]"

const reportDescription = `
Regenerate the figures (figures/*.png and *.svg) and report.md of a run
directory from the data stored in it: summary.json (required), run.json,
experiment.yaml, schedule.json, timeseries.csv and events.jsonl. Nothing is
re-run; the same files always give the same report.

RUN_DIR is a run directory (results/NAME/YYYYMMDD-HHMMSS, a repeat set's
rep-N, or a sweep variant's run) or an experiment's results directory
(results/NAME), which means its latest complete run: the one
results/NAME/latest names or, when that run never finished (killed) or was
interrupted, the newest complete one (a line on stderr says so).

Files that are missing or unreadable (other than summary.json) are listed as
warnings in the report, and the parts that need them are left out.

With --design it regenerates the design document's results instead:
OUT/README.md (default reports/README.md), the seed's "Results and Metrics"
and "Stress Testing Analysis" with measured values, and Part 2's sections.
OUT/sources.yaml declares which experiment each section reads (stress,
failover, openloop, balancers, scaling; partition, tls, hysteresis, proxies,
quota, partition_quota, elections) and where the codec benchmark output is (bench,
default data/bench.txt); without the file the defaults are stress10k,
failover, openloop, balancers and scaling, and no Part 2 section. For each,
the small files of its latest
complete run in RESULTS (summary.json, run.json, experiment.yaml,
schedule.json; sweep.json and sweep.md for a sweep) are copied into
OUT/data/NAME/ and its figures into OUT/figures/NAME/, so that every number
can be traced to its run; an experiment with no complete run keeps the data
OUT already holds. --run missing first runs every declared experiment that has
no complete run (experiments/NAME.yaml), --run all runs them all again; a run
that fails its checks is still reported. 'make report' runs the codec
benchmarks into OUT/data/bench.txt and then this.`

// runReport is `stegocloud report`.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", reportSynopsis, reportDescription, stderr)
	noFigures := fs.Bool("no-figures", false, "write report.md only and leave figures/ as it is")
	df := designFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *df.design {
		if *noFigures {
			return usageErrorf("report: --no-figures applies to a run's report, not to --design")
		}
		if fs.NArg() != 0 {
			return usageErrorf("report: --design takes no run directory, got %q (see 'stegocloud report --help')", fs.Args())
		}
		return runDesignReport(ctx, df, stdout, stderr)
	}
	if name := df.setOnlyWithDesign(fs); name != "" {
		return usageErrorf("report: --%s applies only with --design (see 'stegocloud report --help')", name)
	}
	if fs.NArg() == 0 {
		return usageErrorf("report: want one run directory, got none (see 'stegocloud report --help')")
	}
	if err := checkArgs(fs, 1); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir, note, err := rundir.Locate(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if note != "" {
		fmt.Fprintf(stderr, "report: %s\n", note)
	}
	out, err := report.Run(dir, !*noFigures)
	if out != nil {
		for _, p := range out.Figures {
			fmt.Fprintf(stdout, "wrote %s\n", p)
		}
		for _, s := range out.Skipped {
			fmt.Fprintf(stderr, "report: %s\n", s)
		}
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	v := out.Data.Summary.Verdict
	warnings := fmt.Sprintf("%d warnings", len(out.Warnings))
	if len(out.Warnings) == 1 {
		warnings = "1 warning"
	}
	fmt.Fprintf(stdout, "wrote %s (verdict %s, %s)\n", out.Report, reportVerdictWord(v.Pass), warnings)
	return nil
}

func reportVerdictWord(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}
