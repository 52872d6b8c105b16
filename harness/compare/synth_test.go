package compare

import (
	"testing"

	"stegocloud/harness/rundirtest"
)

// synthRunSet builds reps runs of s in memory, as if read from dir.
func synthRunSet(t testing.TB, s rundirtest.Synth, dir string, reps int) *RunSet {
	t.Helper()
	set := &RunSet{Dir: dir, Label: runSetLabel(dir)}
	for rep := 1; rep <= reps; rep++ {
		set.Runs = append(set.Runs, LoadedRun{Dir: rundirtest.RunDir(dir, reps, rep), Summary: s.Summary(t, rep), Info: s.Info(rep)})
	}
	return set
}
