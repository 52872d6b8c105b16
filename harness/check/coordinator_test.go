package check

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/analyze"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/rundir"
)

// act is node acting as coordinator of epoch at us microseconds after the
// load start: assigning req (a reassign when reassign is set).
func act(us int64, node int, epoch uint64, req string, reassign bool) cluster.Event {
	e := cluster.Event{Time: synth.T0.Add(time.Duration(us) * time.Microsecond).UnixNano(), Node: node,
		Type: cluster.EvAssign, Epoch: epoch, Request: req, Assignee: 3}
	if reassign {
		e.Type, e.Peer = cluster.EvReassign, 1
	}
	return e
}

// reign is node assigning requests prefix-from… every 10 ms of [fromMs, toMs].
func reign(node int, epoch uint64, fromMs, toMs int, prefix string) []cluster.Event {
	var evs []cluster.Event
	for ms, n := fromMs, 0; ms <= toMs; ms, n = ms+10, n+1 {
		evs = append(evs, act(int64(ms)*1000, node, epoch, fmt.Sprintf("%s-%d", prefix, n), false))
	}
	return evs
}

// electEpoch is initiator electing winner in epoch at ms: every node follows.
func electEpoch(ms, initiator int, epoch uint64, winner int, cause string) []cluster.Event {
	return []cluster.Event{synth.Election(ms, initiator, epoch, cause), synth.Elected(ms+1, initiator, epoch, winner),
		synth.Coordinator(ms+1, 1, epoch, winner), synth.Coordinator(ms+1, 2, epoch, winner), synth.Coordinator(ms+1, 3, epoch, winner)}
}

func TestSingleCoordinator(t *testing.T) {
	// A periodic election hands over from node 1 to node 2 at 3 s.
	handover := analyzedSorted(t, synth.Steady(), reign(1, 1, 0, 2990, "c1"), electEpoch(3000, 1, 257, 2, "periodic"),
		reign(2, 257, 3010, 6000, "c2"))
	// The sitting coordinator assigns 20 ms into its successor's reign,
	// until the decision of a recovery election reaches it: a handover.
	late := analyzedSorted(t, synth.Steady(), reign(1, 1, 0, 3020, "c1"), electEpoch(2999, 3, 259, 2, "recovery"),
		reign(2, 259, 3000, 6000, "c2"))
	// Node 1 wins two elections in a row; its reigns of both epochs overlap.
	sameNode := analyzedSorted(t, synth.Steady(), reign(1, 1, 0, 3000, "c1"), electEpoch(2990, 1, 257, 1, "periodic"),
		reign(1, 257, 2995, 6000, "c2"))
	// Issue 11's SIGSTOP case: node 1 (epoch 769) is paused at 5.7 s; node
	// 2 is elected in epoch 1027 and assigns from 5.9735 s, picking up
	// c15-26 that node 1 had assigned; node 1 wakes at 6.22 s and, for 3 ms,
	// still assigns in epoch 769 — c15-27 among them, which node 2 had
	// assigned already.
	stale := analyzedSorted(t, synth.Steady(), electEpoch(100, 1, 769, 1, "periodic"),
		reign(1, 769, 200, 5590, "c1"),
		[]cluster.Event{act(5_600_000, 1, 769, "c15-26", false), synth.FaultStart(5700, 1, "pause")},
		electEpoch(5950, 3, 1027, 2, "coordinator-lost"),
		[]cluster.Event{act(5_973_500, 2, 1027, "c15-27", false), act(5_974_000, 2, 1027, "c15-26", true)},
		reign(2, 1027, 5980, 8000, "c2"),
		[]cluster.Event{synth.FaultEnd(6220, 1, "pause"),
			act(6_220_100, 1, 769, "c15-28", false), act(6_221_000, 1, 769, "c15-27", false), act(6_223_300, 1, 769, "c15-29", false),
			synth.Coordinator(6224, 1, 1027, 2)})
	// A partition: node 1 keeps serving the clients that reach it while
	// nodes 2 and 3 elect node 2, for 4 s.
	partition := analyzedSorted(t, synth.Steady(), reign(1, 1, 0, 6000, "c1"), electEpoch(2000, 3, 259, 2, "coordinator-lost")[:3],
		[]cluster.Event{synth.Coordinator(2001, 2, 259, 2)}, reign(2, 259, 2010, 6000, "c2"))

	tests := []struct {
		name   string
		a      *analyze.Analysis
		pass   bool
		detail string
		ev     []rundir.Evidence
	}{
		{"a clean handover", handover, true, "2 reigns of 2 nodes; 0 overlaps within the handover tolerance of 50 ms", nil},
		{"a late assign within the tolerance", late, true, "2 reigns of 2 nodes; 1 overlaps within the handover tolerance of 50 ms (longest 20 ms)", nil},
		{"one node in two epochs", sameNode, true, "2 reigns of 1 nodes; 0 overlaps within the handover tolerance of 50 ms", nil},
		{"a woken coordinator in its stale epoch", stale, false,
			"2 reigns of 2 nodes; 0 overlaps within the handover tolerance of 50 ms; 1 beyond it, want 0; node 1 (epoch 769) and node 2 (epoch 1027) both acted as coordinator from 5.973s to 6.223s (249.8 ms): 1 requests assigned by both (c15-27)",
			[]rundir.Evidence{{Kind: rundir.EvidenceOverlap, FromS: 5.9735, ToS: 6.2233, Nodes: []int{1, 2}, Epochs: []uint64{769, 1027},
				Count: 1, Requests: []string{"c15-27"}, Limit: 0.05}}},
		{"a partition", partition, false,
			"2 reigns of 2 nodes; 0 overlaps within the handover tolerance of 50 ms; 1 beyond it, want 0; node 1 (epoch 1) and node 2 (epoch 259) both acted as coordinator from 2.010s to 6.000s (3990 ms): 0 requests assigned by both",
			[]rundir.Evidence{{Kind: rundir.EvidenceOverlap, FromS: 2.01, ToS: 6, Nodes: []int{1, 2}, Epochs: []uint64{1, 259}, Limit: 0.05}}},
		{"no analysis", nil, false, "no event analysis given", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := SingleCoordinator(tc.a, 50*time.Millisecond)
			if c.Name != "single_coordinator" || c.Pass != tc.pass || c.Detail != tc.detail {
				t.Errorf("SingleCoordinator = %+v\nwant pass %v, detail %q", c, tc.pass, tc.detail)
			}
			if !reflect.DeepEqual(roundEvidence(c.Evidence), tc.ev) {
				t.Errorf("evidence = %+v\nwant %+v", c.Evidence, tc.ev)
			}
		})
	}
	if c := SingleCoordinator(stale, time.Second); !c.Pass || !strings.Contains(c.Detail, "1 overlaps within the handover tolerance of 1000 ms (longest 249.8 ms)") {
		t.Errorf("with a 1 s tolerance: %+v, want a pass that counts the overlap", c)
	}
}

