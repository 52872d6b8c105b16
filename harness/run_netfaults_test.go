package harness

import (
	"bytes"
	"context"
	"net"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/netfault"
	"stegocloud/harness/rundir"
)

func (a *fakeActor) ApplyNet(f netfault.Fault) (netfault.FaultID, error) {
	return 7, a.note("apply %s %+v", f.Kind(), f)
}
func (a *fakeActor) RemoveNet(id netfault.FaultID) error { return a.note("remove %d", id) }

type sel = experiment.NodeSelector

// netActor records when the executor applies and removes network faults.
type netActor struct {
	fakeActor
	mu      sync.Mutex
	applied map[string]time.Duration // kind → offset
	faults  map[string]netfault.Fault
	ids     map[netfault.FaultID]string
	removed map[string]time.Duration
}

func (a *netActor) ApplyNet(f netfault.Fault) (netfault.FaultID, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	id := netfault.FaultID(len(a.ids) + 1)
	a.applied[f.Kind()], a.faults[f.Kind()], a.ids[id] = time.Since(a.start), f, f.Kind()
	return id, nil
}

func (a *netActor) RemoveNet(id netfault.FaultID) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.removed[a.ids[id]] = time.Since(a.start)
	return nil
}

// The executor applies each network fault on time through the proxies,
// resolved when due, removes it at its end (a one-shot reset at once), and
// logs net_fault_start and net_fault_end with the resolved nodes. Times are
// checked never early and with a generous bound late.
func TestFaultExecutorNetworkFaults(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	faults := []fault.Fault{
		{At: ms(200), Kind: experiment.FaultPartition, For: ms(400), Selector: "coordinator",
			Net: &fault.Net{Groups: [][]sel{{experiment.SelectCoordinator}, {experiment.SelectOthers}}, Clients: [][]int{{1}}}},
		{At: ms(400), Kind: experiment.FaultLatency, For: ms(200), Net: &fault.Net{Delay: 100 * time.Millisecond, Links: []experiment.LinkSpec{{1, 2}}}},
		{At: ms(800), Kind: experiment.FaultReset, Net: &fault.Net{}},
		{At: ms(800), Kind: experiment.FaultBridge, For: ms(200), Selector: "coordinator",
			Net: &fault.Net{Groups: [][]sel{{1}, {2}}, Via: experiment.SelectCoordinator}}, // coordinator 2 is named already
	}
	start := time.Now()
	act := &netActor{fakeActor: fakeActor{start: start, coord: 2}, applied: map[string]time.Duration{},
		faults: map[string]netfault.Fault{}, ids: map[netfault.FaultID]string{}, removed: map[string]time.Duration{}}
	var buf bytes.Buffer
	x := &faultExecutor{act: act, events: cluster.NewEventLog(&buf, nil), start: start, nodes: 3, logf: t.Logf}
	x.run(context.Background(), context.Background(), faults)
	if err := x.events.Flush(); err != nil {
		t.Fatal(err)
	}
	const late = 1500 * time.Millisecond // a loaded CI machine
	for _, w := range []struct {
		kind        string
		apply, heal time.Duration
	}{{"partition", ms(200), ms(600)}, {"latency", ms(400), ms(600)}, {"reset", ms(800), ms(800)}} {
		a, okA := act.applied[w.kind]
		r, okR := act.removed[w.kind]
		if !okA || !okR || a < w.apply || a > w.apply+late || r < w.heal || r > w.heal+late || r < a {
			t.Errorf("%s applied at %v (%v), removed at %v (%v); want from %v and %v, in order", w.kind, a, okA, r, okR, w.apply, w.heal)
		}
	}
	wantFaults := map[string]netfault.Fault{
		"partition": netfault.Partition{Groups: [][]int{{2}, {1, 3}}, Clients: [][]int{{1}}},
		"latency":   netfault.Latency{Delay: 100 * time.Millisecond, Flows: netfault.Both(netfault.Node(1), netfault.Node(2))},
		"reset":     netfault.Reset{},
	}
	if !reflect.DeepEqual(act.faults, wantFaults) {
		t.Errorf("applied %+v\nwant    %+v", act.faults, wantFaults)
	}
	res := map[string]fault.Fault{}
	for _, f := range x.result() {
		res[f.Kind] = f
	}
	if b := res["bridge"]; len(res) != 4 || !strings.Contains(b.Suppressed, "node 2 is named twice") {
		t.Fatalf("executed = %+v, want the bridge suppressed (the coordinator, node 2, is one of its cut nodes)", res)
	}
	if g := res["partition"].Net.Groups; !reflect.DeepEqual(g, [][]sel{{2}, {1, 3}}) || res["partition"].Selector != "coordinator" {
		t.Errorf("partition executed with groups %v (selector %q), want [[2] [1 3]] with the selector kept", g, res["partition"].Selector)
	}
	if faults[0].Net.Groups[0][0] != experiment.SelectCoordinator {
		t.Error("resolving changed the planned schedule")
	}
	if r := res["reset"]; r.For != 0 || r.Suppressed != "" {
		t.Errorf("one-shot reset executed as %+v, want it injected, for 0", r)
	}
	d, err := rundir.DigestEvents(strings.NewReader(buf.String()), rundir.DefaultDigestLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.NetFaults) != 3 || len(d.Warnings) != 0 {
		t.Fatalf("digest of the events: %d network faults (%v), warnings %v; want 3 paired", len(d.NetFaults), d.NetFaults, d.Warnings)
	}
	p := d.NetFaults[0]
	if p.Kind != "partition" || !reflect.DeepEqual(p.Net.Groups, [][]int{{2}, {1, 3}}) || p.What != "partition [2] | [1 3]; clients [1]" ||
		p.End.Sub(p.Start) < ms(400) {
		t.Errorf("partition window = %+v", p)
	}
}

