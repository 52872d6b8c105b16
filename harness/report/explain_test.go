package report

import (
	"bytes"
	"strings"
	"testing"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name string
		e    rundir.Evidence
		want string
	}{
		{"split brain after a pause", rundir.Evidence{Kind: rundir.EvidenceOverlap, FromS: 5.9735, ToS: 6.2233, Nodes: []int{1, 2},
			Epochs: []uint64{769, 1027}, Count: 40, Requests: []string{"c15.ab-27", "c15.ab-28"}, Limit: 0.05},
			"Node 1 kept assigning requests in epoch 769 from 5.973 s to 6.223 s while node 2 was coordinator of epoch 1027: both acted as coordinator for 249.8 ms, beyond the handover tolerance of 50 ms; 40 requests were assigned by both: c15.ab-27, c15.ab-28, …"},
		{"the later reign in the lower epoch", rundir.Evidence{Kind: rundir.EvidenceOverlap, FromS: 1, ToS: 5, Nodes: []int{2, 3},
			Epochs: []uint64{515, 259}, Count: 1, Requests: []string{"c1-9"}, Limit: 0.05},
			"Node 3 kept assigning requests in epoch 259 from 1.000 s to 5.000 s while node 2 was coordinator of epoch 515: both acted as coordinator for 4000 ms, beyond the handover tolerance of 50 ms; 1 request was assigned by both: c1-9."},
		{"a partition with nothing assigned twice", rundir.Evidence{Kind: rundir.EvidenceOverlap, FromS: 2, ToS: 16, Nodes: []int{1, 2}, Epochs: []uint64{1, 259}, Limit: 0.05},
			"Node 1 kept assigning requests in epoch 1 from 2.000 s to 16.000 s while node 2 was coordinator of epoch 259: both acted as coordinator for 14.0 s, beyond the handover tolerance of 50 ms; no request was assigned by both."},
		{"an epoch with two coordinators", rundir.Evidence{Kind: rundir.EvidenceEpochConflict, FromS: 1.001, ToS: 1.001, Nodes: []int{2, 3}, Epochs: []uint64{2}},
			"Epoch 2 had more than one coordinator: nodes 2 and 3 were each named for it (the second at 1.001 s)."},
		{"a wrong answer, then a retry", rundir.Evidence{Kind: rundir.EvidenceInvalid, FromS: 1, ToS: 1.3, Nodes: []int{2}, Count: 1, Requests: []string{"c1-3"}, Outcome: "ok"},
			"Request c1-3 (1.000 s to 1.300 s) got 1 response carrying other metadata than was sent from node 2; it then got a valid answer on a retry."},
		{"wrong answers only", rundir.Evidence{Kind: rundir.EvidenceInvalid, FromS: 2, ToS: 3, Nodes: []int{2, 2, 3}, Count: 3, Requests: []string{"c1-4"}, Outcome: "failed"},
			"Request c1-4 (2.000 s to 3.000 s) got 3 responses carrying other metadata than was sent from node 2 and 3; it never got a valid one (failed)."},
		{"no agreement", rundir.Evidence{Kind: rundir.EvidenceNoAgreement, FromS: 2.04, ToS: 10.1, Nodes: []int{1, 2, 3}, Limit: 1.6},
			"After the last membership change at 2.040 s the live nodes 1, 2 and 3 never all followed one live coordinator, up to 10.100 s (the bound is 1600 ms)."},
		{"slow agreement", rundir.Evidence{Kind: rundir.EvidenceSlowAgreement, FromS: 2, ToS: 4.5, Nodes: []int{2}, Limit: 1.6},
			"After the last membership change at 2.000 s the live nodes took 2500 ms to all follow node 2 (at 4.500 s), more than the bound of 1600 ms."},
		{"flip-flop", rundir.Evidence{Kind: rundir.EvidenceFlipFlop, FromS: 2.601, ToS: 10.1, Count: 23, Limit: 2},
			"After the nodes had agreed at 2.601 s, 23 elections started by 10.100 s: more than the 2 the periodic elections explain — the cluster kept re-electing (flip-flop)."},
		{"no completions", rundir.Evidence{Kind: rundir.EvidenceNoCompletions, FromS: 2.95, ToS: 6, Limit: 2},
			"No node completed a request from 2.950 s to 6.000 s (3050 ms) although a majority of the nodes was live and connected and load was offered (the bound is 2000 ms)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Explain(tc.e); got != tc.want {
				t.Errorf("Explain(%+v) =\n%s\nwant\n%s", tc.e, got, tc.want)
			}
		})
	}
}

// TestVerdictSectionExpectedAnomaly: a known-bad baseline's verdict says
// which anomaly it expected and found, in the headline, the table and the
// findings; an expected anomaly that did not show is said to be missing.
func TestVerdictSectionExpectedAnomaly(t *testing.T) {
	overlap := rundir.Evidence{Kind: rundir.EvidenceOverlap, FromS: 4, ToS: 8, Nodes: []int{1, 2}, Epochs: []uint64{1, 259}, Count: 2,
		Requests: []string{"c1-1", "c1-2"}, Limit: 0.05}
	v := rundir.Verdict{Pass: true, Checks: []rundir.Check{
		{Name: "accounted", Pass: true, Detail: "all"},
		{Name: "single_coordinator", Expected: true, Detail: "1 beyond it", Evidence: []rundir.Evidence{overlap}},
		{Name: "liveness", Pass: true, Expected: true, Detail: "agreed"},
	}}
	var buf bytes.Buffer
	verdictSection(markdown.NewWriter(&buf), &runReport{s: &rundir.Summary{Verdict: v}})
	got := buf.String()
	for _, want := range []string{
		"**PASS** — 2 of 3 checks passed; 1 expected anomaly found (single_coordinator); 1 expected anomaly not found (liveness).",
		"| single_coordinator | FAIL (expected anomaly found) | 1 beyond it |",
		"| liveness | PASS (expected anomaly not found) | agreed |",
		"- **single_coordinator: expected anomaly found**:\n  - Node 1 kept assigning requests in epoch 1 from 4.000 s to 8.000 s while node 2 was coordinator of epoch 259",
		"- **liveness: expected anomaly not found** — the experiment declares that this check fails, and it passed: agreed.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("verdict section lacks %q:\n%s", want, got)
		}
	}
}
