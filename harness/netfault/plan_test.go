package netfault

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// topo3 is three nodes and two clients.
var topo3 = Topology{Nodes: []int{1, 2, 3}, Clients: 2}

// short writes flows as "n1>n2 c1>n3 …" so expectations fit on a line.
func short(fs []Flow) string {
	e := func(x Endpoint) string {
		if x.Client {
			return fmt.Sprintf("c%d", x.ID)
		}
		return fmt.Sprintf("n%d", x.ID)
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = e(f.From) + ">" + e(f.To)
	}
	return strings.Join(parts, " ")
}

func TestComputeHeld(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name   string
		faults []Fault
		held   string
	}{
		{"no fault", nil, ""},
		{"partition 1 | 2 3", []Fault{Partition{Groups: [][]int{{1}, {2, 3}}}},
			"n1>n2 n1>n3 n2>n1 n3>n1"},
		{"partition leaves unnamed node 3 connected", []Fault{Partition{Groups: [][]int{{1}, {2}}}},
			"n1>n2 n2>n1"},
		{"partition with clients on sides",
			[]Fault{Partition{Groups: [][]int{{1}, {2, 3}}, Clients: [][]int{{1}, {2}}}},
			"n1>n2 n1>n3 n1>c2 n2>n1 n2>c1 n3>n1 n3>c1 c1>n2 c1>n3 c2>n1"},
		{"client on a side still reaches an unnamed node",
			[]Fault{Partition{Groups: [][]int{{1}, {2}}, Clients: [][]int{{1}}}},
			"n1>n2 n2>n1 n2>c1 c1>n2"},
		{"client on the second side only",
			[]Fault{Partition{Groups: [][]int{{1}, {2, 3}}, Clients: [][]int{{}, {2}}}},
			"n1>n2 n1>n3 n1>c2 n2>n1 n3>n1 c2>n1"},
		{"bridge 1 | 2 via 3", []Fault{Bridge{A: []int{1}, B: []int{2}, Via: 3}}, "n1>n2 n2>n1"},
		{"one-way 1 to 2", []Fault{OneWay{From: []int{1}, To: []int{2}}}, "n1>n2"},
		{"one-way 1 to 2 and 3", []Fault{OneWay{From: []int{1}, To: []int{2, 3}}}, "n1>n2 n1>n3"},
		{"latency holds nothing", []Fault{Latency{Delay: 50 * ms}}, ""},
		{"reset holds nothing", []Fault{Reset{}}, ""},
		{"overlapping faults: union of held flows", []Fault{
			OneWay{From: []int{1}, To: []int{2}},
			Partition{Groups: [][]int{{3}, {1, 2}}},
			Latency{Delay: ms},
		}, "n1>n2 n1>n3 n2>n3 n3>n1 n3>n2"},
		{"the same fault twice is the fault once", []Fault{
			OneWay{From: []int{2}, To: []int{3}}, OneWay{From: []int{2}, To: []int{3}},
		}, "n2>n3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compute(topo3, tt.faults...)
			if err != nil {
				t.Fatalf("Compute(%v): %v", tt.faults, err)
			}
			if got := short(p.Held()); got != tt.held {
				t.Errorf("held flows of %v:\n got  %q\n want %q", tt.faults, got, tt.held)
			}
		})
	}
}

