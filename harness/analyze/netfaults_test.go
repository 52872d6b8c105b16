package analyze

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/rundir"
)

// A partition isolates the coordinator (node 1) from 1 s to 3 s: nodes 2
// and 3 elect node 2 meanwhile, node 1 keeps following itself. The heal is
// a change of connectivity, so agreement is measured from it: node 1 follows
// node 2 100 ms after the heal.
func TestAnalyzeNetworkPartition(t *testing.T) {
	part := fault.Fault{At: time.Second, Kind: experiment.FaultPartition, For: 2 * time.Second, Selector: "coordinator",
		Net: &fault.Net{Groups: [][]experiment.NodeSelector{{1}, {2, 3}}}}
	crash := fault.Fault{At: 5 * time.Second, Node: 3, Kind: experiment.FaultCrash, For: time.Second}
	events := []cluster.Event{
		synth.NetFaultStart(1000, 1, "partition", 2*time.Second, []int{1}, []int{2, 3}),
		synth.Suspect(1300, 2, 1), synth.Election(1310, 2, 2<<8|2, "coordinator-lost"), synth.Elected(1400, 2, 2<<8|2, 2),
		synth.Coordinator(1400, 2, 2<<8|2, 2), synth.Coordinator(1401, 3, 2<<8|2, 2),
		synth.NetFaultEnd(3000, 1, "partition", []int{1}, []int{2, 3}),
		synth.Coordinator(3100, 1, 2<<8|2, 2),
		synth.FaultStart(5000, 3, "crash"), synth.Exit(5001, 3, "killed"), synth.FaultEnd(6000, 3, "crash"),
		synth.Start(6010, 3, "Recovering"), synth.State(6500, 3, "Active"), synth.Coordinator(6500, 3, 2<<8|2, 2),
	}
	a := analyzeRun(t, []fault.Fault{part, crash}, synth.Steady(), events)
	want := []NetFault{{ID: 1, Kind: "partition", At: time.Second, End: 3 * time.Second, Groups: [][]int{{1}, {2, 3}}}}
	if !reflect.DeepEqual(a.NetFaults, want) {
		t.Errorf("NetFaults = %+v, want %+v", a.NetFaults, want)
	}
	if heal, ok := a.LastHeal(); !ok || heal != 3*time.Second {
		t.Errorf("LastHeal = %v, %v; want 3s", heal, ok)
	}
	// The crash came later, so agreement counts from node 3's restart; but
	// with the crash left out, it counts from the heal.
	if a.Agreement.Reference != synth.Ms(6010) || !a.Agreement.Reached || a.Agreement.Coordinator != 2 {
		t.Errorf("agreement = %+v, want reached on node 2 after node 3's restart", a.Agreement)
	}
	b := analyzeRun(t, []fault.Fault{part}, synth.Steady(), events[:8])
	if g := b.Agreement; g.Reference != synth.Ms(3000) || !g.Reached || g.After != synth.Ms(100) || g.Coordinator != 2 {
		t.Errorf("agreement after the heal = %+v, want reached 100ms after the heal at 3s, on node 2", g)
	}
	var s rundir.Summary
	a.Summarize(&s)
	f := s.Faults
	if f.Injected != 2 || f.ByKind["partition"] != 1 || f.ByKind["crash"] != 1 || f.MeanDownS != 1 {
		t.Errorf("fault summary = %+v; want 2 injected (a partition and a crash), mean down 1s (the crash only)", f)
	}
	if len(f.Network) != 1 || f.Network[0].What != "partition [1] | [2 3]" || f.Network[0].AtS != 1 || f.Network[0].ForS != 2 {
		t.Errorf("network faults in the summary = %+v", f.Network)
	}
	if d := a.Nodes[0].DownS; d != 0 {
		t.Errorf("node 1 counted %vs down for a partition; a network fault takes no node down", d)
	}
	for _, w := range a.Warnings {
		if strings.Contains(w, "fault_start") {
			t.Errorf("unexpected warning: %s", w)
		}
	}
}

func TestNetFaultCut(t *testing.T) {
	cases := []struct {
		f        NetFault
		cut, not [][2]int
	}{
		{NetFault{Kind: "partition", Groups: [][]int{{1}, {2, 3}}}, [][2]int{{1, 2}, {2, 1}, {3, 1}}, [][2]int{{2, 3}, {1, 4}}},
		{NetFault{Kind: "bridge", Groups: [][]int{{1}, {2}}, Via: 3}, [][2]int{{1, 2}, {2, 1}}, [][2]int{{1, 3}, {3, 2}}},
		{NetFault{Kind: "one-way", Groups: [][]int{{1}, {2, 3}}}, [][2]int{{1, 2}, {1, 3}}, [][2]int{{2, 1}, {2, 3}}},
		{NetFault{Kind: "latency"}, nil, [][2]int{{1, 2}}},
	}
	for _, tc := range cases {
		for _, p := range tc.cut {
			if !tc.f.Cut(p[0], p[1]) {
				t.Errorf("%s %v: %d → %d not cut", tc.f.Kind, tc.f.Groups, p[0], p[1])
			}
		}
		for _, p := range tc.not {
			if tc.f.Cut(p[0], p[1]) {
				t.Errorf("%s %v: %d → %d cut", tc.f.Kind, tc.f.Groups, p[0], p[1])
			}
		}
	}
}

// Unmatched and unannounced network fault events are warned about, never
// an error: the log is still measured.
func TestAnalyzeNetworkFaultOddities(t *testing.T) {
	a := analyzeRun(t, nil, synth.Steady(), []cluster.Event{
		synth.NetFaultEnd(500, 7, "reset"),
		synth.NetFaultStart(1000, 2, "latency", time.Second),
		synth.Load(4000, 1, 0.5, nil),
	})
	want := []string{"net_fault_end of network fault 7", "network fault 2 (latency) started at 1.000s has no net_fault_end",
		"the log has 1 net_fault_start events but the fault list has 0 network faults"}
	for _, w := range want {
		if !strings.Contains(strings.Join(a.Warnings, "\n"), w) {
			t.Errorf("warnings %q lack %q", a.Warnings, w)
		}
	}
	if len(a.NetFaults) != 1 || a.NetFaults[0].End != 4*time.Second || !a.NetFaults[0].Open {
		t.Errorf("open fault = %+v, want drawn until the log's end (4s)", a.NetFaults)
	}
}
