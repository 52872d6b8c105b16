package check

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/analyze"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/load"
	"stegocloud/harness/record"
	"stegocloud/harness/rundir"
)

// accounting records results and returns the recorder's ledger.
func accounting(t *testing.T, rs ...load.Result) record.Accounting {
	t.Helper()
	r, err := record.New(record.Config{Start: synth.T0, Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range rs {
		r.Add(res)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return r.Accounting()
}

func TestCheckAccounted(t *testing.T) {
	ok := func(seq uint64) load.Result { return synth.OK(seq, 0, time.Millisecond, 1) }
	failed := func(seq uint64, reason string) load.Result {
		r := ok(seq)
		r.Outcome, r.Reason, r.Node = load.Failed, reason, 0
		return r
	}
	timedOut := func(seq uint64) load.Result {
		r := ok(seq)
		r.Outcome, r.Node = load.TimedOut, 0
		return r
	}
	weird := ok(2)
	weird.Outcome = load.Outcome(42)
	unsent := func(seq uint64) load.Result {
		r := ok(seq)
		r.Outcome, r.Reason, r.Node, r.Verified = load.Unsent, "not sent: load stopped (interrupt signal received)", 0, false
		return r
	}
	tests := []struct {
		name     string
		results  []load.Result
		expected int
		pass     bool
		detail   string
	}{
		{"all accounted", []load.Result{ok(0), failed(1, "refused"), timedOut(2)}, 3, true,
			"3 results for 3 issued requests: 1 ok + 1 failed + 1 timed out"},
		{"a request without a result", []load.Result{ok(0), ok(2)}, 3, false,
			"2 results for 3 issued requests: 2 ok + 0 failed + 0 timed out; 1 issued requests have no result"},
		{"a duplicate seq", []load.Result{ok(0), ok(1), ok(1)}, 2, false,
			"3 results for 2 issued requests: 3 ok + 0 failed + 0 timed out; 1 results repeat a seq"},
		{"a seq beyond the issued ones", []load.Result{ok(0), ok(7)}, 2, false,
			"2 results for 2 issued requests: 2 ok + 0 failed + 0 timed out; 1 issued requests have no result; 1 results have a seq outside 0..expected-1"},
		{"a failure without a reason", []load.Result{failed(0, "")}, 1, false,
			"1 results for 1 issued requests: 0 ok + 1 failed + 0 timed out; 1 failed results give no reason"},
		{"an unknown outcome", []load.Result{ok(0), ok(1), weird}, 3, false,
			"3 results for 3 issued requests: 2 ok + 1 failed + 0 timed out; 1 results have an unknown outcome"},
		// Issue 15: a request the load never sent is accounted as unsent, not
		// as a failure, and its result makes the ledger whole.
		{"unsent after an interrupt", []load.Result{ok(0), unsent(1), unsent(2)}, 3, true,
			"3 results for 3 issued requests: 1 ok + 0 failed + 0 timed out + 2 unsent (issued after the load stopped, never sent)"},
		{"expected count missing", []load.Result{ok(0)}, 0, false,
			"expected request count not given (0): completeness cannot be judged"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Accounted(accounting(t, tc.results...), tc.expected)
			if c.Name != "accounted" || c.Pass != tc.pass || c.Detail != tc.detail {
				t.Errorf("CheckAccounted(%d results, expected %d) = %+v\nwant pass %v, detail %q", len(tc.results), tc.expected, c, tc.pass, tc.detail)
			}
		})
	}
}

func TestEvaluateThresholds(t *testing.T) {
	s := &rundir.Summary{
		Requests:      rundir.Counts{Total: 10000, OK: 9995, Failed: 5, Lost: 5},
		SuccessRate:   0.9995,
		ThroughputRPS: 97.25,
		Bound:         &rundir.Bound{RPS: 100, Achieved: 0.9725},
		Latency:       rundir.Latency{Count: 10000, MeanMs: 512.5, P50Ms: 505, P90Ms: 530, P95Ms: 540, P99Ms: 612.3, P999Ms: 900, MaxMs: 1200},
		Faults:        rundir.FaultSummary{FailoverMs: rundir.Stats{N: 3, P50: 140, Max: 280}},
	}
	noFaults := &rundir.Summary{Requests: rundir.Counts{Total: 1, OK: 1}, SuccessRate: 1, Latency: rundir.Latency{Count: 1, P99Ms: 3}}
	empty := &rundir.Summary{}
	nan := &rundir.Summary{ThroughputRPS: math.NaN()}
	tests := []struct {
		name   string
		s      *rundir.Summary
		th     experiment.Threshold
		pass   bool
		detail string
	}{
		{"p99 missed", s, experiment.Threshold{Metric: "p99", Op: "<", Value: 550, Raw: "< 550ms"}, false, "p99 612.3 ms, want < 550 ms"},
		{"p99 met", s, experiment.Threshold{Metric: "p99", Op: "<", Value: 1000, Raw: "< 1s"}, true, "p99 612.3 ms, want < 1000 ms"},
		{"mean", s, experiment.Threshold{Metric: "mean", Op: "<=", Value: 512.5}, true, "mean 512.5 ms, want <= 512.5 ms"},
		{"p50", s, experiment.Threshold{Metric: "p50", Op: ">", Value: 505}, false, "p50 505 ms, want > 505 ms"},
		{"p90", s, experiment.Threshold{Metric: "p90", Op: "<", Value: 600}, true, "p90 530 ms, want < 600 ms"},
		{"p95", s, experiment.Threshold{Metric: "p95", Op: "<", Value: 500}, false, "p95 540 ms, want < 500 ms"},
		{"p999", s, experiment.Threshold{Metric: "p999", Op: "<", Value: 1000}, true, "p999 900 ms, want < 1000 ms"},
		{"max", s, experiment.Threshold{Metric: "max", Op: "<", Value: 1000}, false, "max 1200 ms, want < 1000 ms"},
		{"success rate met", s, experiment.Threshold{Metric: "success_rate", Op: ">=", Value: 0.999, Raw: ">= 99.9%"}, true, "success_rate 99.95%, want >= 99.9%"},
		{"success rate missed", s, experiment.Threshold{Metric: "success_rate", Op: ">=", Value: 0.9999}, false, "success_rate 99.95%, want >= 99.99%"},
		{"throughput", s, experiment.Threshold{Metric: "throughput", Op: ">=", Value: 98}, false, "throughput 97.25 req/s, want >= 98 req/s"},
		{"bound achieved", s, experiment.Threshold{Metric: "bound_achieved", Op: ">=", Value: 0.95}, true, "bound_achieved 97.25%, want >= 95%"},
		{"lost", s, experiment.Threshold{Metric: "lost", Op: "==", Value: 0}, false, "lost 5, want == 0"},
		{"failover p50", s, experiment.Threshold{Metric: "failover_p50", Op: "<=", Value: 150}, true, "failover_p50 140 ms, want <= 150 ms"},
		{"failover max", s, experiment.Threshold{Metric: "failover_max", Op: "<=", Value: 300}, true, "failover_max 280 ms, want <= 300 ms"},
		{"failover without faults", noFaults, experiment.Threshold{Metric: "failover_max", Op: "<=", Value: 300, Raw: "<= 300ms"}, false,
			`failover_max does not apply: no failover was measured (no coordinator fault took effect) (threshold "<= 300ms")`},
		{"bound in open loop", noFaults, experiment.Threshold{Metric: "bound_achieved", Op: ">=", Value: 0.98, Raw: ">= 98%"}, false,
			`bound_achieved does not apply: the run has no throughput bound (open loop or no service time) (threshold ">= 98%")`},
		{"latency of nothing", empty, experiment.Threshold{Metric: "p99", Op: "<", Value: 1, Raw: "< 1ms"}, false,
			`p99 does not apply: no request ended (threshold "< 1ms")`},
		{"success rate of nothing", empty, experiment.Threshold{Metric: "success_rate", Op: ">", Value: 0.5, Raw: "> 50%"}, false,
			`success_rate does not apply: no request was issued (threshold "> 50%")`},
		{"unknown metric", s, experiment.Threshold{Metric: "p42", Op: "<", Value: 1, Raw: "< 1ms"}, false, `unknown metric "p42" (threshold "< 1ms")`},
		{"unknown operator", s, experiment.Threshold{Metric: "p99", Op: "≈", Value: 1, Raw: "≈ 1ms"}, false, `unknown operator "≈" (threshold "≈ 1ms")`},
		{"not a number", nan, experiment.Threshold{Metric: "throughput", Op: ">", Value: 1}, false, "throughput was not measured (NaN)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := Thresholds(tc.s, []experiment.Threshold{tc.th})
			if len(cs) != 1 {
				t.Fatalf("Thresholds(%+v) gave %d checks, want 1", tc.th, len(cs))
			}
			c := cs[0]
			if c.Name != "expect "+tc.th.Metric || c.Pass != tc.pass || c.Detail != tc.detail {
				t.Errorf("Thresholds(%+v) = %+v\nwant pass %v, detail %q", tc.th, c, tc.pass, tc.detail)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	acc := accounting(t, synth.OK(0, 0, time.Millisecond, 1), synth.OK(1, 0, time.Millisecond, 2))
	a := analyzed(t, nil, synth.Steady())
	s := &rundir.Summary{Requests: rundir.Counts{Total: 2, OK: 2}, SuccessRate: 1, Latency: rundir.Latency{Count: 2, P99Ms: 1}}
	in := Input{Expected: 2, Accounting: acc, Analysis: a, Bounds: testBounds,
		Thresholds: []experiment.Threshold{{Metric: "success_rate", Op: ">=", Value: 0.999}}}
	v := Judge(s, in)
	var names []string
	for _, c := range v.Checks {
		names = append(names, c.Name)
	}
	if !v.Pass || strings.Join(names, ",") != "accounted,responses_valid,election_safety,single_coordinator,liveness,expect success_rate" {
		t.Errorf("Judge = %+v, want a pass with the six checks in order", v)
	}
	// Every check an experiment may declare an expected anomaly is one
	// Judge runs (the table checks when it is given a history).
	in.Table, _ = TableChecks(nil, TableConfig{})
	names = names[:0]
	for _, c := range Judge(s, in).Checks {
		names = append(names, c.Name)
	}
	in.Table = nil
	for _, name := range experiment.AnomalyChecks {
		if !slices.Contains(names, name) {
			t.Errorf("experiment.AnomalyChecks names %q, which Judge does not run (%v)", name, names)
		}
	}
	in.Thresholds[0].Value = 1.1
	if v := Judge(s, in); v.Pass {
		t.Errorf("Judge with a missed threshold = %+v, want a failure", v)
	}
	if v := NewVerdict(nil); v.Pass {
		t.Errorf("NewVerdict of no checks = %+v, want a failure (nothing was checked)", v)
	}
}

// testBounds are the bounds of the default configuration: 50 ms
// heartbeats, suspicion after 200 ms, periodic elections every 15 s.
var testBounds = Bounds{Agreement: AgreementBound(200*time.Millisecond, 500*time.Millisecond, 100*time.Millisecond),
	Handover: 50 * time.Millisecond, ReelectEvery: 15 * time.Second, Stall: 2 * time.Second}

// analyzed is the analysis of the concatenated event logs of a 3-node run.
func analyzed(t *testing.T, faults []fault.Fault, evs ...[]cluster.Event) *analyze.Analysis {
	t.Helper()
	a, err := analyze.Events(analyze.Config{Start: synth.T0, Nodes: 3, Faults: faults}, slices.Values(slices.Concat(evs...)))
	if err != nil {
		t.Fatalf("analysing: %v", err)
	}
	return a
}

// analyzedSorted is the analysis of the event logs merged in time order.
func analyzedSorted(t *testing.T, evs ...[]cluster.Event) *analyze.Analysis {
	t.Helper()
	all := slices.Concat(evs...)
	slices.SortStableFunc(all, func(a, b cluster.Event) int { return cmp.Compare(a.Time, b.Time) })
	return analyzed(t, nil, all)
}
