package experiment

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// minimal is the smallest valid experiment file.
const minimal = "workload: {requests_per_client: 10}\n"

func TestParseEveryExperimentFile(t *testing.T) {
	files, err := filepath.Glob("../../experiments/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob experiments: %v, %d files", err, len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			e, err := Load(f)
			if err != nil {
				t.Fatalf("Load(%s): %v", f, err)
			}
			if want := strings.TrimSuffix(filepath.Base(f), ".yaml"); e.Name != want {
				t.Errorf("name = %q, want the file's name %q", e.Name, want)
			}
			if e.Description == "" {
				t.Errorf("%s has no description", f)
			}
			vs, err := Expand(e)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if want := e.Repeat * max(1, matrixSize(e.Matrix)); len(vs) != want {
				t.Errorf("Expand gave %d variants, want %d", len(vs), want)
			}
		})
	}
}

func matrixSize(m Matrix) int {
	if len(m) == 0 {
		return 0
	}
	n := 1
	for _, a := range m {
		n *= len(a.Values)
	}
	return n
}

func TestShippedExperimentsMatchTheBrief(t *testing.T) {
	stress, err := Load("../../experiments/stress10k.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w, c, f := stress.Workload, stress.Cluster, stress.Faults
	checks := []struct {
		name      string
		got, want any
	}{
		{"nodes", c.Nodes, 3},
		{"total requests", w.TotalRequests(), uint64(10_000)},
		{"clients", w.Clients, 50},
		{"service delay", c.Service.Delay, 500 * time.Millisecond},
		{"fault kind", f.Kind, FaultSilent},
		{"probability", f.Probability, 0.2},
		{"every", f.Every, 30 * time.Second},
		{"down", f.Down, Span{10 * time.Second, 20 * time.Second}},
		{"sync", f.SyncDelay, 500 * time.Millisecond},
		{"image", w.Image, ImageSpec{Width: 128, Height: 128}},
		{"usernames", w.Usernames, 3},
		{"quota", w.Quota, 5},
	}
	for _, ck := range checks {
		if !reflect.DeepEqual(ck.got, ck.want) {
			t.Errorf("stress10k %s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}
	ts, err := stress.Expect.Thresholds()
	if err != nil || len(ts) != 3 {
		t.Fatalf("stress10k thresholds = %v, %v; want 3", ts, err)
	}

	smoke, err := Load("../../experiments/smoke.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if smoke.Cluster.Nodes != 3 || smoke.Cluster.Service.Delay != 0 || len(smoke.Faults.Schedule) != 1 ||
		smoke.Faults.Schedule[0].Kind != FaultCrash {
		t.Errorf("smoke: want 3 nodes, no delay, one scripted crash; got %+v / %+v", smoke.Cluster, smoke.Faults)
	}

	failover, err := Load("../../experiments/failover.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range failover.Faults.Schedule {
		if s.Node != SelectCoordinator {
			t.Errorf("failover schedule[%d] targets %v, want coordinator", i, s.Node)
		}
	}
	open, err := Load("../../experiments/openloop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if open.Workload.Mode() != ModeOpen || open.Workload.Pacer.Kind != PacerConstant {
		t.Errorf("openloop: mode %s pacer %q, want open loop with a constant pacer", open.Workload.Mode(), open.Workload.Pacer.Kind)
	}
}

func TestParseKeepsDefaultsAndExplicitZeros(t *testing.T) {
	e, err := Parse("dir/min.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultExperiment()
	want.Name = "min"
	want.Workload.RequestsPerClient = 10
	if !reflect.DeepEqual(e, want) {
		t.Errorf("Parse(%q) =\n%+v\nwant defaults\n%+v", minimal, e, want)
	}

	src := minimal + "seed: 0\nfaults: {probability: 0, min_alive: 0, sync_delay: 0s}\ncluster: {reelect_every: 0s, recovery_election: false}\n" +
		"workload: {requests_per_client: 10, retries: 0, backoff: 0s, quota: 0}\n"
	src = strings.Replace(src, minimal, "", 1)
	e, err = Parse("zeros.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	zeros := []struct {
		name string
		got  any
		zero any
	}{
		{"seed", e.Seed, int64(0)},
		{"faults.probability", e.Faults.Probability, 0.0},
		{"faults.min_alive", e.Faults.MinAlive, 0},
		{"faults.sync_delay", e.Faults.SyncDelay, time.Duration(0)},
		{"cluster.reelect_every", e.Cluster.ReelectEvery, time.Duration(0)},
		{"cluster.recovery_election", e.Cluster.RecoveryElection, false},
		{"workload.retries", e.Workload.Retries, 0},
		{"workload.backoff", e.Workload.Backoff, time.Duration(0)},
		{"workload.quota", e.Workload.Quota, 0},
	}
	for _, z := range zeros {
		if z.got != z.zero {
			t.Errorf("explicit %s: 0 became %v; an explicit zero must win over the default", z.name, z.got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string // every one must appear in the error
		is   error
	}{
		{"empty file", "", []string{"x.yaml", "empty"}, ErrEmptyExperiment},
		{"comments only", "# nothing\n", []string{"empty"}, ErrEmptyExperiment},
		{"null document", "---\n", []string{"empty"}, ErrEmptyExperiment},
		{"not a mapping", "- a\n- b\n", []string{"x.yaml:1:", "want a mapping"}, ErrInvalidExperiment},
		{"syntax", "workload: {clients: 3\n", []string{"x.yaml:", "YAML syntax"}, ErrInvalidExperiment},
		{"two documents", minimal + "---\nname: b\n", []string{"x.yaml:2:", "more than one YAML document"}, ErrInvalidExperiment},
		{"unknown top key", minimal + "wokload: 3\n", []string{"x.yaml:2: wokload: unknown field", `did you mean "workload"`}, ErrInvalidExperiment},
		{"unknown nested key", "workload:\n  requests_per_client: 10\n  clientz: 3\n", []string{"x.yaml:3: workload.clientz: unknown field", `"clients"`}, ErrInvalidExperiment},
		{"wrong type int", "workload: {requests_per_client: ten}\n", []string{"x.yaml:1: workload.requests_per_client: want a whole number", `"ten"`}, ErrInvalidExperiment},
		{"float for int", "workload: {requests_per_client: 2.5}\n", []string{"workload.requests_per_client: want a whole number"}, ErrInvalidExperiment},
		{"wrong type bool", minimal + "cluster: {recovery_election: yes}\n", []string{"cluster.recovery_election: want true or false"}, ErrInvalidExperiment},
		{"bare integer duration", minimal + "cluster:\n  heartbeat: 50\n", []string{"x.yaml:3: cluster.heartbeat:", "bare number", "add a unit"}, ErrInvalidExperiment},
		{"bad duration", minimal + "cluster: {heartbeat: fast}\n", []string{"cluster.heartbeat:", `"fast" is not a duration`}, ErrInvalidExperiment},
		{"list for scalar", minimal + "cluster: {nodes: [1, 2]}\n", []string{"cluster.nodes: want a single value"}, ErrInvalidExperiment},
		{"scalar for section", minimal + "cluster: 3\n", []string{"cluster: want a mapping of fields"}, ErrInvalidExperiment},
		{"null value", minimal + "cluster:\n  nodes:\n", []string{"x.yaml:3: cluster.nodes: no value given"}, ErrInvalidExperiment},
		{"duplicate key", minimal + "seed: 1\nseed: 2\n", []string{"x.yaml:3: seed: set twice (first at line 2)"}, ErrInvalidExperiment},
		{"merge key", minimal + "cluster: {<<: {nodes: 3}}\n", []string{"merge keys"}, ErrInvalidExperiment},
		{"out of range with line", "workload:\n  requests_per_client: 10\n  clients: 0\n", []string{"x.yaml:3: workload.clients: must be in 1..10000, got 0"}, ErrInvalidExperiment},
		{"several problems at once", "cluster:\n  nodes: 0\n  balancer: fastest\nworkload:\n  requests_per_client: 10\n  timeout: 0s\n",
			[]string{"x.yaml:2: cluster.nodes:", "x.yaml:3: cluster.balancer: \"fastest\" is not one of", "x.yaml:6: workload.timeout: must be > 0"}, ErrInvalidExperiment},
		{"no load mode", "workload: {clients: 3}\n", []string{"x.yaml:1: workload: choose a load"}, ErrInvalidExperiment},
		{"two load modes", "workload: {requests_per_client: 3, rate: 10/s, duration: 1s}\n", []string{"workload: set only one"}, ErrInvalidExperiment},
		{"open loop without duration", "workload: {rate: 10/s}\n", []string{"workload.duration: open loop needs a duration"}, ErrInvalidExperiment},
		{"rate without unit", "workload: {rate: 150, duration: 1s}\n", []string{"workload.rate:", "N/unit"}, ErrInvalidExperiment},
		{"sine amp too big", "workload: {pacer: {kind: sine, rate: 10/s, amp: 20/s, period: 10s}, duration: 1m}\n", []string{"workload.pacer.amp: must be set and below the mean"}, ErrInvalidExperiment},
		{"linear rate falls to zero", "workload: {pacer: {kind: linear, rate: 10/s, slope: -1}, duration: 20s}\n", []string{"workload.pacer.slope: the rate would fall"}, ErrInvalidExperiment},
		{"slope on constant", "workload: {pacer: {kind: constant, rate: 10/s, slope: 2}, duration: 20s}\n", []string{"workload.pacer.slope: only applies to kind: linear"}, ErrInvalidExperiment},
		{"down min above max", minimal + "faults: {down: [20s, 10s]}\n", []string{"faults.down: min 20s is longer than max 10s"}, ErrInvalidExperiment},
		{"down bare numbers", minimal + "faults: {down: [10, 20]}\n", []string{"faults.down:", "bare number"}, ErrInvalidExperiment},
		{"probability above one", minimal + "faults: {probability: 1.5}\n", []string{"faults.probability: must be in 0..1"}, ErrInvalidExperiment},
		{"min_alive above nodes", minimal + "faults: {min_alive: 4}\n", []string{"faults.min_alive: must be in 0..cluster.nodes (3)"}, ErrInvalidExperiment},
		{"schedule node out of range", minimal + "faults:\n  schedule:\n    - {at: 1s, node: 9, kind: crash, for: 1s}\n", []string{"x.yaml:4: faults.schedule[0].node: must be a node id in 1..3"}, ErrInvalidExperiment},
		{"schedule bad selector", minimal + "faults:\n  schedule:\n    - {at: 1s, node: leader, kind: crash, for: 1s}\n", []string{"faults.schedule[0].node:", "coordinator"}, ErrInvalidExperiment},
		{"schedule kind missing", minimal + "faults:\n  schedule:\n    - {at: 1s, node: 2, for: 1s}\n", []string{"faults.schedule[0].kind: required when faults.kind is none"}, ErrInvalidExperiment},
		{"external needs addrs", minimal + "cluster: {launch: external, addrs: [\"127.0.0.1:7001\"]}\n", []string{"cluster.addrs: launch: external needs one address per node"}, ErrInvalidExperiment},
		{"non-loopback addr", minimal + "cluster: {nodes: 1, launch: external, addrs: [\"10.0.0.1:7001\"]}\n", []string{"cluster.addrs[0]: must be a loopback address"}, ErrInvalidExperiment},
		{"bases count", minimal + "cluster: {load: {bases: [0.5, 0.6]}}\n", []string{"cluster.load.bases: has 2 entries for 3 nodes"}, ErrInvalidExperiment},
		{"image too small", "workload: {requests_per_client: 1, image: {width: 8, height: 8}}\n", []string{"workload.image: a 8×8 image hides 24 bytes"}, ErrInvalidExperiment},
		{"bad name", minimal + "name: \"a b\"\n", []string{"name: must be"}, ErrInvalidExperiment},
		{"threshold without operator", minimal + "expect: {p99: 1s}\n", []string{"x.yaml:2: expect.p99:", "start with one of"}, ErrInvalidExperiment},
		{"threshold without unit", minimal + "expect:\n  p99: \"< 550\"\n", []string{"x.yaml:3: expect.p99:", "duration with a unit"}, ErrInvalidExperiment},
		{"threshold percent", minimal + "expect: {success_rate: \">= 0.999\"}\n", []string{"expect.success_rate:", "percentage"}, ErrInvalidExperiment},
		{"matrix unknown field", minimal + "matrix:\n  cluster.balancr: [random]\n", []string{"x.yaml:3: matrix[cluster.balancr]: unknown field \"balancr\"", `did you mean "balancer"`}, ErrInvalidExperiment},
		{"matrix non-scalar field", minimal + "matrix:\n  cluster.load: [1]\n", []string{"matrix[cluster.load]: cluster.load is a section"}, ErrInvalidExperiment},
		{"matrix over repeat", minimal + "matrix:\n  repeat: [1, 2]\n", []string{"matrix[repeat]: repeat cannot be swept"}, ErrInvalidExperiment},
		{"matrix invalid value", minimal + "matrix:\n  cluster.nodes:\n    - 3\n    - 0\n", []string{"x.yaml:5: matrix[cluster.nodes][1]: cluster.nodes=0 makes cluster.nodes invalid: must be in 1..64, got 0"}, ErrInvalidExperiment},
		{"matrix wrong type", minimal + "matrix:\n  cluster.heartbeat: [50ms, 50]\n", []string{"matrix[cluster.heartbeat][1]:", "bare number"}, ErrInvalidExperiment},
		{"matrix not a list", minimal + "matrix:\n  cluster.nodes: 3\n", []string{"matrix:", "non-empty list"}, ErrInvalidExperiment},
		{"matrix combination invalid", minimal + "faults: {min_alive: 2}\nmatrix:\n  cluster.nodes: [1, 3]\n", []string{"matrix[cluster.nodes][0]: cluster.nodes=1 makes faults.min_alive invalid"}, ErrInvalidExperiment},
		{"matrix pair invalid only together", minimal + "faults: {min_alive: 2}\nmatrix:\n  cluster.nodes: [3, 2]\n  faults.min_alive: [1, 3]\n",
			[]string{"x.yaml:3: matrix: faults.min_alive: must be in 0..cluster.nodes (2), got 3 (in variant nodes=2,min_alive=3)"}, ErrInvalidExperiment},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse("x.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error containing %q", tc.src, e, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q) error\n%v\nwant it to contain %q", tc.src, err, w)
				}
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("Parse(%q) error %v does not wrap %v", tc.src, err, tc.is)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	src := "bogus: 1\ncluster:\n  nodes: x\n  heartbeat: 5\nworkload:\n  clientz: 2\n"
	_, err := Parse("x.yaml", []byte(src))
	var fes []*FieldError
	for _, e := range unjoin(err) {
		var fe *FieldError
		if errors.As(e, &fe) {
			fes = append(fes, fe)
		}
	}
	// Wrong forms and range problems come out of one pass, in line order:
	// "workload" (no load mode) is a range problem found despite the rest.
	want := map[string]int{"bogus": 1, "cluster.nodes": 3, "cluster.heartbeat": 4, "workload": 5, "workload.clientz": 6}
	if len(fes) != len(want) {
		t.Fatalf("Parse(%q) gave %d problems, want %d:\n%v", src, len(fes), len(want), err)
	}
	for i, fe := range fes {
		if line, ok := want[fe.Path]; !ok || fe.Line != line || fe.File != "x.yaml" {
			t.Errorf("problem %v: want one of %v with its line and file", fe, want)
		}
		if i > 0 && fe.Line < fes[i-1].Line {
			t.Errorf("problems out of line order: %v after %v", fe, fes[i-1])
		}
	}
	// A value of the wrong form is reported once, not again as out of range
	// (its default stands in while the rest is checked).
	_, err = Parse("x.yaml", []byte("workload:\n  requests_per_client: 10\n  clients: many\nfaults: {min_alive: 7}\n"))
	if got := err.Error(); strings.Count(got, "workload.clients") != 1 || !strings.Contains(got, "x.yaml:4: faults.min_alive: must be in 0..cluster.nodes") {
		t.Errorf("Parse error:\n%v\nwant clients reported once and min_alive range-checked", got)
	}
	// Nor does a section that lost a malformed field complain about it.
	_, err = Parse("x.yaml", []byte("workload: {rate: 150, duration: 1s}\n"))
	if got := unjoin(err); len(got) != 1 || !strings.Contains(got[0].Error(), "workload.rate:") {
		t.Errorf("Parse(rate without unit) = %v, want only the rate's own error", err)
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "loading experiment") {
		t.Errorf("Load(missing) = %v, want a wrapped not-exist error", err)
	}
}

// roundTripSources cover every optional part of the schema.
var roundTripSources = map[string]string{
	"minimal": minimal,
	"everything closed": `name: all
description: "Every field: it: has a colon"
seed: -5
repeat: 2
cluster:
  nodes: 4
  launch: external
  addrs: ["127.0.0.1:7001", "127.0.0.1:7002", "localhost:7003", "[::1]:7004"]
  heartbeat: 20ms
  suspect_after: 90ms
  election_timeout: 40ms
  reelect_every: 0s
  recovery_election: false
  balancer: coordinator
  load: {base: 0.25, per_request: 0.125, bases: [0.5, 0.75, 1, 1.25]}
  service: {delay: 1m30s, max_concurrent: 4}
faults:
  kind: silent
  every: 7s
  probability: 0.35
  down: 4s
  sync_delay: 0s
  min_alive: 2
  schedule:
    - {at: 1s, node: coordinator, for: 2s}
    - {at: 1500ms, node: 3, kind: silent, for: 250ms}
workload:
  clients: 7
  requests_per_client: 3
  timeout: 750ms
  retries: 0
  backoff: 0s
  max_duration: 2h
  image: {dir: testdata/covers}
  images: 2
  usernames: 9
  quota: 0
  key: keys/seal.key
expect: {success_rate: ">= 99.95%", throughput: ">= 1.5/s", bound_achieved: "> 90%", mean: "< 1s", p50: "<= 2ms",
  p90: "< 3ms", p95: "< 4ms", p99: "< 5ms", p999: "< 6ms", max: "< 7s", lost: "== 0", failover_p50: "<= 150ms", failover_max: "<= 300ms"}
matrix:
  cluster.balancer: [random, "round-robin"]
  workload.timeout: [1s, 2s]
  description: ["a: b", "#hash", "3"]
`,
	"sine":   "workload: {clients: 5, pacer: {kind: sine, rate: 100/s, amp: 1/20ms, period: 30s, start_at: trough}, duration: 1m}\n",
	"linear": "workload: {pacer: {kind: linear, rate: 5/100ms, slope: -0.5}, duration: 1m}\n",
	"rate":   "workload: {rate: 1/2s, duration: 10s}\nmatrix: {workload.rate: [1/s, 10/s]}\n",
}

func TestYAMLRoundTrip(t *testing.T) {
	for name, src := range roundTripSources {
		t.Run(name, func(t *testing.T) {
			e, err := Parse(name+".yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.YAML()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse("resolved.yaml", out)
			if err != nil {
				t.Fatalf("Parse(YAML()) failed: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(back, e) {
				t.Errorf("Parse(YAML()) =\n%+v\nwant\n%+v\nYAML:\n%s", back, e, out)
			}
			again, err := back.YAML()
			if err != nil || string(again) != string(out) {
				t.Errorf("YAML() is not stable:\n%s\nthen\n%s", out, again)
			}
		})
	}
}

func TestYAMLSpellsOutDefaults(t *testing.T) {
	e, err := Parse("min.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.YAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"heartbeat: 50ms", "suspect_after: 200ms", "balancer: lowest-load", "down: [10s, 20s]", "min_alive: 1", "max_duration: 30m0s", "retries: 3"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("YAML() lacks the default %q:\n%s", want, out)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	e, err := Parse("all.yaml", []byte(roundTripSources["everything closed"]))
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.clone()
	if err != nil {
		t.Fatal(err)
	}
	c.Cluster.Addrs[0] = "changed"
	c.Cluster.Load.Bases[0] = 99
	c.Faults.Schedule[0].At = time.Hour
	c.Matrix[0].Values[0] = "changed"
	if e.Cluster.Addrs[0] == "changed" || e.Cluster.Load.Bases[0] == 99 || e.Faults.Schedule[0].At == time.Hour || e.Matrix[0].Values[0] == "changed" {
		t.Errorf("clone shares memory with the original: %+v", e)
	}
}
