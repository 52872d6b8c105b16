package fault

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stegocloud/harness/experiment"
)

// TestScheduleEveryExperimentFile: every shipped experiment schedules its
// faults, and smoke's load ends well under 30 s.
func TestScheduleEveryExperimentFile(t *testing.T) {
	files, err := filepath.Glob("../../experiments/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob experiments: %v, %d files", err, len(files))
	}
	for _, f := range files {
		e, err := experiment.Load(f)
		if err != nil {
			t.Fatalf("Load(%s): %v", f, err)
		}
		if _, err := Schedule(e, Horizon(e), e.Seed); err != nil {
			t.Errorf("%s: schedule: %v", f, err)
		}
		if e.Name == "smoke" {
			if h := Horizon(e); h+e.Workload.RequestBudget() >= 30*time.Second {
				t.Errorf("smoke load %v + one request budget %v does not finish well under 30 s", h, e.Workload.RequestBudget())
			}
		}
	}
}

// minimalExperiment is the smallest valid experiment file.
const minimalExperiment = "workload: {requests_per_client: 10}\n"

func mustParse(t *testing.T, src string) *experiment.Experiment {
	t.Helper()
	e, err := experiment.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const periodic = `workload: {requests_per_client: 200, clients: 50}
cluster: {nodes: 5, service: {delay: 500ms}}
faults: {kind: silent, every: 10s, probability: 0.5, down: [3s, 17s], sync_delay: 500ms, min_alive: 2}
`

func TestScheduleIsSeededAndByteIdentical(t *testing.T) {
	e := mustParse(t, periodic)
	write := func(seed int64) []byte {
		faults, err := Schedule(e, 10*time.Minute, seed)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteSchedule(&buf, faults); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := write(7), write(7), write(8)
	if !bytes.Equal(a, b) {
		t.Errorf("same seed, different schedule.json:\n%s\n%s", a, b)
	}
	if bytes.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same schedule:\n%s", a)
	}
	vs, err := experiment.Expand(mustParse(t, periodic+"repeat: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(write(vs[0].Seed), write(vs[1].Seed)) {
		t.Errorf("repeats 1 and 2 (seeds %d, %d) got the same fault schedule", vs[0].Seed, vs[1].Seed)
	}
}

// The periodic model's invariants, over many seeds.
func TestPeriodicScheduleInvariants(t *testing.T) {
	e := mustParse(t, periodic)
	f := e.Faults
	horizon := 10 * time.Minute
	injected, suppressed := 0, 0
	for seed := int64(0); seed < 200; seed++ {
		faults, err := Schedule(e, horizon, seed)
		if err != nil {
			t.Fatal(err)
		}
		var live []Fault
		for i, x := range faults {
			switch {
			case x.At%f.Every != 0 || x.At <= 0 || x.At >= horizon:
				t.Fatalf("seed %d fault %d at %v: not a round of every %v before %v", seed, i, x.At, f.Every, horizon)
			case x.For < f.Down.Min || x.For > f.Down.Max:
				t.Fatalf("seed %d fault %d down %v outside %v", seed, i, x.For, f.Down)
			case x.Kind != experiment.FaultSilent || x.Node < 1 || x.Node > e.Cluster.Nodes || x.Selector != "":
				t.Fatalf("seed %d fault %d = %+v: wrong kind or node", seed, i, x)
			case i > 0 && x.At < faults[i-1].At:
				t.Fatalf("seed %d: faults out of order at %d", seed, i)
			}
			// The node must be up (past its last down time + sync delay).
			for _, l := range live {
				if l.Node == x.Node && x.At < l.End()+f.SyncDelay {
					t.Fatalf("seed %d: node %d fails at %v while down until %v (+sync)", seed, x.Node, x.At, l.End())
				}
			}
			down := 0
			for _, l := range live {
				if x.At < l.End()+f.SyncDelay {
					down++
				}
			}
			if x.Suppressed != "" {
				suppressed++
				if e.Cluster.Nodes-down-1 >= f.MinAlive {
					t.Fatalf("seed %d: fault %+v suppressed with only %d nodes down", seed, x, down)
				}
				continue
			}
			injected++
			if e.Cluster.Nodes-down-1 < f.MinAlive {
				t.Fatalf("seed %d: fault %+v leaves %d nodes up, below min_alive %d", seed, x, e.Cluster.Nodes-down-1, f.MinAlive)
			}
			live = append(live, x)
		}
	}
	// With probability 0.5 on 5 nodes and min_alive 2, both must happen.
	if injected == 0 || suppressed == 0 {
		t.Errorf("200 seeds gave %d injected and %d suppressed faults; want both > 0", injected, suppressed)
	}
}

func TestScheduleNoFaults(t *testing.T) {
	cases := map[string]string{
		"kind none":     minimalExperiment,
		"probability 0": minimalExperiment + "faults: {kind: crash, probability: 0}\n",
	}
	for name, src := range cases {
		faults, err := Schedule(mustParse(t, src), time.Hour, 1)
		if err != nil || faults == nil || len(faults) != 0 {
			t.Errorf("%s: Schedule = %v, %v; want an empty, non-nil list", name, faults, err)
		}
	}
}

func TestExplicitSchedule(t *testing.T) {
	e := mustParse(t, minimalExperiment+`faults:
  kind: crash
  min_alive: 1
  sync_delay: 1s
  schedule:
    - {at: 10s, node: 1, for: 2s}
    - {at: 1s, node: coordinator, kind: pause, for: 3s}
    - {at: 1s, node: 2, kind: silent, for: 5s}
    - {at: 4s, node: 2, for: 1s}
    - {at: 11s, node: 2, for: 3s}
    - {at: 12500ms, node: 3, for: 1s}
`)
	got, err := Schedule(e, 0, 99)
	if err != nil {
		t.Fatal(err)
	}
	want := []Fault{
		{At: time.Second, Kind: experiment.FaultPause, For: 3 * time.Second, Selector: "coordinator"},
		{At: time.Second, Node: 2, Kind: experiment.FaultSilent, For: 5 * time.Second},
		{At: 4 * time.Second, Node: 2, Kind: experiment.FaultCrash, For: time.Second, Suppressed: "node 2 is still down or recovering until 7s"},
		{At: 10 * time.Second, Node: 1, Kind: experiment.FaultCrash, For: 2 * time.Second},
		{At: 11 * time.Second, Node: 2, Kind: experiment.FaultCrash, For: 3 * time.Second},
		{At: 12500 * time.Millisecond, Node: 3, Kind: experiment.FaultCrash, For: time.Second, Suppressed: "min_alive 1: 2 of 3 nodes are already down"},
	}
	if len(got) != len(want) {
		t.Fatalf("Schedule = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fault %d = %+v\nwant       %+v", i, got[i], want[i])
		}
	}
	// Node 2 is down at 1s; the coordinator fault counts as another node down.
	e.Faults.MinAlive = 2
	got, err = Schedule(e, 0, 99)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Suppressed != "" || got[1].Suppressed == "" {
		t.Errorf("min_alive 2: want the coordinator fault injected and node 2's suppressed, got %+v", got[:2])
	}
}

func TestResolveFault(t *testing.T) {
	sel := Fault{At: time.Second, Kind: experiment.FaultCrash, For: time.Second, Selector: "coordinator"}
	got, err := Resolve(sel, 3, 3)
	if err != nil || got.Node != 3 || got.Selector != "coordinator" {
		t.Errorf("Resolve(coordinator, 3) = %+v, %v; want node 3 with the selector kept", got, err)
	}
	if _, err := Resolve(sel, 0, 3); !errors.Is(err, ErrNoCoordinator) {
		t.Errorf("Resolve with no coordinator: %v, want ErrNoCoordinator", err)
	}
	plain := Fault{At: time.Second, Node: 2, Kind: experiment.FaultCrash, For: time.Second}
	if got, err := Resolve(plain, 3, 3); err != nil || got != plain {
		t.Errorf("Resolve(node 2) = %+v, %v; want it unchanged", got, err)
	}
	if _, err := Resolve(Fault{Selector: "leader"}, 1, 3); !errors.Is(err, ErrBadSchedule) {
		t.Errorf("Resolve(unknown selector) = %v, want ErrBadSchedule", err)
	}
}

func TestHorizon(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want time.Duration
	}{
		{"open loop is its duration", "workload: {rate: 10/s, duration: 45s}\n", 45 * time.Second},
		{"closed loop twice the estimate", "workload: {requests_per_client: 200}\ncluster: {service: {delay: 490ms}}\n", 200 * time.Second},
		{"closed loop at least 30s", "workload: {requests_per_client: 5}\n", 30 * time.Second},
		{"capped by max_duration", "workload: {requests_per_client: 10000, max_duration: 90s}\ncluster: {service: {delay: 1s}}\n", 90 * time.Second},
	}
	for _, tc := range cases {
		if got := Horizon(mustParse(t, tc.src)); got != tc.want {
			t.Errorf("%s: Horizon(%q) = %v, want %v", tc.name, tc.src, got, tc.want)
		}
	}
}

