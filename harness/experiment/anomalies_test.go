package experiment

import (
	"reflect"
	"strings"
	"testing"
)

func TestExpectAnomalies(t *testing.T) {
	e, err := Parse("x.yaml", []byte(minimal+"expect:\n  success_rate: \">= 99%\"\n  anomalies: [single_coordinator, liveness]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"single_coordinator", "liveness"}; !reflect.DeepEqual(e.Expect.Anomalies, want) {
		t.Errorf("anomalies = %v, want %v", e.Expect.Anomalies, want)
	}
	for _, c := range []struct{ src, want string }{
		{"expect:\n  anomalies: [split_brain]\n", `expect.anomalies: "split_brain" is not a check that can be expected to fail; want one of responses_valid, single_coordinator, election_safety, liveness`},
		{"expect:\n  anomalies: [accounted]\n", `"accounted" is not a check that can be expected to fail`},
		{"expect:\n  anomalies: [liveness, liveness]\n", `expect.anomalies: "liveness" is listed twice`},
		{"expect:\n  anomalies: liveness\n", "expect.anomalies"},
		{"cluster:\n  launch: noop\nexpect:\n  anomalies: [liveness]\n", "expect.anomalies: needs launch: local"},
	} {
		_, err := Parse("x.yaml", []byte(minimal+c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.src, err, c.want)
		}
	}
	if !strings.Contains(HelpText(), "expect.anomalies  list of string") {
		t.Errorf("stegocloud run --help does not document expect.anomalies")
	}
}

// TestExpectAnomaliesWhen: a sweep's variants expect what their matrix
// values select, on top of expect.anomalies; each variant's experiment
// carries only its own list; keys that name no axis or value are refused.
func TestExpectAnomaliesWhen(t *testing.T) {
	src := minimal + "matrix:\n  cluster.balancer: [lowest-load, round-robin]\n" +
		"expect:\n  anomalies: [liveness]\n  anomalies_when:\n    cluster.balancer=round-robin: [single_coordinator, liveness]\n"
	e, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := Expand(e)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, v := range vs {
		got[v.Label] = v.Experiment.Expect.Anomalies
		if v.Experiment.Expect.AnomaliesWhen != nil {
			t.Errorf("variant %s keeps anomalies_when %v", v.Label, v.Experiment.Expect.AnomaliesWhen)
		}
	}
	want := map[string][]string{"balancer=lowest-load": {"liveness"}, "balancer=round-robin": {"liveness", "single_coordinator"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("variants expect %v, want %v", got, want)
	}
	for _, c := range []struct{ src, want string }{
		{"expect:\n  anomalies_when: {cluster.balancer=round-robin: [liveness]}\n", "expect.anomalies_when[cluster.balancer=round-robin]: cluster.balancer is not a matrix axis"},
		{"matrix: {cluster.balancer: [lowest-load]}\nexpect:\n  anomalies_when: {cluster.balancer=random: [liveness]}\n", "random is not one of the matrix's values of cluster.balancer (lowest-load)"},
		{"matrix: {cluster.balancer: [lowest-load]}\nexpect:\n  anomalies_when: {balancer: [liveness]}\n", "want field=value"},
		{"matrix: {cluster.balancer: [lowest-load]}\nexpect:\n  anomalies_when: {cluster.balancer=lowest-load: [split_brain]}\n", `"split_brain" is not a check that can be expected to fail`},
	} {
		_, err := Parse("x.yaml", []byte(minimal+c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.src, err, c.want)
		}
	}
}
