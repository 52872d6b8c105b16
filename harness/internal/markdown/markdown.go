// Package markdown writes the Markdown the reports are made of: one table
// writer (Table, AlignedTable) and one cell escaper (Cell), shared by the run
// report, the design report, compare and sweep.md.
package markdown

import (
	"fmt"
	"io"
	"strings"
)

// Writer writes Markdown, keeping the first write error so that
// sections can print without checking each line (as bufio.Writer does).
type Writer struct {
	w   io.Writer
	err error
}

// NewWriter writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// firstErr is the first write error, if any.
func (r *Writer) Err() error { return r.err }

func (r *Writer) Printf(format string, a ...any) {
	if r.err != nil {
		return
	}
	_, r.err = fmt.Fprintf(r.w, format, a...)
}

func (r *Writer) Line(s string) { r.Printf("%s\n", s) }

// table writes a Markdown table and the blank line that ends it; every cell,
// header cells included, is escaped by Cell.
func (r *Writer) Table(header []string, rows [][]string) {
	r.AlignedTable(header, nil, rows)
}

// alignedTable is table with each column's separator given: "---" (the
// default for a missing or empty entry) or "--:" for a right-aligned column.
func (r *Writer) AlignedTable(header, align []string, rows [][]string) {
	r.Line(tableRow(header))
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
		if i < len(align) && align[i] != "" {
			seps[i] = align[i]
		}
	}
	r.Line("|" + strings.Join(seps, "|") + "|")
	for _, row := range rows {
		r.Line(tableRow(row))
	}
	r.Line("")
}

// tableRow is one table row of escaped cells.
func tableRow(cells []string) string {
	esc := make([]string, len(cells))
	for i, c := range cells {
		esc[i] = Cell(c)
	}
	return "| " + strings.Join(esc, " | ") + " |"
}

// Cell keeps a value on one table row: pipes would start a new cell and
// newlines a new row.
func Cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
