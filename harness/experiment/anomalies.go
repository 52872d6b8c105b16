package experiment

import (
	"slices"
	"strings"
)

// AnomalyChecks are the checks an experiment may declare as expected
// anomalies (expect.anomalies): the properties of the system under test that
// a known-bad configuration violates. The checker's own bookkeeping
// (accounted, load_complete) and thresholds cannot be declared.
var AnomalyChecks = []string{"responses_valid", "single_coordinator", "election_safety", "liveness", "linearizable", "quota_safety"}

// TableChecks are the checks of a run whose workload.mix has table
// operations; only such a run can expect them to fail.
var TableChecks = []string{"linearizable", "quota_safety"}

func (x *Expect) validateAnomalies(fe *fieldErrors, launch string, mix Mix) {
	for i, name := range x.Anomalies {
		switch {
		case slices.Contains(TableChecks, name) && !mix.TableOps():
			fe.addf("expect.anomalies", "%q is checked only when workload.mix has view, register, unregister or online operations", name)
		case !slices.Contains(AnomalyChecks, name):
			fe.addf("expect.anomalies", "%q is not a check that can be expected to fail; want one of %s", name, strings.Join(AnomalyChecks, ", "))
		case slices.Contains(x.Anomalies[:i], name):
			fe.addf("expect.anomalies", "%q is listed twice", name)
		}
	}
	if len(x.Anomalies) > 0 && launch != LaunchLocal {
		fe.addf("expect.anomalies", "needs launch: %s (with launch: %s the nodes' event logs, which those checks read, are not the harness's)", LaunchLocal, launch)
	}
}
