package check

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/analyze"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/rundir"
)

// completions are complete events every step ms in [fromMs, toMs), by the
// nodes in turn, of requests cP-n.
func completions(fromMs, toMs, step int, prefix string) []cluster.Event {
	var evs []cluster.Event
	for ms, n := fromMs, 0; ms < toMs; ms, n = ms+step, n+1 {
		e := synth.Ev(ms, 1+n%3, cluster.EvComplete)
		e.Request = fmt.Sprintf("%s-%d", prefix, n)
		evs = append(evs, e)
	}
	return evs
}

// run10s is load offered from 0 to 10 s and the cluster stopping at 10.1 s.
func run10s(evs ...[]cluster.Event) []cluster.Event {
	return append(append([]cluster.Event{synth.Ev(0, 0, cluster.EvLoadStart)}, slices.Concat(evs...)...),
		synth.Ev(10000, 0, cluster.EvLoadStop), synth.Stop(10100, 1, nil), synth.Stop(10100, 2, nil), synth.Stop(10100, 3, nil))
}

// netFault is the harness cutting (or slowing) the network.
func netFault(ms int, start bool, kind string) cluster.Event {
	e := synth.Ev(ms, 0, cluster.EvNetFaultEnd)
	if start {
		e.Type = cluster.EvNetFaultStart
	}
	e.Kind = kind
	return e
}