func TestNetfaultOf(t *testing.T) {
	cases := []struct {
		f    fault.Fault
		want netfault.Fault
	}{
		{fault.Fault{Kind: "partition", Net: &fault.Net{Groups: [][]sel{{1}, {2, 3}}}}, netfault.Partition{Groups: [][]int{{1}, {2, 3}}}},
		{fault.Fault{Kind: "bridge", Net: &fault.Net{Groups: [][]sel{{1}, {2}}, Via: 3}}, netfault.Bridge{A: []int{1}, B: []int{2}, Via: 3}},
		{fault.Fault{Kind: "one-way", Net: &fault.Net{Groups: [][]sel{{3}, {1, 2}}}}, netfault.OneWay{From: []int{3}, To: []int{1, 2}}},
		{fault.Fault{Kind: "latency", Net: &fault.Net{Delay: time.Second, Jitter: time.Millisecond, Bandwidth: 10}},
			netfault.Latency{Delay: time.Second, Jitter: time.Millisecond, Bandwidth: 10}},
		{fault.Fault{Kind: "reset", Net: &fault.Net{Links: []experiment.LinkSpec{{2, 3}}}},
			netfault.Reset{Flows: netfault.Both(netfault.Node(2), netfault.Node(3))}},
	}
	for _, tc := range cases {
		got, err := netfaultOf(tc.f)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("netfaultOf(%s) = %+v, %v; want %+v", tc.f.Describe(), got, err, tc.want)
		}
	}
	if _, err := netfaultOf(fault.Fault{Kind: "crash", Node: 1, Net: &fault.Net{}}); err == nil {
		t.Error("netfaultOf(crash) gave no error")
	}
}

// holdFreePorts keeps the nodes' ports bound until release: the proxies,
// which listen on ports the kernel picks, cannot be given one of them (a
// node then failed to bind its port, "address already in use").
func TestHoldFreePortsHoldsThem(t *testing.T) {
	addrs, release, err := holdFreePorts(4)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if l, err := net.Listen("tcp", a); err == nil {
			l.Close()
			t.Errorf("%s could be bound while held", a)
		}
	}
	release()
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			t.Errorf("%s after release: %v", a, err)
			continue
		}
		l.Close()
	}
}

// TestClientLinksOnlyWhenPlaced: the client → node links get proxies only
// when a partition places clients; otherwise the clients dial the nodes'
// real addresses while the peer links still go through proxies.
func TestClientLinksOnlyWhenPlaced(t *testing.T) {
	real := cluster.Peers{1: "127.0.0.1:1", 2: "127.0.0.1:2", 3: "127.0.0.1:3"}
	for _, tc := range []struct {
		name  string
		sched []experiment.ScheduledFault
		want  bool
	}{
		{"no faults", nil, false},
		{"partition, clients placed nowhere", []experiment.ScheduledFault{{Kind: experiment.FaultPartition, Groups: [][]sel{{sel(1)}, {sel(2), sel(3)}}}}, false},
		{"latency and reset", []experiment.ScheduledFault{{Kind: experiment.FaultLatency}, {Kind: experiment.FaultReset}}, false},
		{"partition placing clients", []experiment.ScheduledFault{
			{Kind: experiment.FaultLatency},
			{Kind: experiment.FaultPartition, Groups: [][]sel{{sel(1)}, {sel(2), sel(3)}}, Clients: [][]int{{1}, {2}}},
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &experiment.Experiment{Faults: experiment.Faults{Schedule: tc.sched}}
			e.Workload.ClientGroups = 2
			if got := clientLinks(e); got != tc.want {
				t.Fatalf("clientLinks = %v, want %v", got, tc.want)
			}
			n, err := newNetwork(e, 1, real)
			if err != nil {
				t.Fatal(err)
			}
			defer n.Close()
			ns := &nodeSet{addrs: real, net: n}
			peers, err := ns.peersOf(1)
			if err != nil || peers[2] == real[2] {
				t.Fatalf("peers of node 1 = %v, %v: want node 2 through a proxy", peers, err)
			}
			got, err := ns.clientNodes(1)
			if err != nil {
				t.Fatal(err)
			}
			if direct := reflect.DeepEqual(got, real); direct == tc.want {
				t.Errorf("client 1 dials %v (real %v): want through proxies %v", got, real, tc.want)
			}
			if c := n.Topology().Clients; (c == 2) != tc.want || (c == 0) == tc.want {
				t.Errorf("topology has %d clients, want proxies for them %v", c, tc.want)
			}
		})
	}
}
