package report

import (
	"bytes"
	"strings"
	"testing"

	"stegocloud/harness/experiment"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// A run with table operations has a "Views and quota" section with the
// counts, the checks' cost and the links; a table anomaly is said in the
// findings with the granting nodes and porcupine's page. A run without
// them has no such section.
func TestReportViewsAndQuota(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Views and quota") {
		t.Fatal("a run without table operations has a Views and quota section")
	}
	if d.Experiment == nil {
		d.Experiment = experiment.DefaultExperiment()
	}
	d.Experiment.Workload.Mix = experiment.Mix{Encrypt: 0.2, View: 0.7, Register: 0.05, Online: 0.05}
	d.Summary.Table = &rundir.TableSummary{Ops: 10, ByKind: map[string]int{"view": 8, "online": 2}, Outcome: map[string]int{"ok": 9, "unknown": 1},
		Images: 3, Granted: 5, Refused: map[string]int{"quota exhausted": 2}, Spent: 2, History: rundir.FileHistory,
		Visual: rundir.FileLinearizableHTML, LinearizableMS: 12.5, QuotaSafetyMS: 0.25, Partitions: 5}
	d.Summary.Verdict.Checks = append(d.Summary.Verdict.Checks, rundir.Check{Name: "quota_safety", Detail: "granted beyond quota: image img-b",
		Evidence: []rundir.Evidence{{Kind: rundir.EvidenceTable, Nodes: []int{1, 3}, Text: "over-grant (image img-b): 2 views granted.", File: rundir.FileLinearizableHTML}}})
	buf.Reset()
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"## Views and quota",
		"Mix: encrypt 20%, view 70%, register 5%, online 5%; quota 5 per image",
		"| table operations | 10 (online 2, view 8) |",
		"| views refused | 2 (quota exhausted 2) |",
		"| images viewed | 3, of which 2 ran out of views |",
		"| linearizable (porcupine) | 12.50 ms over 5 partitions |",
		"[history.jsonl](history.jsonl)",
		"porcupine's visualization of the failing partition is [linearizable.html](linearizable.html)",
		"- **quota_safety failed**:\n  - over-grant (image img-b): 2 views granted. Applied (granted) by node 1 and 3. Porcupine's visualization: [linearizable.html](linearizable.html).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
