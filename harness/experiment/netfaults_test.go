package experiment

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// netBase is an open-loop workload with two client groups, for network
// fault entries to be appended under faults.schedule (line 4 onwards).
const netBase = "workload: {rate: 10/s, duration: 30s, clients: 4, client_groups: 2}\nfaults:\n  schedule:\n"

func TestNetworkFaultsParse(t *testing.T) {
	src := netBase +
		"    - {at: 1s, kind: partition, groups: [[coordinator], [others]], clients: [[1], [2]], for: 4s}\n" +
		"    - {at: 6s, kind: bridge, nodes: [1, coordinator], via: 3, for: 4s}\n" +
		"    - {at: 11s, kind: one-way, from: coordinator, to: others, for: 3s}\n" +
		"    - {at: 15s, kind: latency, delay: 100ms, jitter: 50ms, bandwidth: 1MiB/s, for: 5s}\n" +
		"    - {at: 21s, kind: reset, links: [1-2, coordinator-3]}\n" +
		"    - {at: 22s, kind: reset, links: all, for: 1s}\n"
	e, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := e.Faults.Schedule
	want := []ScheduledFault{
		{At: time.Second, Kind: FaultPartition, For: 4 * time.Second,
			Groups: [][]NodeSelector{{SelectCoordinator}, {SelectOthers}}, Clients: [][]int{{1}, {2}}},
		{At: 6 * time.Second, Kind: FaultBridge, For: 4 * time.Second, Nodes: []NodeSelector{1, SelectCoordinator}, Via: 3},
		{At: 11 * time.Second, Kind: FaultOneWay, For: 3 * time.Second, From: SelectCoordinator, To: SelectOthers},
		{At: 15 * time.Second, Kind: FaultLatency, For: 5 * time.Second, Delay: 100 * time.Millisecond, Jitter: 50 * time.Millisecond, Bandwidth: 1 << 20},
		{At: 21 * time.Second, Kind: FaultReset, Links: Links{List: []LinkSpec{{1, 2}, {SelectCoordinator, 3}}}},
		{At: 22 * time.Second, Kind: FaultReset, For: time.Second, Links: Links{All: true}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("schedule =\n%+v\nwant\n%+v", s, want)
	}
	if !e.HasNetworkFaults() || !e.Proxied() {
		t.Errorf("HasNetworkFaults, Proxied = %v, %v; want both true", e.HasNetworkFaults(), e.Proxied())
	}
	// The resolved file reads back to the same experiment.
	y, err := e.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("experiment.yaml", y)
	if err != nil {
		t.Fatalf("re-parsing the resolved experiment: %v\n%s", err, y)
	}
	if !reflect.DeepEqual(back, e) {
		t.Errorf("round trip changed the experiment:\n%+v\nwant\n%+v", back.Faults, e.Faults)
	}
}

func TestNetworkFaultErrors(t *testing.T) {
	entry := func(s string) string { return netBase + "    - " + s + "\n" }
	cases := []struct {
		name, src string
		want      []string
	}{
		{"unknown member", entry("{at: 1s, kind: partition, groups: [[coordinator], [leader]], for: 4s}"),
			[]string{`x.yaml:4: faults.schedule[0].groups[1][0]: want a node id (1, 2, …), "coordinator" or "others", got the string "leader"`}},
		{"one group", entry("{at: 1s, kind: partition, groups: [[1, 2, 3]], for: 4s}"),
			[]string{"faults.schedule[0].groups: a partition needs at least two groups"}},
		{"empty group", entry("{at: 1s, kind: partition, groups: [[1], []], for: 4s}"),
			[]string{"faults.schedule[0].groups[1]: group 2 is empty"}},
		{"overlapping groups", entry("{at: 1s, kind: partition, groups: [[1, 2], [2, 3]], for: 4s}"),
			[]string{"faults.schedule[0].groups[1][0]: node 2 is already named at faults.schedule[0].groups[0][1]"}},
		{"node out of range", entry("{at: 1s, kind: partition, groups: [[1], [4]], for: 4s}"),
			[]string{"faults.schedule[0].groups[1][0]: must be a node id in 1..3"}},
		{"coordinator twice", entry("{at: 1s, kind: partition, groups: [[coordinator], [coordinator]], for: 4s}"),
			[]string{"groups[1][0]: the coordinator is already named at faults.schedule[0].groups[0][0]"}},
		{"others not alone", entry("{at: 1s, kind: partition, groups: [[1, others], [2]], for: 4s}"),
			[]string{"faults.schedule[0].groups[0]: others stands alone in its group"}},
		{"others twice", entry("{at: 1s, kind: partition, groups: [[others], [others]], for: 4s}"),
			[]string{"groups[1][0]: others is already named at faults.schedule[0].groups[0][0]"}},
		{"others names nobody", entry("{at: 1s, kind: partition, groups: [[1, 2, 3], [others]], for: 4s}"),
			[]string{"groups[1][0]: names no node: the fault already names 3 of the 3 nodes"}},
		{"for missing", entry("{at: 1s, kind: partition, groups: [[1], [2]]}"),
			[]string{"x.yaml:4: faults.schedule[0].for: required: how long the partition lasts"}},
		{"negative for", entry("{at: 1s, kind: partition, groups: [[1], [2]], for: -1s}"),
			[]string{"faults.schedule[0].for: must be > 0"}},
		{"node on a network fault", entry("{at: 1s, kind: partition, node: 2, groups: [[1], [2]], for: 1s}"),
			[]string{"faults.schedule[0].node: a partition fault takes no node"}},
		{"clients on more sides than groups", entry("{at: 1s, kind: partition, groups: [[1], [2]], clients: [[1], [], [2]], for: 1s}"),
			[]string{"faults.schedule[0].clients: places clients on 3 sides, but the partition has 2 groups"}},
		{"client group out of range", entry("{at: 1s, kind: partition, groups: [[1], [2]], clients: [[3]], for: 1s}"),
			[]string{"faults.schedule[0].clients[0][0]: must be a client group in 1..workload.client_groups (2), got 3"}},
		{"client group twice", entry("{at: 1s, kind: partition, groups: [[1], [2]], clients: [[1], [1]], for: 1s}"),
			[]string{"clients[1][0]: client group 1 is already placed at faults.schedule[0].clients[0][0]"}},
		{"bridge one node", entry("{at: 1s, kind: bridge, nodes: [1], via: 3, for: 1s}"),
			[]string{"faults.schedule[0].nodes: a bridge cuts exactly two nodes"}},
		{"bridge node twice", entry("{at: 1s, kind: bridge, nodes: [1, 2], via: 2, for: 1s}"),
			[]string{"faults.schedule[0].via: node 2 is already named at faults.schedule[0].nodes[1]"}},
		{"bridge without via", entry("{at: 1s, kind: bridge, nodes: [1, 2], for: 1s}"),
			[]string{"faults.schedule[0].via: required"}},
		{"bridge with others", entry("{at: 1s, kind: bridge, nodes: [1, others], via: 3, for: 1s}"),
			[]string{"faults.schedule[0].nodes[1]: others names several nodes"}},
		{"bridge on two nodes", "cluster: {nodes: 2}\n" + entry("{at: 1s, kind: bridge, nodes: [1, 2], via: 2, for: 1s}"),
			[]string{"faults.schedule[0].kind: a bridge needs at least 3 nodes"}},
		{"one-way without to", entry("{at: 1s, kind: one-way, from: 1, for: 1s}"),
			[]string{"faults.schedule[0].to: required"}},
		{"one-way both others", entry("{at: 1s, kind: one-way, from: others, to: others, for: 1s}"),
			[]string{"faults.schedule[0].to: others is already named at faults.schedule[0].from"}},
		{"one-way to itself", entry("{at: 1s, kind: one-way, from: 2, to: 2, for: 1s}"),
			[]string{"faults.schedule[0].to: node 2 is already named at faults.schedule[0].from"}},
		{"latency of nothing", entry("{at: 1s, kind: latency, for: 1s}"),
			[]string{"x.yaml:4: faults.schedule[0]: a latency fault needs a delay"}},
		{"jitter above delay", entry("{at: 1s, kind: latency, delay: 10ms, jitter: 50ms, for: 1s}"),
			[]string{"faults.schedule[0].jitter: must not exceed delay"}},
		{"bandwidth without unit", entry("{at: 1s, kind: latency, bandwidth: 1000, for: 1s}"),
			[]string{"faults.schedule[0].bandwidth: 1000 is a bare number"}},
		{"bad bandwidth unit", entry("{at: 1s, kind: latency, bandwidth: 1Mbit/s, for: 1s}"),
			[]string{"faults.schedule[0].bandwidth:", "is not a bandwidth"}},
		{"link to itself", entry("{at: 1s, kind: reset, links: [1-1]}"),
			[]string{"faults.schedule[0].links: link \"1-1\" joins a node to itself"}},
		{"link twice", entry("{at: 1s, kind: reset, links: [1-2, 2-1]}"),
			[]string{"link \"2-1\" is listed twice"}},
		{"link to unknown node", entry("{at: 1s, kind: latency, delay: 1ms, links: [1-4], for: 1s}"),
			[]string{"faults.schedule[0].links[0]: link 1-4 names node 4; node ids are 1..3"}},
		{"malformed link", entry("{at: 1s, kind: reset, links: [12]}"),
			[]string{"faults.schedule[0].links: link \"12\": write a peer link as two node ids"}},
		{"links with others", entry("{at: 1s, kind: reset, links: [others-1]}"),
			[]string{"write a peer link as two node ids"}},
		{"empty links", entry("{at: 1s, kind: reset, links: []}"),
			[]string{"faults.schedule[0].links: want all or a list of peer links"}},
		{"groups on a crash", entry("{at: 1s, kind: crash, node: 1, groups: [[1], [2]], for: 1s}"),
			[]string{"faults.schedule[0].groups: only for kind: partition, not crash"}},
		{"links on a partition", entry("{at: 1s, kind: partition, groups: [[1], [2]], links: all, for: 1s}"),
			[]string{"faults.schedule[0].links: only for kind: latency or reset, not partition"}},
		{"others on a node fault", entry("{at: 1s, kind: crash, node: others, for: 1s}"),
			[]string{"faults.schedule[0].node: others names several nodes"}},
		{"node fault for missing", entry("{at: 1s, kind: crash, node: 1}"),
			[]string{"faults.schedule[0].for: required: how long the node stays down"}},
		{"unknown kind", entry("{at: 1s, kind: partion, groups: [[1], [2]], for: 1s}"),
			[]string{"faults.schedule[0].kind: must be one of silent, crash, pause, partition, bridge, one-way, latency, reset"}},
		{"network kind as faults.kind", "workload: {requests_per_client: 1}\nfaults: {kind: partition}\n",
			[]string{"faults.kind: must be one of none, silent, crash, pause"}},
		{"proxies off with a network fault", "cluster: {proxies: false}\n" + entry("{at: 1s, kind: reset}"),
			[]string{"cluster.proxies: network faults are injected by the proxies"}},
		{"proxies on an external cluster", "workload: {requests_per_client: 1}\ncluster: {nodes: 1, launch: external, addrs: [\"127.0.0.1:7001\"], proxies: true}\n",
			[]string{"cluster.proxies: proxies sit between nodes the harness starts"}},
		{"proxies not a switch", "workload: {requests_per_client: 1}\ncluster: {proxies: sometimes}\n",
			[]string{"cluster.proxies: want true, false or auto"}},
		{"network faults on external nodes", "cluster: {nodes: 1, launch: external, addrs: [\"127.0.0.1:7001\"]}\n" + entry("{at: 1s, kind: reset}"),
			[]string{"faults.schedule[0].kind: launch: external nodes are not the harness's processes"}},
		{"client groups above clients", "workload: {requests_per_client: 1, clients: 2, client_groups: 3}\n",
			[]string{"workload.client_groups: must be in 1..workload.clients (2), got 3"}},
		{"random chance above one", "workload: {requests_per_client: 1}\nfaults: {network: {kinds: {partition: 1.5}}}\n",
			[]string{"faults.network.kinds.partition: must be in 0..1"}},
		{"random chances add up", "workload: {requests_per_client: 1}\nfaults: {network: {kinds: {partition: 0.6, reset: 0.6}}}\n",
			[]string{"faults.network.kinds: the chances add up to 1.2"}},
		{"random unknown kind", "workload: {requests_per_client: 1}\nfaults: {network: {kinds: {partitions: 0.5}}}\n",
			[]string{"faults.network.kinds.partitions: unknown field", `did you mean "partition"`}},
		{"random for", "workload: {requests_per_client: 1}\nfaults: {network: {kinds: {reset: 0.5}, for: [5s, 1s]}}\n",
			[]string{"faults.network.for: min 5s is longer than max 1s"}},
		{"random latency of nothing", "workload: {requests_per_client: 1}\nfaults: {network: {kinds: {latency: 0.5}, delay: 0s, jitter: 0s}}\n",
			[]string{"faults.network: a latency fault needs a delay"}},
		{"random bridge on two nodes", "workload: {requests_per_client: 1}\ncluster: {nodes: 2}\nfaults: {min_alive: 1, network: {kinds: {bridge: 0.5}}}\n",
			[]string{"faults.network.kinds.bridge: a bridge needs at least 3 nodes"}},
		{"random with a schedule", "faults:\n  network: {kinds: {reset: 0.5}}\n  schedule:\n    - {at: 1s, node: 1, kind: crash, for: 1s}\nworkload: {requests_per_client: 1}\n",
			[]string{"faults.network.kinds: the random models are off with an explicit schedule"}},
		{"random on a noop cluster", "workload: {requests_per_client: 1}\ncluster: {launch: noop}\nfaults: {network: {kinds: {reset: 0.5}}}\n",
			[]string{"faults.network.kinds: launch: noop runs no nodes"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse("x.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tc.src, e.Faults)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q) error\n%v\nwant it to contain %q", tc.src, err, w)
				}
			}
			if !errors.Is(err, ErrInvalidExperiment) {
				t.Errorf("error %v does not wrap ErrInvalidExperiment", err)
			}
		})
	}
}