func TestScheduleFileRoundTrip(t *testing.T) {
	faults, err := Schedule(mustParse(t, periodic), 5*time.Minute, 3)
	if err != nil {
		t.Fatal(err)
	}
	faults = append(faults, Fault{At: 6 * time.Minute, Kind: experiment.FaultCrash, For: time.Second, Selector: "coordinator"})
	var buf bytes.Buffer
	if err := WriteSchedule(&buf, faults); err != nil {
		t.Fatal(err)
	}
	// The run directory reader decodes schedule.json as a plain []Fault.
	var plain []Fault
	if err := json.Unmarshal(buf.Bytes(), &plain); err != nil || len(plain) != len(faults) {
		t.Fatalf("schedule.json is not a plain []Fault: %v, %d entries", err, len(plain))
	}
	back, err := ReadSchedule(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(faults) {
		t.Fatalf("ReadSchedule = %d faults, want %d", len(back), len(faults))
	}
	for i := range faults {
		if back[i] != faults[i] {
			t.Errorf("fault %d = %+v, want %+v", i, back[i], faults[i])
		}
	}
	injected := Injected(faults)
	for _, f := range injected {
		if f.Suppressed != "" {
			t.Errorf("Injected kept suppressed fault %+v", f)
		}
	}
	suppressed := 0
	for _, f := range faults {
		if f.Suppressed != "" {
			suppressed++
		}
	}
	if len(injected)+suppressed != len(faults) || len(injected) == 0 {
		t.Errorf("Injected = %d of %d faults with %d suppressed", len(injected), len(faults), suppressed)
	}
	var empty bytes.Buffer
	if err := WriteSchedule(&empty, nil); err != nil || empty.String() != "[]\n" {
		t.Errorf("empty schedule written as %q (%v); want []", empty.String(), err)
	}
}

func TestReadScheduleRejectsMalformed(t *testing.T) {
	cases := map[string]string{
		"not json":      "[",
		"an object":     `{"faults": []}`,
		"unknown field": `[{"at": 5, "node": 1, "kind": "crash", "for": 1, "extra": 1}]`,
		"out of order":  `[{"at": 5, "node": 1, "kind": "crash", "for": 1}, {"at": 1, "node": 1, "kind": "crash", "for": 1}]`,
		"no node":       `[{"at": 5, "node": 0, "kind": "crash", "for": 1}]`,
		"bad selector":  `[{"at": 5, "node": 0, "selector": "leader", "kind": "crash", "for": 1}]`,
		"zero for":      `[{"at": 5, "node": 1, "kind": "crash", "for": 0}]`,
		"negative at":   `[{"at": -5, "node": 1, "kind": "crash", "for": 1}]`,
		"bad kind":      `[{"at": 5, "node": 1, "kind": "melt", "for": 1}]`,
	}
	for name, src := range cases {
		if s, err := ReadSchedule(strings.NewReader(src)); !errors.Is(err, ErrBadSchedule) {
			t.Errorf("%s: ReadSchedule(%s) = %+v, %v; want ErrBadSchedule", name, src, s, err)
		}
	}
}