// A one-way cut must gate the right direction on both proxies of the pair:
// node 2's bytes to node 1 travel on 2's own link (Up) and as answers on 1's
// link to 2 (Down).
func TestOneWayGatesBothProxies(t *testing.T) {
	p, err := Compute(topo3, OneWay{From: []int{2}, To: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	hold := Gate{Hold: true}
	tests := []struct {
		link     Link
		up, down Gate
	}{
		{Link{Node(2), 1}, hold, Gate{}},
		{Link{Node(1), 2}, Gate{}, hold},
		{Link{Node(1), 3}, Gate{}, Gate{}},
		{Link{Node(3), 1}, Gate{}, Gate{}},
		{Link{Client(1), 1}, Gate{}, Gate{}},
	}
	for _, tt := range tests {
		up, down := p.Gates(tt.link)
		if up != tt.up || down != tt.down {
			t.Errorf("Gates(%s) = up %+v, down %+v; want up %+v, down %+v", tt.link, up, down, tt.up, tt.down)
		}
	}
}

func TestComputeGates(t *testing.T) {
	ms := time.Millisecond
	n12, n21, c1n2 := Flow{Node(1), Node(2)}, Flow{Node(2), Node(1)}, Flow{Client(1), Node(2)}
	tests := []struct {
		name   string
		faults []Fault
		flow   Flow
		want   Gate
	}{
		{"latency on all peer flows", []Fault{Latency{Delay: 50 * ms, Jitter: 20 * ms}}, n21,
			Gate{Delay: 50 * ms, Jitter: 20 * ms}},
		{"latency on all peer flows spares clients", []Fault{Latency{Delay: 50 * ms}}, c1n2, Gate{}},
		{"latency on a chosen flow", []Fault{Latency{Delay: 5 * ms, Flows: []Flow{c1n2}}}, c1n2,
			Gate{Delay: 5 * ms}},
		{"latency on a chosen flow spares its reverse", []Fault{Latency{Delay: 5 * ms, Flows: []Flow{n12}}}, n21,
			Gate{}},
		{"latency during a partition: held with delay", []Fault{
			Latency{Delay: 9 * ms, Bandwidth: 1000}, Partition{Groups: [][]int{{1}, {2}}},
		}, n12, Gate{Hold: true, Delay: 9 * ms, Bandwidth: 1000}},
		{"two latencies: larger delay and jitter, smaller bandwidth", []Fault{
			Latency{Delay: 10 * ms, Jitter: 1 * ms, Bandwidth: 5000},
			Latency{Delay: 3 * ms, Jitter: 4 * ms, Bandwidth: 2000},
			Latency{Delay: 1 * ms},
		}, n12, Gate{Delay: 10 * ms, Jitter: 4 * ms, Bandwidth: 2000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compute(topo3, tt.faults...)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Gate(tt.flow); got != tt.want {
				t.Errorf("Gate(%s) = %+v, want %+v", tt.flow, got, tt.want)
			}
			// Order of the faults must not matter.
			rev := slices.Clone(tt.faults)
			slices.Reverse(rev)
			q, _ := Compute(topo3, rev...)
			if got := q.Gate(tt.flow); got != tt.want {
				t.Errorf("reversed: Gate(%s) = %+v, want %+v", tt.flow, got, tt.want)
			}
		})
	}
}

func TestComputeRefused(t *testing.T) {
	tests := []struct {
		name    string
		fault   Reset
		refused []Link
	}{
		{"all peer links", Reset{}, []Link{
			{Node(1), 2}, {Node(1), 3}, {Node(2), 1}, {Node(2), 3}, {Node(3), 1}, {Node(3), 2},
		}},
		{"one pair: both proxies", Reset{Flows: []Flow{{Node(3), Node(1)}}}, []Link{{Node(1), 3}, {Node(3), 1}}},
		{"a client link", Reset{Flows: []Flow{{Node(2), Client(1)}}}, []Link{{Client(1), 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compute(topo3, tt.fault)
			if err != nil {
				t.Fatal(err)
			}
			var got []Link
			for _, l := range topo3.Links() {
				if p.Refused(l) {
					got = append(got, l)
				}
			}
			if !slices.Equal(got, tt.refused) {
				t.Errorf("refused links of %+v:\n got  %v\n want %v", tt.fault, got, tt.refused)
			}
		})
	}
}

func TestComputeRejects(t *testing.T) {
	var nilPartition *Partition
	tests := []struct {
		name    string
		fault   Fault
		unknown bool // also ErrUnknownNode
	}{
		{"nil", nil, false},
		{"typed nil", nilPartition, false},
		{"partition with one group", Partition{Groups: [][]int{{1, 2, 3}}}, false},
		{"partition with an empty group", Partition{Groups: [][]int{{1}, {}}}, false},
		{"partition with a node twice", Partition{Groups: [][]int{{1, 2}, {2, 3}}}, false},
		{"partition with an unknown node", Partition{Groups: [][]int{{1}, {4}}}, true},
		{"partition with an unknown client", Partition{Groups: [][]int{{1}, {2}}, Clients: [][]int{{3}}}, true},
		{"partition with a client twice", Partition{Groups: [][]int{{1}, {2}}, Clients: [][]int{{1}, {1}}}, false},
		{"partition with more client sides than groups",
			Partition{Groups: [][]int{{1}, {2}}, Clients: [][]int{{1}, {2}, {}}}, false},
		{"bridge with an empty side", Bridge{A: []int{1}, Via: 3}, false},
		{"bridge via a cut node", Bridge{A: []int{1}, B: []int{2}, Via: 2}, false},
		{"bridge via an unknown node", Bridge{A: []int{1}, B: []int{2}, Via: 0}, true},
		{"one-way to itself", OneWay{From: []int{1}, To: []int{1}}, false},
		{"one-way without to", OneWay{From: []int{1}}, false},
		{"latency of nothing", Latency{}, false},
		{"negative delay", Latency{Delay: -1}, false},
		{"negative bandwidth", Latency{Delay: 1, Bandwidth: -1}, false},
		{"latency on a node to itself", Latency{Delay: 1, Flows: []Flow{{Node(1), Node(1)}}}, false},
		{"latency between clients", Latency{Delay: 1, Flows: []Flow{{Client(1), Client(2)}}}, false},
		{"reset of an unknown node", Reset{Flows: []Flow{{Node(1), Node(9)}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(topo3, tt.fault)
			if !errors.Is(err, ErrBadFault) {
				t.Fatalf("Compute(%#v) = %v, want ErrBadFault", tt.fault, err)
			}
			if tt.unknown != errors.Is(err, ErrUnknownNode) {
				t.Errorf("Compute(%#v) = %v: ErrUnknownNode %v, want %v", tt.fault, err, !tt.unknown, tt.unknown)
			}
		})
	}
}
