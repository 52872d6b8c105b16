package rundir

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
)

func TestDigestNetFaults(t *testing.T) {
	part := &cluster.NetFault{ID: 1, Groups: [][]int{{1}, {2, 3}}}
	lat := &cluster.NetFault{ID: 2, Delay: 100 * time.Millisecond}
	start := func(ms int, kind string, n *cluster.NetFault, d time.Duration) cluster.Event {
		return ev(ms, cluster.Event{Type: cluster.EvNetFaultStart, Kind: kind, Duration: d, Net: n, Reason: kind + " words"})
	}
	end := func(ms int, kind string, n *cluster.NetFault) cluster.Event {
		return ev(ms, cluster.Event{Type: cluster.EvNetFaultEnd, Kind: kind, Net: n})
	}
	w := func(kind string, n *cluster.NetFault, from, to int) NetFaultWindow {
		return NetFaultWindow{Kind: kind, What: kind + " words", Start: at(from), End: at(to), Net: *n, Source: "events"}
	}
	tests := []struct {
		name    string
		events  []cluster.Event
		want    []NetFaultWindow
		warning string
	}{
		{"overlapping, paired by id", []cluster.Event{start(1000, "partition", part, 4*time.Second), start(2000, "latency", lat, time.Second),
			end(3000, "latency", lat), end(5000, "partition", part)},
			[]NetFaultWindow{w("partition", part, 1000, 5000), w("latency", lat, 2000, 3000)}, ""},
		{"a one-shot reset", []cluster.Event{start(1000, "reset", &cluster.NetFault{ID: 3}, 0), end(1000, "reset", &cluster.NetFault{ID: 3})},
			[]NetFaultWindow{w("reset", &cluster.NetFault{ID: 3}, 1000, 1000)}, ""},
		{"end without start", []cluster.Event{end(1000, "partition", part)}, nil, "without a net_fault_start"},
		{"never ended", []cluster.Event{start(1000, "partition", part, 2*time.Second), ev(9000, cluster.Event{Node: 1, Type: cluster.EvLoad})},
			[]NetFaultWindow{w("partition", part, 1000, 3000)}, "has no net_fault_end"},
		{"no net section", []cluster.Event{ev(1000, cluster.Event{Type: cluster.EvNetFaultStart, Kind: "reset"})}, nil, "without its net section"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := digestOf(tc.events)
			if !reflect.DeepEqual(d.NetFaults, tc.want) {
				t.Errorf("net faults:\n got %+v\nwant %+v", d.NetFaults, tc.want)
			}
			if got := strings.Join(d.Warnings, "\n"); (tc.warning == "") != (got == "") || !strings.Contains(got, tc.warning) {
				t.Errorf("warnings %q, want one containing %q", got, tc.warning)
			}
			if len(d.Faults) != 0 {
				t.Errorf("network faults leaked into the node fault windows: %+v", d.Faults)
			}
		})
	}
}

// Without net_fault events the windows come from the schedule: resolved
// faults with their nodes, suppressed ones left out.
func TestNetFaultWindowsFromSchedule(t *testing.T) {
	origin := at(0)
	d := &Run{Origin: origin, Schedule: []fault.Fault{
		{At: time.Second, Node: 2, Kind: "crash", For: time.Second},
		{At: 2 * time.Second, Kind: "partition", For: 3 * time.Second, Net: &fault.Net{Groups: [][]experiment.NodeSelector{{1}, {2, 3}}}},
		{At: 6 * time.Second, Kind: "bridge", For: time.Second, Selector: "coordinator", Suppressed: "no coordinator",
			Net: &fault.Net{Groups: [][]experiment.NodeSelector{{1}, {2}}, Via: experiment.SelectCoordinator}},
	}}
	got := d.NetFaultWindows()
	want := []NetFaultWindow{{Kind: "partition", What: "partition [1] | [2 3]", Start: at(2000), End: at(5000),
		Net: cluster.NetFault{Groups: [][]int{{1}, {2, 3}}}, Source: "schedule"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NetFaultWindows = %+v, want %+v", got, want)
	}
	if fw := d.FaultWindows(); len(fw) != 1 || fw[0].Node != 2 {
		t.Errorf("FaultWindows = %+v, want node 2's crash only", fw)
	}
}
