package harness

import (
	"path/filepath"
	"testing"

	"stegocloud/harness/rundir"
)

// WriteSynthSweepForTest writes a synthetic sweep of experiment exp into dir
// (sweep.json and every variant's runs, as the harness lays them out) for
// the external tests, with the synthetic effects of sweepSynthVariant.
func WriteSynthSweepForTest(t testing.TB, dir, exp string, fields []string, values [][]string, reps int) rundir.SweepIndex {
	t.Helper()
	idx := sweepSynthIndex(fields, values, reps)
	idx.Experiment = exp
	for i, v := range idx.Variants {
		syn := sweepSynthVariant(uint64(100+i), v.Values)
		syn.Experiment = exp
		syn.writeRunSet(t, filepath.Join(dir, v.Path), v.Repeat)
	}
	if err := rundir.SaveSweepIndex(dir, idx); err != nil {
		t.Fatal(err)
	}
	return idx
}
