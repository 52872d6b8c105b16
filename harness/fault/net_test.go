package fault

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/harness/experiment"
)

type sel = experiment.NodeSelector

const coord = experiment.SelectCoordinator

func TestExplicitNetworkSchedule(t *testing.T) {
	e := mustParse(t, `workload: {rate: 10/s, duration: 30s, clients: 4, client_groups: 2}
faults:
  schedule:
    - {at: 9s, kind: latency, delay: 100ms, jitter: 50ms, for: 5s}
    - {at: 1s, kind: partition, groups: [[coordinator], [others]], clients: [[1], [2]], for: 4s}
    - {at: 2s, kind: partition, groups: [[1], [others]], for: 1s}
    - {at: 3s, node: 2, kind: crash, for: 1s}
    - {at: 6s, kind: bridge, nodes: [1, 2], via: coordinator, for: 4s}
    - {at: 11s, kind: one-way, from: 3, to: others, for: 3s}
    - {at: 21s, kind: reset, links: [1-2]}
`)
	got, err := Schedule(e, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []Fault{
		{At: time.Second, Kind: "partition", For: 4 * time.Second, Selector: "coordinator",
			Net: &Net{Groups: [][]sel{{coord}, {experiment.SelectOthers}}, Clients: [][]int{{1}, {2}}}},
		{At: 2 * time.Second, Kind: "partition", For: time.Second, Net: &Net{Groups: [][]sel{{1}, {2, 3}}}},
		{At: 3 * time.Second, Node: 2, Kind: "crash", For: time.Second},
		{At: 6 * time.Second, Kind: "bridge", For: 4 * time.Second, Selector: "coordinator", Net: &Net{Groups: [][]sel{{1}, {2}}, Via: coord}},
		{At: 9 * time.Second, Kind: "latency", For: 5 * time.Second, Net: &Net{Delay: 100 * time.Millisecond, Jitter: 50 * time.Millisecond}},
		{At: 11 * time.Second, Kind: "one-way", For: 3 * time.Second, Net: &Net{Groups: [][]sel{{3}, {1, 2}}}},
		{At: 21 * time.Second, Kind: "reset", Net: &Net{Links: []experiment.LinkSpec{{1, 2}}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Schedule =\n%s\nwant\n%s", describeAll(got), describeAll(want))
	}
	// A network fault takes no node down: node 2's crash is not suppressed
	// by min_alive or by the partition around it.
	if got[2].Suppressed != "" {
		t.Errorf("crash suppressed: %q", got[2].Suppressed)
	}
}

func describeAll(fs []Fault) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.At.String() + " " + f.Describe() + " sel=" + f.Selector + " for=" + f.For.String() + "\n")
	}
	return b.String()
}

func TestResolveNetworkFault(t *testing.T) {
	part := Fault{At: time.Second, Kind: "partition", For: time.Second, Selector: "coordinator",
		Net: &Net{Groups: [][]sel{{coord}, {experiment.SelectOthers}}}}
	cases := []struct {
		name   string
		f      Fault
		coord  int
		want   *Net
		errIs  error
		errHas string
	}{
		{"isolate the coordinator", part, 2, &Net{Groups: [][]sel{{2}, {1, 3}}}, nil, ""},
		{"bridge via the coordinator", Fault{Kind: "bridge", For: 1, Selector: "coordinator", Net: &Net{Groups: [][]sel{{1}, {2}}, Via: coord}},
			3, &Net{Groups: [][]sel{{1}, {2}}, Via: 3}, nil, ""},
		{"coordinator already named", Fault{Kind: "bridge", For: 1, Selector: "coordinator", Net: &Net{Groups: [][]sel{{1}, {2}}, Via: coord}},
			2, nil, ErrUnresolvable, "node 2 is named twice"},
		{"link to the coordinator", Fault{Kind: "reset", Selector: "coordinator", Net: &Net{Links: []experiment.LinkSpec{{coord, 3}}}},
			1, &Net{Links: []experiment.LinkSpec{{1, 3}}}, nil, ""},
		{"link from the coordinator to itself", Fault{Kind: "reset", Selector: "coordinator", Net: &Net{Links: []experiment.LinkSpec{{coord, 3}}}},
			3, nil, ErrUnresolvable, "joins node 3 to itself"},
		{"others left empty", Fault{Kind: "one-way", For: 1, Selector: "coordinator", Net: &Net{Groups: [][]sel{{coord, 1, 3}, {experiment.SelectOthers}}}},
			2, nil, ErrUnresolvable, "names no node"},
		{"no coordinator", part, 0, nil, ErrNoCoordinator, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := reflect.ValueOf(*tc.f.Net).Interface()
			got, err := Resolve(tc.f, tc.coord, 3)
			if tc.errIs != nil {
				if !errors.Is(err, tc.errIs) || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("Resolve = %+v, %v; want %v containing %q", got.Net, err, tc.errIs, tc.errHas)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got.Net, tc.want) || got.Selector != "coordinator" {
				t.Errorf("Resolve = %+v (selector %q), %v; want %+v with the selector kept", got.Net, got.Selector, err, tc.want)
			}
			if !reflect.DeepEqual(*tc.f.Net, before) {
				t.Errorf("Resolve changed the planned fault: %+v, was %+v", *tc.f.Net, before)
			}
		})
	}
}

