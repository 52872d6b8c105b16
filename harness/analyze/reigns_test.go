package analyze

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/internal/synth"
)

func assignIn(ms, node int, epoch uint64, req string) cluster.Event {
	e := synth.Assign(ms, node, req, 3, nil)
	e.Epoch = epoch
	return e
}

// TestReignsAndOverlaps: a reign is a node's first to last coordinator
// action in an epoch; reigns of different nodes that share time overlap, and
// a request both assigned inside the overlap is counted once however often
// it went back and forth.
func TestReignsAndOverlaps(t *testing.T) {
	re := assignIn(1600, 2, 259, "c1-5")
	re.Type = cluster.EvReassign
	a := analyzeRun(t, nil, synth.Steady(), []cluster.Event{
		assignIn(0, 1, 1, "c1-1"), assignIn(500, 1, 1, "c1-2"), // c1-2: assigned before the overlap
		assignIn(1000, 2, 259, "c1-2"), assignIn(1100, 2, 259, "c1-3"),
		assignIn(1200, 1, 1, "c1-3"), assignIn(1300, 2, 259, "c1-3"), // back and forth: one request
		assignIn(1400, 1, 1, "c1-4"), assignIn(1500, 1, 1, "c1-5"),
		re, // a reassign is an action too; c1-5 again, after node 1's last action: outside the overlap
		assignIn(1700, 1, 257, "c1-6"),
	})
	want := []Reign{
		{Node: 1, Epoch: 1, First: 0, Last: 1500 * time.Millisecond, Actions: 5},
		{Node: 2, Epoch: 259, First: time.Second, Last: 1600 * time.Millisecond, Actions: 4},
		{Node: 1, Epoch: 257, First: 1700 * time.Millisecond, Last: 1700 * time.Millisecond, Actions: 1},
	}
	if !reflect.DeepEqual(a.Reigns, want) {
		t.Errorf("reigns =\n%+v\nwant\n%+v", a.Reigns, want)
	}
	if len(a.Overlaps) != 1 {
		t.Fatalf("overlaps = %+v, want one", a.Overlaps)
	}
	o := a.Overlaps[0]
	if o.A.Node != 1 || o.B.Node != 2 || o.From != time.Second || o.To != 1500*time.Millisecond || o.Both != 1 ||
		!reflect.DeepEqual(o.Requests, []string{"c1-3"}) {
		t.Errorf("overlap = %+v, want nodes 1 and 2 from 1 s to 1.5 s, c1-3 assigned by both", o)
	}
}

// TestNetworkFaultsAndNodeNotices: the harness's network-fault events are
// read for node 0 and count as membership changes and heals; the nodes' own
// refusals (stall, fenced, reject, election_backoff) are known, not warned
// about.
func TestNetworkFaultsAndNodeNotices(t *testing.T) {
	ev := func(ms, node int, typ cluster.EventType, kind string) cluster.Event {
		e := synth.Ev(ms, node, typ)
		e.Kind = kind
		return e
	}
	a := analyzeRun(t, nil, synth.Steady(), []cluster.Event{
		synth.NetFaultStart(1000, 1, "partition", time.Second, []int{1}, []int{2, 3}), ev(1100, 1, cluster.EvStall, ""), ev(1200, 2, cluster.EvFenced, ""),
		ev(1300, 3, cluster.EvReject, ""), ev(1400, 3, cluster.EvElectionBackoff, ""),
		synth.NetFaultEnd(2000, 1, "partition", []int{1}, []int{2, 3}), synth.NetFaultStart(2500, 2, "latency", 500*time.Millisecond), synth.NetFaultEnd(3000, 2, "latency"),
	})
	// No fault list is given here, so the count cross-check may speak; no
	// event type may be unknown.
	for _, w := range a.Warnings {
		if strings.Contains(w, "unknown") || strings.Contains(w, "net section") {
			t.Errorf("warning %q, want none about event types", w)
		}
	}
	l := a.Liveness
	if l.NetFaults != 2 || !l.Healed || l.Heal != 3*time.Second || a.Agreement.Reference != 3*time.Second {
		t.Errorf("liveness %+v, agreement reference %v: want 2 network faults, healed at 3 s", l, a.Agreement.Reference)
	}
}
