package plot_test

import (
	"bytes"
	"reflect"
	"testing"

	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// TestTimelineMarksFailedChecks: every finding of a failed check is on the
// timeline with its check's name, passed checks leave no mark, and the
// legend names the failed checks.
func TestTimelineMarksFailedChecks(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	d.Summary.Verdict.Checks = append(d.Summary.Verdict.Checks,
		rundir.Check{Name: "single_coordinator", Evidence: []rundir.Evidence{{Kind: rundir.EvidenceOverlap, FromS: 4, ToS: 6.5}}},
		rundir.Check{Name: "election_safety", Expected: true, Evidence: []rundir.Evidence{{Kind: rundir.EvidenceEpochConflict, FromS: 7, ToS: 7}}},
		rundir.Check{Name: "liveness", Pass: true, Evidence: []rundir.Evidence{{Kind: rundir.EvidenceFlipFlop, FromS: 1, ToS: 2}}})
	f, err := plot.NewTimelineFigure(d)
	if err != nil {
		t.Fatal(err)
	}
	want := []plot.FigureAnomaly{
		{Check: "single_coordinator", Kind: rundir.EvidenceOverlap, From: 4, To: 6.5},
		{Check: "election_safety", Kind: rundir.EvidenceEpochConflict, Expected: true, From: 7, To: 7},
	}
	if !reflect.DeepEqual(f.Anomalies, want) {
		t.Errorf("anomalies = %+v, want %+v", f.Anomalies, want)
	}
	var svg bytes.Buffer
	if err := f.Render(&svg, "svg"); err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"single_coordinator failed", "election_safety (expected anomaly)"} {
		if !bytes.Contains(svg.Bytes(), []byte(label)) {
			t.Errorf("the timeline's legend lacks %q", label)
		}
	}
	if bytes.Contains(svg.Bytes(), []byte("liveness")) {
		t.Error("a passed check is in the timeline's legend")
	}
}
