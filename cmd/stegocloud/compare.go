package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stegocloud/harness/compare"
)

const compareDescription = `
Compare the headline metrics of run sets side by side, each against the first:
throughput, success rate, latency mean/p50/p95/p99/p99.9/max (percentiles as
HdrHistogram defines them, see harness/doc.go), failover time p50, per-node
spread, messages per request and lost requests.

A DIR is a run set: a run directory (results/NAME/YYYYMMDD-HHMMSS holding
summary.json), a repeat set (rep-1/ … rep-n/, each a run directory), a sweep
variant directory, or results/NAME, which stands for its latest complete run
set: the one results/NAME/latest names or, when that one never finished
(killed) or was interrupted, the newest complete one (a line on stderr says
so). An interrupted run named directly is compared with a warning.

Single runs are compared value against value. Repeated runs are summarised as
the median ± its 95% confidence interval and tested with a Mann-Whitney U test,
as benchstat does ("~": no significant difference at α = 0.05); with fewer than
4 runs on a side the table says no difference can be claimed.

The table is printed as Markdown. With --out it is also written to that file,
with two figures beside it in PNG and SVG: NAME-spectrum (latency percentile
spectra of all sets, HDR style) and NAME-metrics (a bar per set and metric).`

func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", "compare [--out report.md] DIR DIR…", compareDescription, stderr)
	out := fs.String("out", "", "also write the table to this Markdown `file`, and its figures (PNG and SVG) next to it")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	dirs := fs.Args()
	// A flag after a directory is a positional word to the flag package:
	// it and everything after it would be taken for directories.
	if i := slices.IndexFunc(dirs, func(d string) bool { return strings.HasPrefix(d, "-") }); i >= 0 {
		return checkArgs(fs, i)
	}
	if len(dirs) < 2 {
		return usageErrorf("compare: need at least two run set directories, got %d (see 'stegocloud compare --help')", len(dirs))
	}
	sets := make([]*compare.RunSet, len(dirs))
	for i, d := range dirs {
		if err := ctx.Err(); err != nil {
			return err
		}
		set, err := compare.LoadRunSet(d)
		if err != nil {
			return fmt.Errorf("compare: %w", err)
		}
		if set.Note != "" {
			fmt.Fprintf(stderr, "compare: %s\n", set.Note)
		}
		sets[i] = set
	}
	c := compare.New(sets)
	for _, w := range c.Warnings {
		fmt.Fprintf(stderr, "compare: warning: %s\n", w)
	}
	if err := c.WriteMarkdown(stdout); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if *out == "" {
		return nil
	}
	return compareWriteOut(c, *out, stderr)
}

// compareWriteOut writes the table and its figures: figures first, so that
// the file never links a figure that is not there.
func compareWriteOut(c *compare.Comparison, out string, stderr io.Writer) error {
	dir := filepath.Dir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	prefix := strings.TrimSuffix(filepath.Base(out), filepath.Ext(out))
	if err := c.SaveFigures(dir, prefix); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	var buf bytes.Buffer
	if err := c.WriteMarkdown(&buf); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("compare: writing the report: %w", err)
	}
	fmt.Fprintf(stderr, "compare: wrote %s and %d figures (PNG and SVG) beside it\n", out, len(c.Figures))
	return nil
}
