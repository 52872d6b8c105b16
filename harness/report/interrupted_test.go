package report_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// TestWriteReportInterrupted: a run cut short says so at the top (issue 15:
// nothing in report.md told an interrupted run from a complete one), counts
// the requests never sent apart, and shows the node it left down as down.
func TestWriteReportInterrupted(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	var plain bytes.Buffer
	if err := report.Write(&plain, d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "Interrupted") {
		t.Fatal("a complete run's report says Interrupted")
	}
	s := &d.Summary
	s.Interrupted = &rundir.Interruption{Cause: "interrupt signal received", AtS: 3.9, Down: []rundir.NodeDown{{Node: 2, Kind: "crash"}}}
	s.Requests.Unsent = 7
	i := slices.IndexFunc(s.Nodes, func(n rundir.NodeSummary) bool { return n.ID == 2 })
	s.Nodes[i].FinalState, s.Nodes[i].Coordinator = "DOWN (CRASH)", false
	var buf bytes.Buffer
	if err := report.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, w := range []string{
		"> **Interrupted** 3.90 s after the load start (interrupt signal received): every number below covers only the part of the run before it",
		"7 requests issued after the load stopped were never sent: they are counted as unsent, not as failed or lost.",
		"Node 2 was down (crash fault) when the run ended and was not brought back.",
		"Node 2: DOWN (CRASH) |",
		"| Total requests | " + strconv.Itoa(s.Requests.Total) + " (and 7 never sent: the load had stopped) |",
	} {
		if !strings.Contains(md, w) {
			t.Errorf("report lacks %q", w)
		}
	}
	if banner, verdict := strings.Index(md, "**Interrupted**"), strings.Index(md, "**Verdict:"); banner < 0 || banner > verdict {
		t.Errorf("the banner (at %d) does not come before the verdict line (at %d)", banner, verdict)
	}
}
