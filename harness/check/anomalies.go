package check

import (
	"fmt"
	"slices"

	"stegocloud/harness/rundir"
)

// Expecting applies an experiment's expected anomalies (expect.anomalies) to
// checks and returns the verdict: a check named in anomalies is marked
// Expected, and the run needs it to fail — a known-bad baseline passes when,
// and only when, its anomalies are found and every other check passes. An
// expected anomaly that no check is named after (the launch mode does not
// run it) fails the verdict with a check of its own saying so.
func Expecting(checks []rundir.Check, anomalies []string) rundir.Verdict {
	for i := range checks {
		if slices.Contains(anomalies, checks[i].Name) {
			checks[i].Expected = true
		}
	}
	for _, name := range anomalies {
		if !slices.ContainsFunc(checks, func(c rundir.Check) bool { return c.Name == name }) {
			checks = append(checks, rundir.Check{Name: name, Expected: true, Pass: true,
				Detail: fmt.Sprintf("declared an expected anomaly, but this run does not check %s", name)})
		}
	}
	return NewVerdict(checks)
}
