package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

// tableSection reports a run's table operations (workload.mix with views or
// discovery): the mix, what the views were answered, and what checking the
// history cost. A run without them has no such section.
func tableSection(rw *markdown.Writer, rc *runReport) {
	t := rc.s.Table
	if t == nil {
		return
	}
	rw.Line("## Views and quota\n")
	if e := rc.d.Experiment; e != nil && !e.Workload.Mix.IsZero() {
		rw.Printf("Mix: %s; quota %d per image, %d users per image, one view in %d by a user the image does not authorize.\n\n",
			mixText(e.Workload.Mix), e.Workload.Quota, e.Workload.Usernames, int(1/experiment.UnauthorizedShare))
	}
	refused := 0
	for _, n := range t.Refused {
		refused += n
	}
	rows := [][]string{
		{"table operations", fmt.Sprintf("%d (%s)", t.Ops, countsText(t.ByKind))},
		{"outcomes", countsText(t.Outcome)},
		{"views granted", strconv.Itoa(t.Granted)},
		{"views refused", fmt.Sprintf("%d (%s)", refused, countsText(t.Refused))},
		{"images viewed", fmt.Sprintf("%d, of which %d ran out of views", t.Images, t.Spent)},
	}
	if t.Invalid > 0 {
		rows = append(rows, []string{"inconsistent answers", strconv.Itoa(t.Invalid)})
	}
	rows = append(rows,
		[]string{"linearizable (porcupine)", fmt.Sprintf("%s over %d partitions", Ms(t.LinearizableMS), t.Partitions)},
		[]string{"quota_safety", Ms(t.QuotaSafetyMS)},
	)
	rw.Table([]string{"", "value"}, rows)
	rw.Printf("Every operation, with its call and return on the harness's clock, input, outcome and answer: [%s](%s).", t.History, t.History)
	if t.Visual != "" {
		rw.Printf(" linearizable failed: porcupine's visualization of the failing partition is [%s](%s).", t.Visual, t.Visual)
	}
	rw.Line("\n")
}

func mixText(m experiment.Mix) string {
	var parts []string
	for _, op := range experiment.MixOps {
		if p := m.Of(op); p > 0 {
			parts = append(parts, op+" "+strconv.FormatFloat(100*p, 'f', -1, 64)+"%")
		}
	}
	return strings.Join(parts, ", ")
}

// countsText is "granted 3, refused 2" in key order; "none" when empty.
func countsText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// explainTable is a table anomaly in words, with the granting nodes and a
// link to porcupine's page.
func explainTable(e rundir.Evidence) string {
	s := e.Text
	if len(e.Nodes) > 0 {
		s += fmt.Sprintf(" Applied (granted) by node %s.", andList(e.Nodes))
	}
	if e.File != "" {
		s += fmt.Sprintf(" Porcupine's visualization: [%s](%s).", e.File, e.File)
	}
	return s
}