const randomNetExperiment = `workload: {rate: 10/s, duration: 10m}
cluster: {nodes: 5}
faults:
  kind: crash
  probability: 0.3
  every: 20s
  down: [2s, 4s]
  network:
    every: 7s
    kinds: {partition: 0.3, bridge: 0.15, one-way: 0.15, latency: 0.15, reset: 0.1}
    for: [1s, 9s]
    delay: 80ms
    jitter: 20ms
`

// The random network model: seeded, byte-identical schedule.json for the
// same seed, different for another; the node faults of the same seed do not
// move when network faults are added.
func TestRandomNetworkScheduleIsSeeded(t *testing.T) {
	e := mustParse(t, randomNetExperiment)
	write := func(e *experiment.Experiment, seed int64) []byte {
		faults, err := Schedule(e, fault10m, seed)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteSchedule(&buf, faults); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := write(e, 7), write(e, 7), write(e, 8)
	if !bytes.Equal(a, b) {
		t.Errorf("same seed, different schedule.json:\n%s\n%s", a, b)
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 7 and 8 gave the same schedule")
	}
	back, err := ReadSchedule(bytes.NewReader(a))
	if err != nil {
		t.Fatalf("ReadSchedule(random network schedule): %v", err)
	}
	var nodeOnly []Fault
	for _, f := range back {
		if !f.IsNetwork() {
			nodeOnly = append(nodeOnly, f)
		}
	}
	plain := mustParse(t, strings.Split(randomNetExperiment, "  network:")[0])
	want, _ := Schedule(plain, fault10m, 7)
	if !reflect.DeepEqual(nodeOnly, want) {
		t.Errorf("node faults moved when network faults were added:\n%s\nwant\n%s", describeAll(nodeOnly), describeAll(want))
	}
}

const fault10m = 10 * time.Minute

// The random network model's invariants, over many seeds.
func TestRandomNetworkScheduleInvariants(t *testing.T) {
	e := mustParse(t, randomNetExperiment)
	m := e.Faults.Network
	kinds := map[string]int{}
	for seed := int64(0); seed < 100; seed++ {
		faults, err := Schedule(e, fault10m, seed)
		if err != nil {
			t.Fatal(err)
		}
		var last Fault
		for _, f := range faults {
			if !f.IsNetwork() {
				continue
			}
			kinds[f.Kind]++
			if last.Kind != "" && f.At < last.End() {
				t.Fatalf("seed %d: %s at %v starts before %s ends at %v", seed, f.Kind, f.At, last.Kind, last.End())
			}
			last = f
			if msg := checkNet(f); msg != "" || f.At%m.Every != 0 || f.Selector != "" || f.Node != 0 {
				t.Fatalf("seed %d: %s: %s", seed, f.Describe(), msg)
			}
			if f.Kind == "reset" && f.For != 0 || f.Kind != "reset" && (f.For < m.For.Min || f.For > m.For.Max) {
				t.Fatalf("seed %d: %s lasts %v", seed, f.Describe(), f.For)
			}
			checkRandomShape(t, f, e.Cluster.Nodes)
		}
	}
	for _, k := range experiment.NetworkKinds {
		if kinds[k] == 0 {
			t.Errorf("100 seeds drew no %s (drawn: %v)", k, kinds)
		}
	}
	if kinds["partition"] < kinds["reset"] {
		t.Errorf("partition (0.3) drawn %d times, reset (0.1) %d: chances not followed", kinds["partition"], kinds["reset"])
	}
}

func checkRandomShape(t *testing.T, f Fault, nodes int) {
	t.Helper()
	n := f.Net
	seen := map[sel]bool{}
	count := 0
	for _, g := range n.Groups {
		for _, x := range g {
			if x < 1 || int(x) > nodes || seen[x] {
				t.Fatalf("%s: member %v out of range or repeated", f.Describe(), x)
			}
			seen[x] = true
			count++
		}
	}
	switch f.Kind {
	case "partition":
		if k := len(n.Groups[0]); count != nodes || k < 1 || k > nodes/2 {
			t.Fatalf("%s: want a minority of 1..%d against the rest", f.Describe(), nodes/2)
		}
	case "bridge":
		if seen[n.Via] || count != nodes-1 || len(n.Groups[0]) == 0 || len(n.Groups[1]) == 0 {
			t.Fatalf("%s: want two non-empty halves of the others", f.Describe())
		}
	case "one-way":
		if len(n.Groups[0]) != 1 || count != nodes {
			t.Fatalf("%s: want one node → all the others", f.Describe())
		}
	case "latency":
		if n.Delay != 80*time.Millisecond || n.Jitter != 20*time.Millisecond || len(n.Links) != 0 {
			t.Fatalf("%s: want 80ms ± 20ms on every link", f.Describe())
		}
	}
}

func TestDescribe(t *testing.T) {
	cases := []struct {
		f    Fault
		want string
	}{
		{Fault{Node: 2, Kind: "crash"}, "node 2 crash"},
		{Fault{Kind: "pause", Selector: "coordinator"}, "node coordinator pause"},
		{Fault{Kind: "partition", Net: &Net{Groups: [][]sel{{2}, {1, 3}}, Clients: [][]int{{1}, {2}}}}, "partition [2] | [1 3]; clients [1] | [2]"},
		{Fault{Kind: "partition", Net: &Net{Groups: [][]sel{{coord}, {experiment.SelectOthers}}}}, "partition [coordinator] | [others]"},
		{Fault{Kind: "bridge", Net: &Net{Groups: [][]sel{{1}, {2}}, Via: 3}}, "bridge 1 ✕ 2 via 3"},
		{Fault{Kind: "one-way", Net: &Net{Groups: [][]sel{{1}, {2, 3}}}}, "one-way 1 → [2 3]"},
		{Fault{Kind: "latency", Net: &Net{Delay: 100 * time.Millisecond, Jitter: 50 * time.Millisecond}}, "latency 100ms ± 50ms on all peer links"},
		{Fault{Kind: "latency", Net: &Net{Bandwidth: 1 << 20, Links: []experiment.LinkSpec{{1, 2}}}}, "latency 1MiB/s on 1-2"},
		{Fault{Kind: "reset", Net: &Net{}}, "reset all peer links"},
	}
	for _, tc := range cases {
		if got := tc.f.Describe(); got != tc.want {
			t.Errorf("Describe(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestReadScheduleRejectsMalformedNetworkFaults(t *testing.T) {
	cases := map[string]string{
		"no net section":        `[{"at": 5, "node": 0, "kind": "partition", "for": 1}]`,
		"net on a crash":        `[{"at": 5, "node": 1, "kind": "crash", "for": 1, "net": {}}]`,
		"node on a partition":   `[{"at": 5, "node": 1, "kind": "partition", "for": 1, "net": {"groups": [[1], [2]]}}]`,
		"one group":             `[{"at": 5, "node": 0, "kind": "partition", "for": 1, "net": {"groups": [[1]]}}]`,
		"bridge without via":    `[{"at": 5, "node": 0, "kind": "bridge", "for": 1, "net": {"groups": [[1], [2]]}}]`,
		"zero-length partition": `[{"at": 5, "node": 0, "kind": "partition", "for": 0, "net": {"groups": [[1], [2]]}}]`,
		"latency of nothing":    `[{"at": 5, "node": 0, "kind": "latency", "for": 1, "net": {}}]`,
		"bad member":            `[{"at": 5, "node": 0, "kind": "partition", "for": 1, "net": {"groups": [["leader"], [2]]}}]`,
		"coordinator unflagged": `[{"at": 5, "node": 0, "kind": "partition", "for": 1, "net": {"groups": [["coordinator"], [2]]}}]`,
		"unknown net field":     `[{"at": 5, "node": 0, "kind": "reset", "for": 0, "net": {"cut": 1}}]`,
	}
	for name, src := range cases {
		if s, err := ReadSchedule(strings.NewReader(src)); !errors.Is(err, ErrBadSchedule) {
			t.Errorf("%s: ReadSchedule(%s) = %+v, %v; want ErrBadSchedule", name, src, s, err)
		}
	}
	ok := `[{"at": 5, "node": 0, "kind": "partition", "for": 1, "selector": "coordinator", "net": {"groups": [["coordinator"], ["others"]]}},
	        {"at": 6, "node": 0, "kind": "reset", "for": 0, "net": {}}]`
	if _, err := ReadSchedule(strings.NewReader(ok)); err != nil {
		t.Errorf("ReadSchedule(valid network faults) = %v", err)
	}
}
