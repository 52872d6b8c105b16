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
