package compare

import (
	"path/filepath"
	"testing"

	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// synthSweepSets builds the variants' run sets in memory.
func synthSweepSets(t testing.TB, dir string, idx rundir.SweepIndex) []*RunSet {
	t.Helper()
	sets := make([]*RunSet, len(idx.Variants))
	for i, v := range idx.Variants {
		sets[i] = synthRunSet(t, rundirtest.SweepSynth(uint64(100+i), v.Values), filepath.Join(dir, v.Path), v.Repeat)
		sets[i].Label = v.Label
	}
	return sets
}
