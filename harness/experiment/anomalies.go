package experiment

import (
	"maps"
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

// validateAnomaliesWhen checks that each key of expect.anomalies_when names
// a matrix axis and one of its values (the lists themselves are checked in
// every variant they reach, as expect.anomalies).
func (e *Experiment) validateAnomaliesWhen(fe *fieldErrors) {
	for _, key := range slices.Sorted(maps.Keys(e.Expect.AnomaliesWhen)) {
		path := "expect.anomalies_when[" + key + "]"
		field, value, ok := strings.Cut(key, "=")
		if !ok {
			fe.addf(path, "want field=value of a matrix axis, e.g. cluster.election=bully")
			continue
		}
		i := slices.IndexFunc(e.Matrix, func(a Axis) bool { return a.Field == field })
		switch {
		case i < 0:
			fe.addf(path, "%s is not a matrix axis of this experiment", field)
		case !slices.Contains(e.Matrix[i].Values, value):
			fe.addf(path, "%s is not one of the matrix's values of %s (%s)", value, field, strings.Join(e.Matrix[i].Values, ", "))
		}
	}
}

// withAnomaliesWhen merges the expected anomalies the variant's params
// select into its Anomalies and drops the table.
func (x *Expect) withAnomaliesWhen(params []Param) {
	for _, p := range params {
		for _, name := range x.AnomaliesWhen[p.Field+"="+p.Value] {
			if !slices.Contains(x.Anomalies, name) {
				x.Anomalies = append(x.Anomalies, name)
			}
		}
	}
	x.AnomaliesWhen = nil
}