func TestProxiedFollowsFaultsAndSwitch(t *testing.T) {
	cases := []struct {
		src  string
		want bool
	}{
		{"workload: {requests_per_client: 1}\n", false},
		{"workload: {requests_per_client: 1}\ncluster: {proxies: true}\n", true},
		{"workload: {requests_per_client: 1}\nfaults: {network: {kinds: {reset: 0.1}}}\n", true},
		{"workload: {requests_per_client: 1}\nfaults: {kind: crash, probability: 1}\n", false},
		{netBase + "    - {at: 1s, kind: crash, node: 1, for: 1s}\n", false},
		{netBase + "    - {at: 1s, kind: reset}\n", true},
	}
	for _, tc := range cases {
		e, err := Parse("x.yaml", []byte(tc.src))
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.src, err)
		}
		if got := e.Proxied(); got != tc.want {
			t.Errorf("Proxied(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
	// proxies is a matrix axis: the overhead experiment sweeps it.
	e, err := Parse("x.yaml", []byte("workload: {requests_per_client: 1}\nmatrix: {cluster.proxies: [false, true]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := Expand(e)
	if err != nil || len(vs) != 2 || vs[0].Experiment.Proxied() || !vs[1].Experiment.Proxied() || vs[1].Label != "proxies=true" {
		t.Errorf("Expand(proxies: [false, true]) = %+v, %v; want off then on, labelled proxies=…", vs, err)
	}
}

func TestBandwidthAndLinksText(t *testing.T) {
	for in, want := range map[string]Bandwidth{"500B/s": 500, "64KB/s": 64000, "1MiB/s": 1 << 20, "2MB/s": 2e6, "3kB/s": 3000} {
		got, err := ParseBandwidth(in)
		if err != nil || got != want {
			t.Errorf("ParseBandwidth(%q) = %v, %v; want %v", in, got, err, want)
		}
		if back, err := ParseBandwidth(got.String()); err != nil || back != got {
			t.Errorf("ParseBandwidth(%q.String() = %q) = %v, %v", in, got.String(), back, err)
		}
	}
	for _, bad := range []string{"", "1MB", "MB/s", "0B/s", "-1KB/s", "1.5MB/s", "1Mb/s"} {
		if _, err := ParseBandwidth(bad); !errors.Is(err, ErrBadValue) {
			t.Errorf("ParseBandwidth(%q) error = %v, want ErrBadValue", bad, err)
		}
	}
	l := Links{List: []LinkSpec{{1, 2}, {SelectCoordinator, 3}}}
	if got := l.String(); got != "[1-2, coordinator-3]" {
		t.Errorf("Links.String() = %q", got)
	}
	if got := (Links{}).String(); got != "all" {
		t.Errorf("zero Links.String() = %q, want all", got)
	}
}
