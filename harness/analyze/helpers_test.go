package analyze

import (
	"slices"
	"testing"

	"stegocloud/cluster"
	"stegocloud/harness/fault"
	"stegocloud/harness/internal/synth"
)

func analyzeRun(t *testing.T, faults []fault.Fault, evs ...[]cluster.Event) *Analysis {
	t.Helper()
	a, err := Events(Config{Start: synth.T0, Nodes: 3, Faults: faults}, slices.Values(slices.Concat(evs...)))
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return a
}
