package compare

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

// WriteMarkdown writes sweep.md: a row per variant with its swept values and
// its headline metrics (the value of a single run, or the median ± the
// confidence interval of the median over repeated runs), then the figures.
func (s *Sweep) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	idx := s.Index
	fmt.Fprintf(&b, "# Sweep: %s\n\n", idx.Experiment)
	fmt.Fprintf(&b, "Swept %s: %d variants, %s.\n\n", fieldList(idx.Fields), len(idx.Variants), RepeatText(idx.Variants))
	notes := s.writeTable(&b)
	writeTail(&b, notes, s.writeHowToRead, s.Warnings, s.Figures)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing sweep summary: %w", err)
	}
	return nil
}

func fieldList(fields []string) string {
	quoted := make([]string, len(fields))
	for i, f := range fields {
		quoted[i] = "`" + f + "`"
	}
	return strings.Join(quoted, " × ")
}

func (s *Sweep) writeTable(b *strings.Builder) *Footnotes {
	notes := &Footnotes{}
	metrics := HeadlineMetrics()
	header, align := []string{"variant"}, []string{"---"}
	for _, f := range s.Index.Fields {
		header = append(header, f)
		if AxisOf(f, s.Index.Variants).Numeric {
			align = append(align, "--:")
		} else {
			align = append(align, "---")
		}
	}
	header, align = append(header, "runs"), append(align, "--:")
	for _, m := range metrics {
		header, align = append(header, m.Title()), append(align, "--:")
	}
	var rows [][]string
	for _, row := range s.Rows {
		v := row.Variant
		cells := []string{"[" + v.Label + "](" + v.Path + "/)"}
		for _, f := range s.Index.Fields {
			cells = append(cells, v.Values[f])
		}
		cells = append(cells, strconv.Itoa(row.N))
		for i, m := range metrics {
			st := row.Stats[i]
			cells = append(cells, notes.CiteAll(FormatStat(m.Delta, st), st.Warnings))
		}
		rows = append(rows, cells)
	}
	markdown.NewWriter(b).AlignedTable(header, align, rows)
	return notes
}

func (s *Sweep) writeHowToRead(b *strings.Builder) {
	var higher []string
	for _, m := range HeadlineMetrics() {
		if m.Better == HigherIsBetter {
			higher = append(higher, m.Label)
		}
	}
	fmt.Fprintf(b, "A variant of one run shows that run's value; a repeated variant shows the median of its runs ± the %.0f%% "+
		"confidence interval of the median (golang.org/x/perf/benchmath, as benchstat), ∞ when it has too few runs for one. "+
		"Higher is better for %s; lower for the rest. — means not measured (no failover without faults).\n",
		100*Confidence, strings.Join(higher, " and "))
}

// RepeatText says how many runs the variants hold: "5 runs each", or
// "1–5 runs" when they differ.
func RepeatText(vs []rundir.SweepVariant) string {
	lo, hi := vs[0].Repeat, vs[0].Repeat
	for _, v := range vs {
		lo, hi = min(lo, v.Repeat), max(hi, v.Repeat)
	}
	switch {
	case lo != hi:
		return strconv.Itoa(lo) + "–" + strconv.Itoa(hi) + " runs per variant"
	case lo == 1:
		return "1 run each"
	}
	return strconv.Itoa(lo) + " runs each"
}
