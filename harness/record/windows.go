package record

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"

	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
)

// windows is the union of a run's fault windows as sorted, disjoint,
// half-open intervals [from, to) of offsets from the load start. Faults on
// different nodes that overlap merge into one window: a request is "in faults"
// when any node was down while it was in flight.
type windows []struct{ from, to time.Duration }

// newWindows validates faults against the node count and merges them. A
// `node: coordinator` fault is not resolved to a node until it is due, after
// the recorder starts; its window is known and is all the recorder needs. A
// network fault names no node: its window counts like any other.
func newWindows(faults []fault.Fault, nodes int) (windows, error) {
	var ws windows
	for i, f := range faults {
		unresolved := f.Node == 0 && (f.Selector == experiment.CoordinatorName || f.IsNetwork())
		switch {
		case (f.Node < 1 || f.Node > nodes) && !unresolved:
			return nil, fmt.Errorf("%w: fault %d is on node %d, want 1..%d", ErrRecorderConfig, i, f.Node, nodes)
		case f.At < 0 || f.For < 0:
			return nil, fmt.Errorf("%w: fault %d has at %v, for %v; want both ≥ 0", ErrRecorderConfig, i, f.At, f.For)
		case f.For == 0:
			continue // an empty window overlaps nothing
		}
		ws = append(ws, struct{ from, to time.Duration }{f.At, f.End()})
	}
	slices.SortFunc(ws, func(a, b struct{ from, to time.Duration }) int { return cmp.Compare(a.from, b.from) })
	merged := ws[:0]
	for _, w := range ws {
		if n := len(merged); n > 0 && w.from <= merged[n-1].to {
			merged[n-1].to = max(merged[n-1].to, w.to)
			continue
		}
		merged = append(merged, w)
	}
	return merged, nil
}

// overlaps reports whether a request in flight over the closed interval
// [start, end] overlapped a window [from, to): it did when from ≤ end and
// start < to. So a request that ends the instant a fault begins counts as in
// the fault (it was in flight when the node went down), and one that starts
// the instant the fault ends does not.
func (ws windows) overlaps(start, end time.Duration) bool {
	i := sort.Search(len(ws), func(i int) bool { return ws[i].to > start })
	return i < len(ws) && ws[i].from <= end
}
