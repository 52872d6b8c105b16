package rundir_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/golden"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

func TestSweepLabel(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		values map[string]string
		want   string
	}{
		{"one field", []string{"cluster.balancer"}, map[string]string{"cluster.balancer": "round-robin"}, "balancer=round-robin"},
		{"two fields in field order", []string{"cluster.balancer", "cluster.nodes"},
			map[string]string{"cluster.nodes": "5", "cluster.balancer": "random"}, "balancer=random,nodes=5"},
		{"ambiguous short names keep their path", []string{"cluster.load.base", "other.base"},
			map[string]string{"cluster.load.base": "0.5", "other.base": "1"}, "cluster.load.base=0.5,other.base=1"},
		{"a rate is made a safe name", []string{"workload.rate"}, map[string]string{"workload.rate": "150/s"}, "rate=150_s"},
		{"spaces and separators", []string{"x"}, map[string]string{"x": "a b,c=d"}, "x=a_b_c_d"},
		{"a field without dots", []string{"seed"}, map[string]string{"seed": "42"}, "seed=42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := experiment.VariantLabel(tt.fields, tt.values); got != tt.want {
				t.Errorf("VariantLabel(%q, %v) = %q, want %q", tt.fields, tt.values, got, tt.want)
			}
		})
	}
}

func TestSweepIndexRoundTrip(t *testing.T) {
	idx := twoFieldIndex(t, 6)
	var buf bytes.Buffer
	if err := rundir.WriteSweepIndex(&buf, idx); err != nil {
		t.Fatalf("harness.WriteSweepIndex: %v", err)
	}
	got, err := rundir.ReadSweepIndex(&buf)
	if err != nil {
		t.Fatalf("harness.ReadSweepIndex(%s): %v", buf.String(), err)
	}
	var again bytes.Buffer
	if err := rundir.WriteSweepIndex(&again, got); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	rundir.WriteSweepIndex(&first, idx)
	if again.String() != first.String() {
		t.Errorf("round trip changed the index:\n%s\nwant\n%s", again.String(), first.String())
	}
	golden.Check(t, "sweep_index.golden", first.Bytes())
}

func TestSweepIndexInvalid(t *testing.T) {
	valid := func() rundir.SweepIndex {
		return twoFieldIndex(t, 2)
	}
	tests := []struct {
		name   string
		mutate func(idx *rundir.SweepIndex)
		want   string
	}{
		{"future version", func(idx *rundir.SweepIndex) { idx.Version = 2 }, "version 2"},
		{"no experiment", func(idx *rundir.SweepIndex) { idx.Experiment = "" }, "no experiment name"},
		{"no fields", func(idx *rundir.SweepIndex) { idx.Fields = nil }, "no swept fields"},
		{"repeated field", func(idx *rundir.SweepIndex) { idx.Fields = []string{"cluster.nodes", "cluster.nodes"} }, `repeated field "cluster.nodes"`},
		{"no variants", func(idx *rundir.SweepIndex) { idx.Variants = nil }, "no variants"},
		{"no label", func(idx *rundir.SweepIndex) { idx.Variants[1].Label = "" }, "variant 2 (\"\"): no label"},
		{"escaping path", func(idx *rundir.SweepIndex) { idx.Variants[0].Path = "../elsewhere" }, "not a relative path inside"},
		{"absolute path", func(idx *rundir.SweepIndex) { idx.Variants[0].Path = "/tmp/x" }, "not a relative path inside"},
		{"no repeat", func(idx *rundir.SweepIndex) { idx.Variants[2].Repeat = 0 }, "repeat 0"},
		{"missing value", func(idx *rundir.SweepIndex) { delete(idx.Variants[3].Values, "cluster.nodes") }, "1 values for 2 swept fields"},
		{"value of another field", func(idx *rundir.SweepIndex) {
			delete(idx.Variants[3].Values, "cluster.nodes")
			idx.Variants[3].Values["cluster.heartbeat"] = "50ms"
		}, `no value for swept field "cluster.nodes"`},
		{"label twice", func(idx *rundir.SweepIndex) { idx.Variants[1].Label = idx.Variants[0].Label }, "used twice"},
		{"path twice", func(idx *rundir.SweepIndex) { idx.Variants[1].Path = idx.Variants[0].Path + "/" }, "path"},
		{"same values twice", func(idx *rundir.SweepIndex) {
			idx.Variants[1].Values = map[string]string{"cluster.balancer": "lowest-load", "cluster.nodes": "3"}
		}, "same values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := valid()
			tt.mutate(&idx)
			err := idx.Validate()
			if !errors.Is(err, rundir.ErrSweepIndex) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %v containing %q", err, rundir.ErrSweepIndex, tt.want)
			}
			if err := rundir.WriteSweepIndex(&bytes.Buffer{}, idx); !errors.Is(err, rundir.ErrSweepIndex) {
				t.Errorf("harness.WriteSweepIndex of an invalid index: err %v, want %v", err, rundir.ErrSweepIndex)
			}
		})
	}
}

func TestReadSweepIndexRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", "nope", "invalid character"},
		{"unknown field", `{"version": 1, "experiment": "x", "fields": ["a"], "variants": [], "extra": 1}`, `unknown field "extra"`},
		{"trailing data", `{"version": 1, "experiment": "x", "fields": ["a"], "variants": [{"label": "a=1", "values": {"a": "1"}, "path": "a=1", "repeat": 1}]} {}`, "data after"},
		{"empty", ``, "EOF"},
		{"invalid content", `{"version": 1, "experiment": "x", "fields": ["a"], "variants": []}`, "no variants"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rundir.ReadSweepIndex(strings.NewReader(tt.in))
			if !errors.Is(err, rundir.ErrSweepIndex) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("harness.ReadSweepIndex(%q) = %v, want %v containing %q", tt.in, err, rundir.ErrSweepIndex, tt.want)
			}
		})
	}
}

// harness.ReadSweepIndex takes files anyone may edit: it must never panic, and what
// it accepts must survive a write and a read unchanged.
func FuzzReadSweepIndex(f *testing.F) {
	var buf bytes.Buffer
	if err := rundir.WriteSweepIndex(&buf, twoFieldIndex(f, 6)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"version": 1, "experiment": "x", "fields": ["a"], "variants": [{"label": "a=1", "values": {"a": "1"}, "path": "a=1", "repeat": 1}]}`))
	f.Add([]byte(`{"version": 1, "fields": [], "variants": null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := rundir.ReadSweepIndex(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, rundir.ErrSweepIndex) {
				t.Fatalf("harness.ReadSweepIndex(%q): error %v does not wrap harness.ErrSweepIndex", data, err)
			}
			return
		}
		var out bytes.Buffer
		if err := rundir.WriteSweepIndex(&out, idx); err != nil {
			t.Fatalf("an index read from %q does not write back: %v", data, err)
		}
		written := out.String()
		again, err := rundir.ReadSweepIndex(strings.NewReader(written))
		if err != nil {
			t.Fatalf("an index written from %q does not read back: %v", data, err)
		}
		var out2 bytes.Buffer
		rundir.WriteSweepIndex(&out2, again)
		if written != out2.String() {
			t.Fatalf("round trip of %q changed the index:\n%s\n%s", data, written, out2.String())
		}
	})
}

// matrixExperiment sweeps 2 balancers × 3 cluster sizes, each twice.
const matrixExperiment = "name: sweep\nrepeat: 2\nworkload: {requests_per_client: 10}\n" +
	"matrix: {cluster.balancer: [lowest-load, round-robin], cluster.nodes: [3, 5, 7]}\n"

func TestSweepIndexFor(t *testing.T) {
	e, err := experiment.Parse("sweep.yaml", []byte(matrixExperiment))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := experiment.Expand(e)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := rundir.SweepIndexFor(e, vs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(idx.Fields, []string{"cluster.balancer", "cluster.nodes"}) || len(idx.Variants) != 6 || idx.Experiment != "sweep" {
		t.Fatalf("harness.SweepIndexFor = %+v, want 2 fields and 6 variants", idx)
	}
	for i, v := range idx.Variants {
		if v.Label != vs[i].Label || v.Path != v.Label || v.Repeat != 2 || v.Values["cluster.nodes"] != vs[i].Params[1].Value {
			t.Errorf("variant %d = %+v, want %s with repeat 2", i, v, vs[i].Label)
		}
	}
	one, err := experiment.Parse("one.yaml", []byte("workload: {requests_per_client: 10}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ovs, _ := experiment.Expand(one)
	if _, err := rundir.SweepIndexFor(one, ovs); !errors.Is(err, rundir.ErrSweepIndex) {
		t.Errorf("harness.SweepIndexFor(no matrix) = %v, want harness.ErrSweepIndex", err)
	}
}

// twoFieldIndex is a sweep of 2 balancers × 2 node counts, reps runs each.
func twoFieldIndex(t testing.TB, reps int) rundir.SweepIndex {
	t.Helper()
	return rundirtest.SweepIndex("balancers", []string{"cluster.balancer", "cluster.nodes"}, [][]string{{"lowest-load", "round-robin"}, {"3", "5"}}, reps)
}
