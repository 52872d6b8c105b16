package experiment

import (
	"reflect"
	"strings"
	"testing"

	"stegocloud/cluster"
)

const sweep = `name: sweep
seed: 42
repeat: 2
workload: {requests_per_client: 10}
faults: {kind: silent}
matrix:
  cluster.balancer: [lowest-load, round-robin]
  cluster.nodes: [3, 5, 7]
`

func TestExpandMatrixAndRepeats(t *testing.T) {
	e, err := Parse("sweep.yaml", []byte(sweep))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := Expand(e)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, v := range vs {
		labels = append(labels, v.Label)
	}
	oneRepeat := []string{
		"balancer=lowest-load,nodes=3", "balancer=lowest-load,nodes=5", "balancer=lowest-load,nodes=7",
		"balancer=round-robin,nodes=3", "balancer=round-robin,nodes=5", "balancer=round-robin,nodes=7",
	}
	if want := append(append([]string{}, oneRepeat...), oneRepeat...); !reflect.DeepEqual(labels, want) {
		t.Fatalf("labels = %q\nwant %q (repeat by repeat, first axis slowest)", labels, want)
	}
	for i, v := range vs {
		wantRepeat := 1 + i/len(oneRepeat)
		x := v.Experiment
		switch {
		case v.Repeat != wantRepeat:
			t.Errorf("variant %d (%s) repeat = %d, want %d", i, v.Label, v.Repeat, wantRepeat)
		case x.Matrix != nil || x.Repeat != 1 || x.Seed != v.Seed:
			t.Errorf("variant %d: matrix %v repeat %d seed %d; want no matrix, repeat 1, seed %d", i, x.Matrix, x.Repeat, x.Seed, v.Seed)
		case x.Cluster.Balancer != v.Params[0].Value || x.Cluster.Nodes != map[string]int{"3": 3, "5": 5, "7": 7}[v.Params[1].Value]:
			t.Errorf("variant %s has balancer %q nodes %d", v.Label, x.Cluster.Balancer, x.Cluster.Nodes)
		}
		if err := x.Validate(); err != nil {
			t.Errorf("variant %s does not validate: %v", v.Label, err)
		}
	}
	// Seeds: repeat 1 keeps the base seed; repeat 2 differs; variants of one
	// repeat share theirs (common random numbers).
	for i, v := range vs {
		want := DeriveSeed(42, v.Repeat)
		if v.Seed != want {
			t.Errorf("variant %d (%s, repeat %d) seed = %d, want %d", i, v.Label, v.Repeat, v.Seed, want)
		}
	}
	if vs[0].Seed != 42 || vs[len(oneRepeat)].Seed == 42 {
		t.Errorf("repeat 1 seed %d (want the base 42), repeat 2 seed %d (want a different one)", vs[0].Seed, vs[len(oneRepeat)].Seed)
	}
	if e.Matrix == nil || e.Cluster.Balancer != cluster.BalancerLowestLoad {
		t.Errorf("Expand modified its input: %+v", e)
	}
}

func TestVariantYAMLReplaysTheRun(t *testing.T) {
	e, err := Parse("sweep.yaml", []byte(sweep))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := Expand(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Variant{vs[0], vs[len(vs)-1]} {
		data, err := v.Experiment.YAML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("experiment.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Expand(back)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 1 || again[0].Seed != v.Seed || !reflect.DeepEqual(again[0].Experiment, v.Experiment) {
			t.Errorf("re-running %s's experiment.yaml gives %+v, want one run with seed %d", v.Label, again, v.Seed)
		}
	}
}

func TestExpandWithoutMatrix(t *testing.T) {
	e, err := Parse("one.yaml", []byte(minimal+"seed: 9\n"))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := Expand(e)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Label != "" || vs[0].Seed != 9 || vs[0].Repeat != 1 || len(vs[0].Params) != 0 {
		t.Errorf("Expand(no matrix) = %+v, want one unlabelled run with seed 9", vs)
	}
}

func TestExpandRejectsBadExperiments(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(e *Experiment)
		want   string
	}{
		{"unknown field", func(e *Experiment) { e.Matrix = Matrix{{Field: "cluster.nodez", Values: []string{"3"}}} }, `matrix[cluster.nodez]: unknown field "nodez"`},
		{"invalid value", func(e *Experiment) { e.Matrix = Matrix{{Field: "workload.clients", Values: []string{"-1"}}} }, "matrix[workload.clients][0]: workload.clients=-1 makes workload.clients invalid"},
		{"too many runs", func(e *Experiment) {
			e.Repeat = 600
			e.Matrix = Matrix{{Field: "seed", Values: []string{"1", "2"}}}
		}, "more than 1000 runs"},
		{"invalid base", func(e *Experiment) { e.Cluster.Nodes = 0 }, "cluster.nodes: must be in 1..64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse("x.yaml", []byte(minimal))
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(e)
			vs, err := Expand(e)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Expand = %d variants, %v; want an error containing %q", len(vs), err, tc.want)
			}
		})
	}
}

func TestLabelIsTheSweepLabel(t *testing.T) {
	got := label([]Param{{"cluster.load.base", "0.5"}, {"workload.rate", "10/s"}, {"workload.pacer.rate", "5/s"}})
	want := "base=0.5,workload.rate=10_s,workload.pacer.rate=5_s"
	if got != want {
		t.Errorf("label = %q, want %q (same names disambiguated, made safe for a directory)", got, want)
	}
}

func TestDeriveSeed(t *testing.T) {
	seen := map[int64]int{}
	for _, base := range []int64{0, 1, 42, -7} {
		if got := DeriveSeed(base, 1); got != base {
			t.Errorf("DeriveSeed(%d, 1) = %d, want the base itself", base, got)
		}
		for r := 1; r <= 200; r++ {
			s := DeriveSeed(base, r)
			if s != DeriveSeed(base, r) {
				t.Fatalf("DeriveSeed(%d, %d) is not stable", base, r)
			}
			if prev, dup := seen[s]; dup {
				t.Errorf("DeriveSeed(%d, %d) = %d collides with an earlier seed (#%d)", base, r, s, prev)
			}
			seen[s] = len(seen)
		}
	}
	if SubSeed(1, "faults") == SubSeed(1, "images") || SubSeed(1, "faults") == SubSeed(2, "faults") {
		t.Errorf("SubSeed streams collide: %d %d %d", SubSeed(1, "faults"), SubSeed(1, "images"), SubSeed(2, "faults"))
	}
}
