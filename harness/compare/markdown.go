package compare

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"stegocloud/harness/internal/markdown"
)

// WriteMarkdown writes the comparison as Markdown: the sets compared, then one
// row per headline metric with a value column per set and, for every set after
// the first, a column with its change against the first; footnotes carry
// benchmath's warnings and the sample-size caveats; Figures are linked last.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Comparison of %d run sets\n\n", len(c.Sets))
	c.writeSetsTable(&b)
	b.WriteString("## Headline metrics\n\n")
	notes := c.writeMetricsTable(&b)
	writeTail(&b, notes, c.writeHowToRead, c.Warnings, c.Figures)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing comparison: %w", err)
	}
	return nil
}

// writeTail ends a comparison or a sweep summary after its table: the
// table's footnotes, how to read it, the warnings and the figures.
func writeTail(b *strings.Builder, notes *Footnotes, howToRead func(*strings.Builder), warnings []string, figs []LinkedFigure) {
	if len(notes.Texts) > 0 {
		notes.Write(b)
		b.WriteString("\n")
	}
	howToRead(b)
	if len(warnings) > 0 {
		b.WriteString("\n## Warnings\n\n")
		for _, w := range warnings {
			fmt.Fprintf(b, "- %s\n", w)
		}
	}
	writeFigureLinks(b, figs)
}

func (c *Comparison) writeSetsTable(b *strings.Builder) {
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	var rows [][]string
	for _, s := range c.Sets {
		rows = append(rows, []string{s.Key, s.Label, strconv.Itoa(s.N), dash(s.Experiment), dash(s.Commit), dash(s.GoVersion), dash(s.Host), s.Dir})
	}
	markdown.NewWriter(b).AlignedTable([]string{"set", "label", "runs", "experiment", "commit", "go", "host", "directory"},
		[]string{2: "--:"}, rows)
}

func (c *Comparison) writeMetricsTable(b *strings.Builder) *Footnotes {
	notes := &Footnotes{}
	header, align := []string{"metric", "better"}, []string{"---", "---"}
	for i, s := range c.Sets {
		header, align = append(header, s.Key), append(align, "--:")
		if i > 0 {
			header, align = append(header, s.Key+" vs "+c.Sets[0].Key), append(align, "---")
		}
	}
	var rows [][]string
	for _, row := range c.Rows {
		m := row.Metric
		cells := []string{m.Title(), m.Better.String()}
		for i, st := range row.Stats {
			cells = append(cells, notes.CiteAll(FormatStat(m.Delta, st), st.Warnings))
			if i > 0 {
				cells = append(cells, FormatDelta(m, row.Deltas[i], notes))
			}
		}
		rows = append(rows, cells)
	}
	markdown.NewWriter(b).AlignedTable(header, align, rows)
	return notes
}

// FormatDelta is one "vs" cell: what the change is and what may be
// claimed about it.
func FormatDelta(m HeadlineMetric, d MetricDelta, notes *Footnotes) string {
	diff := formatDiff(m.Delta, d.Diff)
	word := improvedWord(d.Improved)
	var cell string
	switch d.Verdict {
	case DeltaMissing:
		return "—"
	case DeltaUntested:
		cell = strings.TrimSpace(diff + " " + word)
	case DeltaTooFew:
		cell = diff + " (" + formatN(d.N1, d.N2) + ") " + notes.Cite(fmt.Sprintf(
			"%s: too few runs to claim a difference (the U test needs ≥ %d runs per side)",
			formatN(d.N1, d.N2), MinRuns))
	case DeltaSignificant:
		cell = fmt.Sprintf("%s (p=%.3f %s)", strings.TrimSpace(diff+" "+word), d.P, formatN(d.N1, d.N2))
	case DeltaNoDifference:
		cell = fmt.Sprintf("~ (p=%.3f %s)", d.P, formatN(d.N1, d.N2))
	}
	return notes.CiteAll(cell, d.Warnings)
}

// writeHowToRead states the method once, only for what the table shows.
func (c *Comparison) writeHowToRead(b *strings.Builder) {
	single, repeated := false, false
	for _, s := range c.Sets {
		single = single || s.N == 1
		repeated = repeated || s.N > 1
	}
	if single {
		b.WriteString("A set of one run shows that run's value; a change between two single runs is one measurement " +
			"against another and is not tested: rerun with `repeat:` ≥ 4 (≥ 6 for confidence intervals) to tell it from noise.\n\n")
	}
	if repeated {
		fmt.Fprintf(b, "A repeated set shows the median of its runs ± the %.0f%% confidence interval of the median. "+
			"Changes compare medians; p is a two-sided Mann-Whitney U test over the runs, and `~` means no "+
			"significant difference at α = %.2f (benchstat's method, golang.org/x/perf/benchmath).\n",
			100*Confidence, Alpha)
		b.WriteString("\n")
	}
	if k := c.tests(); k > 0 {
		fmt.Fprintf(b, "This table runs %d such tests, each on its own as benchstat does: were nothing different, "+
			"up to %.2g of them would still show a difference by chance (α × %d). Trust a change that related metrics "+
			"agree on or that a rerun repeats.\n\n", k, Alpha*float64(k), k)
	}
	if len(c.Sets) > 1 {
		fmt.Fprintf(b, "Success rate changes are in percentage points (pp), lost requests in requests, all others in percent of %s's value.\n", c.Sets[0].Key)
	}
}

// tests counts the U tests the table ran, for the multiple-comparisons note.
func (c *Comparison) tests() int {
	k := 0
	for _, row := range c.Rows {
		for _, d := range row.Deltas {
			if d.Verdict == DeltaSignificant || d.Verdict == DeltaNoDifference {
				k++
			}
		}
	}
	return k
}