func TestLiveness(t *testing.T) {
	healthy := analyzedSorted(t, synth.Steady(), run10s(completions(50, 10000, 100, "c1")))
	// Node 2 crashes at 1 s and is back at 2 s; after its recovery election
	// nodes 1 and 2 keep deposing each other every 300 ms.
	crash := []cluster.Event{synth.FaultStart(1000, 2, "crash"), synth.Exit(1001, 2, "killed"), synth.FaultEnd(2000, 2, "crash"),
		synth.Start(2040, 2, "Recovering"), synth.State(2540, 2, "Active")}
	flips := slices.Concat(crash, electEpoch(2600, 2, 514, 2, "recovery"))
	for i, ms := 0, 2900; ms < 9800; i, ms = i+1, ms+300 {
		winner := 1 + i%2
		flips = append(flips, electEpoch(ms, winner, uint64(3+i)<<8|uint64(winner), winner, "coordinator-lost")...)
	}
	flipFlop := analyzedSorted(t, synth.Steady(), run10s(completions(50, 10000, 100, "c1"), flips))
	// Every node is up, load is offered, nothing completes for 3 s.
	stall := analyzedSorted(t, synth.Steady(), run10s(completions(50, 3000, 100, "c1"), completions(6000, 10000, 100, "c2")))
	// The same 3 s, but only node 1 is up (2 and 3 are silent): a minority.
	minority := analyzedSorted(t, synth.Steady(), run10s(completions(50, 3000, 100, "c1"), completions(6050, 10000, 100, "c2"),
		[]cluster.Event{synth.FaultStart(2990, 2, "silent"), synth.FaultStart(2995, 3, "silent"),
			synth.FaultEnd(6000, 2, "silent"), synth.FaultEnd(6000, 3, "silent")}))
	// The same 3 s under a network partition: connectivity is not judged.
	partitioned := analyzedSorted(t, synth.Steady(), run10s(completions(50, 3000, 100, "c1"), completions(6050, 10000, 100, "c2"),
		[]cluster.Event{netFault(2990, true, "partition"), netFault(6000, false, "partition")}))
	// ... but a slow network still connects the nodes.
	slow := analyzedSorted(t, synth.Steady(), run10s(completions(50, 3000, 100, "c1"), completions(6050, 10000, 100, "c2"),
		[]cluster.Event{netFault(2990, true, "latency"), netFault(6000, false, "latency")}))
	// Node 2 comes back at 2 s and never follows anybody.
	never := analyzedSorted(t, synth.Steady(), run10s(completions(50, 10000, 100, "c1"), crash))

	tests := []struct {
		name  string
		a     *analyze.Analysis
		b     Bounds
		pass  bool
		parts []string // substrings of the detail
		ev    []rundir.Evidence
	}{
		{"healthy", healthy, testBounds, true, []string{
			"live nodes [1 2 3] followed node 1 101 ms after the last membership change at -1.000s, want ≤ 1600 ms",
			"0 elections in the 10.999 s after that, want ≤ 3 (periodic every 15 s), 0 per minute",
			"longest time without a completion while a majority was live and connected under load: 100 ms from ",
		}, nil},
		{"flip-flop after the heal", flipFlop, testBounds, false, []string{
			"followed node 2 561 ms after the last membership change at 2.040s",
			"23 elections in the 7499 ms after that, want ≤ 3 (periodic every 15 s), 184.025 per minute: flip-flop",
		}, []rundir.Evidence{{Kind: rundir.EvidenceFlipFlop, FromS: 2.601, ToS: 10.1, Count: 23, Limit: 3}}},
		{"periodic elections are not a flip-flop", flipFlop, Bounds{Agreement: time.Second, Stall: time.Second, ReelectEvery: 300 * time.Millisecond}, true,
			[]string{"23 elections in the 7499 ms after that, want ≤ 27 (periodic every 300 ms)"}, nil},
		{"no completion for 3 s with every node up", stall, testBounds, false,
			[]string{"longest time without a completion while a majority was live and connected under load: 3050 ms from 2.950s, want ≤ 2000 ms"},
			[]rundir.Evidence{{Kind: rundir.EvidenceNoCompletions, FromS: 2.95, ToS: 6, Limit: 2}}},
		{"a minority only", minority, testBounds, true,
			[]string{"live nodes [1 2 3] followed node 1 0 ms after the last membership change at 6.000s",
				"longest time without a completion while a majority was live and connected under load: 100 ms"}, nil},
		{"a partition", partitioned, testBounds, true,
			[]string{"after the last membership change at 6.000s", "longest time without a completion while a majority was live and connected under load: 100 ms"}, nil},
		{"a slow network", slow, testBounds, false,
			[]string{"longest time without a completion while a majority was live and connected under load: 3100 ms from 2.950s"},
			[]rundir.Evidence{{Kind: rundir.EvidenceNoCompletions, FromS: 2.95, ToS: 6.05, Limit: 2}}},
		{"never agreed", never, testBounds, false,
			[]string{"live nodes [1 2 3] never followed one live coordinator in the 8060 ms after the last membership change at 2.040s (they followed [1→1 2→0 3→1]; want agreement within 1600 ms)"},
			[]rundir.Evidence{{Kind: rundir.EvidenceNoAgreement, FromS: 2.04, ToS: 10.1, Nodes: []int{1, 2, 3}, Limit: 1.6}}},
		{"agreed too slowly", flipFlop, Bounds{Agreement: 500 * time.Millisecond, Stall: time.Second, ReelectEvery: 300 * time.Millisecond}, false,
			[]string{"followed node 2 561 ms after the last membership change at 2.040s, want ≤ 500 ms"},
			[]rundir.Evidence{{Kind: rundir.EvidenceSlowAgreement, FromS: 2.04, ToS: 2.601, Nodes: []int{2}, Limit: 0.5}}},
		{"no bounds", healthy, Bounds{}, false, []string{"bounds not given"}, nil},
		{"no analysis", nil, testBounds, false, []string{"no event analysis given"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Liveness(tc.a, tc.b)
			if c.Name != "liveness" || c.Pass != tc.pass {
				t.Errorf("Liveness = %+v, want pass %v", c, tc.pass)
			}
			for _, p := range tc.parts {
				if !strings.Contains(c.Detail, p) {
					t.Errorf("detail %q\nlacks %q", c.Detail, p)
				}
			}
			if !reflect.DeepEqual(roundEvidence(c.Evidence), tc.ev) {
				t.Errorf("evidence = %+v\nwant %+v", c.Evidence, tc.ev)
			}
		})
	}
}

func TestFlipFlopBound(t *testing.T) {
	for _, c := range []struct {
		settled, every time.Duration
		want           int
	}{
		{3 * time.Second, 15 * time.Second, 3},
		{30 * time.Second, 15 * time.Second, 5},
		{time.Minute, 0, 2},
	} {
		if got := FlipFlopBound(c.settled, c.every); got != c.want {
			t.Errorf("FlipFlopBound(%v, %v) = %d, want %d", c.settled, c.every, got, c.want)
		}
	}
}
