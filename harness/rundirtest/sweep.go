package rundirtest

import (
	"fmt"
	"strings"

	"stegocloud/harness/experiment"

	"stegocloud/harness/rundir"
)

// SweepIndex is the sweep.json of experiment name with a matrix over fields
// (values[i] for fields[i]; the first field varies slowest), every variant
// repeated reps times. It is built the way a run builds it: the experiment is
// parsed and expanded, and harness.SweepIndexFor indexes its variants.
func SweepIndex(name string, fields []string, values [][]string, reps int) (rundir.SweepIndex, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\nrepeat: %d\nworkload: {requests_per_client: 10}\nmatrix:\n", name, reps)
	for i, f := range fields {
		fmt.Fprintf(&b, "  %s: [%s]\n", f, strings.Join(values[i], ", "))
	}
	e, err := experiment.Parse(name+".yaml", []byte(b.String()))
	if err != nil {
		return rundir.SweepIndex{}, fmt.Errorf("rundirtest: %w", err)
	}
	vs, err := experiment.Expand(e)
	if err != nil {
		return rundir.SweepIndex{}, fmt.Errorf("rundirtest: %w", err)
	}
	return rundir.SweepIndexFor(e, vs)
}
