package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Number formats shared by the compare and sweep tables.

// FormatValue prints a metric value to the precision a reader can use:
// three or four significant figures, two decimals for percentages (99.96%
// must not print as 100.0), whole numbers for whole counts.
func FormatValue(kind MetricDeltaKind, v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	case kind == DeltaPoints:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case kind == DeltaCount:
		return strconv.FormatFloat(v, 'f', 1, 64) // a median of an even number of counts
	}
	a := math.Abs(v)
	switch {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// FormatStat prints one set's value of a metric: the value of a single
// run, or the median and its confidence interval, benchstat style.
func FormatStat(kind MetricDeltaKind, s MetricStat) string {
	if s.N() == 0 {
		return "—"
	}
	v := FormatValue(kind, s.Center)
	if s.N() == 1 || math.IsNaN(s.Center) || math.IsInf(s.Center, 0) {
		return v // an interval around "—" or "∞" says nothing
	}
	return v + " " + formatCI(kind, s)
}

// formatCI is "± 4%" of the centre, as benchstat prints it; "± 0.12 pp"
// for a percentage, whose relative interval would round to 0%; the interval
// itself for counts and wherever a percentage cannot say it (a median of 0).
func formatCI(kind MetricDeltaKind, s MetricStat) string {
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) {
		return "± ∞"
	}
	c := s.Center
	switch kind {
	case DeltaPoints:
		return fmt.Sprintf("± %.2f pp", math.Max(s.Hi-c, c-s.Lo))
	case DeltaCount:
		return "[" + FormatValue(kind, s.Lo) + ", " + FormatValue(kind, s.Hi) + "]"
	}
	if c != 0 && !math.IsInf(c, 0) && math.Signbit(c) == math.Signbit(s.Lo) && math.Signbit(c) == math.Signbit(s.Hi) && s.Lo != 0 {
		pct := 100 * math.Max(s.Hi/c-1, 1-s.Lo/c)
		return fmt.Sprintf("± %.0f%%", pct)
	}
	return "[" + FormatValue(kind, s.Lo) + ", " + FormatValue(kind, s.Hi) + "]"
}

// formatDiff prints a change in its metric's kind: "+12.3%", "-1.50 pp",
// "+5"; "?" when a relative change is undefined.
func formatDiff(kind MetricDeltaKind, d float64) string {
	if math.IsNaN(d) {
		return "?"
	}
	switch kind {
	case DeltaPoints:
		if d == 0 {
			return "0.00 pp"
		}
		return fmt.Sprintf("%+.2f pp", d)
	case DeltaCount:
		if d == 0 {
			return "0"
		}
		if d == math.Trunc(d) {
			return fmt.Sprintf("%+.0f", d)
		}
		return fmt.Sprintf("%+.1f", d)
	}
	if d == 0 {
		return "0.0%"
	}
	return fmt.Sprintf("%+.1f%%", d)
}

// improvedWord says which way a change went for the metric.
func improvedWord(improved int) string {
	switch {
	case improved > 0:
		return "better"
	case improved < 0:
		return "worse"
	}
	return ""
}

// formatN is benchstat's sample-size note: "n=5", or "n=2+5" when the
// sides differ.
func formatN(n1, n2 int) string {
	if n1 == n2 {
		return "n=" + strconv.Itoa(n1)
	}
	return "n=" + strconv.Itoa(n1) + "+" + strconv.Itoa(n2)
}

// Footnotes numbers footnotes in the order they are first cited, so that a
// table cites each distinct note once however many cells share it.
type Footnotes struct {
	Texts []string
}

// cite returns the superscript marker of text, adding it if new.
func (n *Footnotes) Cite(text string) string {
	for i, t := range n.Texts {
		if t == text {
			return superscript(i + 1)
		}
	}
	n.Texts = append(n.Texts, text)
	return superscript(len(n.Texts))
}

// citeAll appends the markers of every text to cell.
func (n *Footnotes) CiteAll(cell string, texts []string) string {
	for _, t := range texts {
		cell += " " + n.Cite(t)
	}
	return cell
}

func (n *Footnotes) Write(w *strings.Builder) {
	for i, t := range n.Texts {
		fmt.Fprintf(w, "%s %s  \n", superscript(i+1), t)
	}
}

func superscript(i int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	sup := []rune(digits)
	var b strings.Builder
	for _, c := range strconv.Itoa(i) {
		b.WriteRune(sup[c-'0'])
	}
	return b.String()
}