func TestElectionSafety(t *testing.T) {
	safe := analyzed(t, nil, synth.Steady())
	split := analyzed(t, nil, synth.Steady(), []cluster.Event{synth.Coordinator(1000, 2, 2, 2), synth.Coordinator(1001, 3, 2, 3)})
	tests := []struct {
		name   string
		a      *analyze.Analysis
		pass   bool
		detail string
		ev     []rundir.Evidence
	}{
		{"one coordinator per epoch", safe, true, "1 elections, max epoch 1, 0 epochs with more than one coordinator", nil},
		{"two coordinators in epoch 2", split, false,
			"1 elections, max epoch 2, 1 epochs with more than one coordinator; epoch 2 named [2 3] (first at 1.001s)",
			[]rundir.Evidence{{Kind: rundir.EvidenceEpochConflict, FromS: 1.001, ToS: 1.001, Nodes: []int{2, 3}, Epochs: []uint64{2}}}},
		{"no analysis", nil, false, "no event analysis given", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ElectionSafety(tc.a)
			if c.Name != "election_safety" || c.Pass != tc.pass || c.Detail != tc.detail || !reflect.DeepEqual(roundEvidence(c.Evidence), tc.ev) {
				t.Errorf("ElectionSafety = %+v, want pass %v, detail %q, evidence %+v", c, tc.pass, tc.detail, tc.ev)
			}
		})
	}
}

// roundEvidence rounds times to the microsecond, so float seconds compare.
func roundEvidence(evs []rundir.Evidence) []rundir.Evidence {
	r := func(s float64) float64 {
		return float64(time.Duration(s*1e9).Round(time.Microsecond).Microseconds()) / 1e6
	}
	for i := range evs {
		evs[i].FromS, evs[i].ToS, evs[i].Limit = r(evs[i].FromS), r(evs[i].ToS), r(evs[i].Limit)
	}
	return evs
}
