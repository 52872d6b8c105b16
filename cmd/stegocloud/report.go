package main

import (
	"context"
	"fmt"
	"io"

	"stegocloud/harness"
)

const reportSynopsis = "report [flags] RUN_DIR"

const reportDescription = `
Regenerate the figures (figures/*.png and *.svg) and report.md of a run
directory from the data stored in it: summary.json (required), run.json,
experiment.yaml, schedule.json, timeseries.csv and events.jsonl. Nothing is
re-run; the same files always give the same report.

RUN_DIR is a run directory (results/NAME/YYYYMMDD-HHMMSS) or an experiment's
results directory (results/NAME), which means its latest run.

Files that are missing or unreadable (other than summary.json) are listed as
warnings in the report, and the parts that need them are left out.`

// runReport is `stegocloud report`.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", reportSynopsis, reportDescription, stderr)
	noFigures := fs.Bool("no-figures", false, "write report.md only and leave figures/ as it is")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("report: want one run directory, got %d arguments (see 'stegocloud report --help')", fs.NArg())
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir, err := harness.ResolveRunDir(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	out, err := harness.ReportRun(dir, !*noFigures)
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
