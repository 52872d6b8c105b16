package harness

import (
	"path/filepath"
	"strconv"
	"testing"

	"stegocloud/harness/experiment"

	"stegocloud/harness/rundir"
)

// sweepSynthVariant is the synthetic effect of a variant's values on a run:
// more nodes cost messages and shorten the tail, lowest-load skews the spread.
func sweepSynthVariant(seed uint64, values map[string]string) cmpSynth {
	s := cmpBaseSynth(seed)
	if n, err := strconv.Atoi(values["cluster.nodes"]); err == nil {
		s.Nodes = n
		s.Msgs = 3*float64(n) + 1
		s.TailMs = 120 / float64(n)
	}
	switch values["cluster.balancer"] {
	case "round-robin":
		s.Skew = 0.02
	case "random":
		s.Skew = 0.1
		s.RPS = 93
	case "lowest-load":
		s.Skew = 0.3
	}
	return s
}

// sweepSynthIndex is a sweep over the cross product of the given values.
func sweepSynthIndex(fields []string, values [][]string, reps int) rundir.SweepIndex {
	idx := rundir.SweepIndex{Version: rundir.SweepIndexVersion, Experiment: "balancers", Fields: fields}
	var rec func(i int, cur map[string]string)
	rec = func(i int, cur map[string]string) {
		if i == len(fields) {
			vals := map[string]string{}
			for k, v := range cur {
				vals[k] = v
			}
			label := experiment.VariantLabel(fields, vals)
			idx.Variants = append(idx.Variants, rundir.SweepVariant{Label: label, Values: vals, Path: label, Repeat: reps})
			return
		}
		for _, v := range values[i] {
			cur[fields[i]] = v
			rec(i+1, cur)
		}
	}
	rec(0, map[string]string{})
	return idx
}

// sweepSynthSets builds the variants' run sets in memory.
func sweepSynthSets(t testing.TB, dir string, idx rundir.SweepIndex) []*RunSet {
	t.Helper()
	sets := make([]*RunSet, len(idx.Variants))
	for i, v := range idx.Variants {
		sets[i] = sweepSynthVariant(uint64(100+i), v.Values).runSet(t, filepath.Join(dir, v.Path), v.Repeat)
		sets[i].Label = v.Label
	}
	return sets
}

// sweepSynthWrite writes a whole sweep directory: sweep.json and the runs.
func sweepSynthWrite(t testing.TB, dir string, idx rundir.SweepIndex) {
	t.Helper()
	for i, v := range idx.Variants {
		sweepSynthVariant(uint64(100+i), v.Values).writeRunSet(t, filepath.Join(dir, v.Path), v.Repeat)
	}
	if err := rundir.SaveSweepIndex(dir, idx); err != nil {
		t.Fatal(err)
	}
}
