package check

import (
	"strings"
	"testing"

	"stegocloud/harness/rundir"
)

func TestExpecting(t *testing.T) {
	checks := func(coordinatorPass, livenessPass bool) []rundir.Check {
		return []rundir.Check{{Name: "accounted", Pass: true}, {Name: "single_coordinator", Pass: coordinatorPass},
			{Name: "liveness", Pass: livenessPass}}
	}
	tests := []struct {
		name      string
		checks    []rundir.Check
		anomalies []string
		pass      bool
	}{
		{"nothing expected, all pass", checks(true, true), nil, true},
		{"nothing expected, one fails", checks(false, true), nil, false},
		{"the expected anomaly is found", checks(false, true), []string{"single_coordinator"}, true},
		{"the expected anomaly is not found", checks(true, true), []string{"single_coordinator"}, false},
		{"the expected one and another fail", checks(false, false), []string{"single_coordinator"}, false},
		{"both expected, both found", checks(false, false), []string{"single_coordinator", "liveness"}, true},
		{"an expected anomaly this run does not check", checks(false, true), []string{"single_coordinator", "responses_valid"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Expecting(tc.checks, tc.anomalies)
			if v.Pass != tc.pass {
				t.Errorf("Expecting(%+v, %v) = %+v, want pass %v", tc.checks, tc.anomalies, v, tc.pass)
			}
			for _, c := range v.Checks {
				want := false
				for _, a := range tc.anomalies {
					want = want || a == c.Name
				}
				if c.Expected != want {
					t.Errorf("check %s: expected %v, want %v", c.Name, c.Expected, want)
				}
			}
		})
	}
	v := Expecting(checks(false, true), []string{"responses_valid"})
	last := v.Checks[len(v.Checks)-1]
	if last.Name != "responses_valid" || last.AsExpected() || !strings.Contains(last.Detail, "does not check") {
		t.Errorf("an unchecked expected anomaly: %+v, want a check saying it was not checked", last)
	}
}
