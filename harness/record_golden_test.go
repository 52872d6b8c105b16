package harness

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"stegocloud/harness/internal/golden"
	"testing"
	"time"

	"stegocloud/cluster"

	"stegocloud/harness/experiment"

	"stegocloud/harness/fault"

	"stegocloud/harness/rundir"

	"stegocloud/harness/load"
)

// recSyntheticRun is a small closed-loop run: 3 nodes, 20 clients × 100
// requests, a 500 ms service time, node 1 (the coordinator) silent 10–13 s and
// node 3 crashed 20–22 s; requests in flight to a down node take a retry.
func recSyntheticRun() (faults []fault.Fault, results []load.Result, events []cluster.Event) {
	faults = []fault.Fault{
		{At: 10 * time.Second, Node: 1, Kind: "silent", For: 3 * time.Second},
		{At: 20 * time.Second, Node: 3, Kind: "crash", For: 2 * time.Second},
	}
	rng := rand.New(rand.NewPCG(42, 4411))
	down := func(node int, at time.Duration) bool {
		for _, f := range faults {
			if f.Node == node && at >= f.At && at < f.End() {
				return true
			}
		}
		return false
	}
	seq := uint64(0)
	for c := range 20 {
		at := time.Duration(c) * 5 * time.Millisecond
		for range 100 {
			node := 1 + rng.IntN(3)
			lat := 500*time.Millisecond + time.Duration(rng.ExpFloat64()*float64(20*time.Millisecond))
			r := load.Result{Seq: seq, ID: fmt.Sprintf("c%d-%d", c, seq), Client: c, Intended: recT0.Add(at), Start: recT0.Add(at),
				Outcome: load.OK, Node: node, Attempts: 1, Verified: true, BytesOut: 49152, BytesIn: 49400}
			if down(node, at) {
				r.Attempts, r.Node = 2, 1+node%3
				lat += 700 * time.Millisecond
				if seq%7 == 0 {
					r.Outcome, r.Reason, r.Node, r.Verified, r.BytesIn = load.TimedOut, "no valid response within 3s", 0, false, 0
					lat = 3 * time.Second
				}
			}
			if seq%250 == 0 {
				r.Duplicates = 1
			}
			r.Latency = lat
			results = append(results, r)
			seq++
			at += lat
		}
	}
	slices.SortStableFunc(results, func(a, b load.Result) int { return a.Intended.Add(a.Latency).Compare(b.Intended.Add(b.Latency)) })

	counters := func(k int64) map[string]int64 {
		return map[string]int64{"sent.heartbeat": 40 * k, "recv.heartbeat": 40 * k, "recv.request": 200 * k,
			"sent.assign": 70 * k, "sent.response": 66 * k, "sent.done": 66 * k, "sent.election": k / 10}
	}
	loads := map[int]float64{1: 0.75, 2: 0.5, 3: 0.9}
	events = slices.Concat(anaSteady(), []cluster.Event{
		anaEv(0, 0, cluster.EvLoadStart),
		aevAssign(100, 1, "c0-0", 2, loads),
		aevLoad(5000, 1, 0.7, counters(5)), aevLoad(5000, 2, 0.6, counters(5)), aevLoad(5000, 3, 0.8, counters(5)),
		aevFaultStart(10000, 1, "silent"), aevState(10000, 1, "Failed"),
		aevSuspect(10210, 2, 1), aevSuspect(10215, 3, 1), aevElect(10215, 3, 2, "coordinator suspected"),
		aevResult(10240, 3, 2, 2), aevCoord(10240, 3, 2, 2), aevCoord(10250, 2, 2, 2),
		aevAssign(11000, 2, "c3-310", 3, map[int]float64{2: 0.6, 3: 0.55}),
		{Time: anaT(11200), Node: 2, Type: cluster.EvReassign, Request: "c3-310", Assignee: 2, Reason: "assignee suspected"},
		aevFaultEnd(13000, 1, "silent"), aevState(13000, 1, "Recovering"), aevState(13500, 1, "Active"), aevCoord(13500, 1, 2, 2),
		aevLoad(15000, 1, 0.5, counters(15)), aevLoad(15000, 2, 0.65, counters(15)), aevLoad(15000, 3, 0.75, counters(15)),
		aevFaultStart(20000, 3, "crash"), aevExit(20001, 3, "signal: killed"),
		aevFaultEnd(22000, 3, "crash"), aevStart(22040, 3, "Recovering"), aevState(22560, 3, "Active"), aevCoord(22560, 3, 2, 2),
		aevAssign(25000, 2, "c9-999", 1, map[int]float64{1: 0.6, 2: 0.8, 3: 0.5}),
		aevElect(25100, 1, 3, "periodic"), aevResult(25150, 1, 3, 3), aevCoord(25150, 1, 3, 3), aevCoord(25151, 2, 3, 3), aevCoord(25152, 3, 3, 3),
		anaEv(40000, 0, cluster.EvLoadStop),
		aevStop(40100, 1, counters(40)), aevStop(40100, 2, counters(40)), aevStop(40100, 3, counters(18)),
		aevExit(40200, 1, "exit status 0"), aevExit(40200, 2, "exit status 0"), aevExit(40200, 3, "exit status 0"),
	})
	// Each ok request: the coordinator of the moment assigns it 1 ms after it
	// is due and the serving node completes it when it ends.
	coordAt := func(ms int) int {
		switch {
		case ms < 10240:
			return 1
		case ms < 25150:
			return 2
		}
		return 3
	}
	for _, r := range results {
		if r.Outcome != load.OK {
			continue
		}
		due := int(r.Intended.Sub(recT0) / time.Millisecond)
		if c := coordAt(due + 1); !down(c, time.Duration(due+1)*time.Millisecond) {
			events = append(events, aevAssign(due+1, c, r.ID, r.Node, map[int]float64{1: 0.7, 2: 0.6, 3: 0.8}))
		}
		events = append(events, anaEv(due+int(r.Latency/time.Millisecond), r.Node, cluster.EvComplete))
	}
	slices.SortStableFunc(events, func(a, b cluster.Event) int { return cmp.Compare(a.Time, b.Time) })
	return faults, results, events
}

func TestGoldenSummaryAndHgrm(t *testing.T) {
	faults, results, events := recSyntheticRun()
	r := recNew(t, RecorderConfig{Faults: faults, Clients: 20, ServiceTime: 500 * time.Millisecond, Expected: len(results)})
	for _, res := range results {
		r.Add(res)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(AnalysisConfig{Start: recT0, Nodes: 3, Faults: faults}, slices.Values(events))
	if err != nil {
		t.Fatal(err)
	}
	s := rundir.Summary{Experiment: "golden", Run: "20251001-142315", Mode: "closed"}
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	a.Summarize(&s)
	s.Verdict = Judge(&s, CheckInput{Expected: len(results), Accounting: r.Accounting(), Analysis: a,
		AgreementBound: AgreementBound(200*time.Millisecond, 500*time.Millisecond, 100*time.Millisecond),
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
