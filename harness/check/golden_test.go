package check

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/analyze"
	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/golden"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/record"
	"stegocloud/harness/rundir"
)

func TestGoldenSummaryAndHgrm(t *testing.T) {
	faults, results, events := synth.Run()
	r, err := record.New(record.Config{Start: synth.T0, Nodes: 3, Faults: faults, Clients: 20, ServiceTime: 500 * time.Millisecond, Expected: len(results)})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range results {
		r.Add(res)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Events(analyze.Config{Start: synth.T0, Nodes: 3, Faults: faults}, slices.Values(events))
	if err != nil {
		t.Fatal(err)
	}
	s := rundir.Summary{Experiment: "golden", Run: "20251001-142315", Mode: "closed"}
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	a.Summarize(&s)
	s.Requests.Duplicates = CountDuplicates(r.Accounting(), a)
	s.Verdict = Judge(&s, Input{Expected: len(results), Accounting: r.Accounting(), Analysis: a,
		Bounds: testBounds,
		Thresholds: []experiment.Threshold{
			{Metric: "success_rate", Op: ">=", Value: 0.999, Raw: ">= 99.9%"},
			{Metric: "p99", Op: "<", Value: 1000, Raw: "< 1s"},
			{Metric: "failover_max", Op: "<=", Value: 300, Raw: "<= 300ms"},
		}})
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false) // keep "<" and ">" of the checks readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "summary.golden", js.Bytes())

	var hgrm bytes.Buffer
	if err := r.WriteHgrm(&hgrm); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "latency.hgrm.golden", hgrm.Bytes())

	// The summary must round-trip through JSON, histograms included.
	var back rundir.Summary
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("summary.json does not read back: %v", err)
	}
	h, err := rundir.DecodeHistogram(back.Histograms["all"])
	if err != nil || h.TotalCount() != int64(len(results)) {
		t.Errorf("decoded \"all\" histogram: count %v, error %v; want %d", h.TotalCount(), err, len(results))
	}
}

// TestRecorderEmptyRun: a run without results still summarises into valid
// JSON (no NaN) and a percentile file.
func TestRecorderEmptyRun(t *testing.T) {
	r, err := record.New(record.Config{Start: synth.T0, Nodes: 3, Clients: 5, ServiceTime: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Events(analyze.Config{Start: synth.T0, Nodes: 3}, slices.Values([]cluster.Event(nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.Summarize(&s)
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("summary of an empty run does not marshal: %v (%+v)", err, s)
	}
	var hgrm bytes.Buffer
	if err := r.WriteHgrm(&hgrm); err != nil || !strings.Contains(hgrm.String(), "Total count    =            0") {
		t.Errorf("latency.hgrm of an empty run: error %v\n%s", err, hgrm.String())
	}
	if b, err := r.Buckets(); err != nil || len(b) != 0 {
		t.Errorf("buckets of an empty run = %v, %v; want none", b, err)
	}
}
