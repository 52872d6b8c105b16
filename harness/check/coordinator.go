package check

import (
	"fmt"
	"time"

	"stegocloud/harness/analyze"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/rundir"
)

// ElectionSafety: every coordinator and election_result event of an epoch
// names the same node. The cluster makes this true by construction — an
// epoch is round<<8 | initiator, and each initiator decides each of its
// epochs once — so a failure means a node broke that rule (or restarted
// without its state dir and decided an epoch twice); split brain across
// epochs is single_coordinator's.
func ElectionSafety(a *analyze.Analysis) rundir.Check {
	c := rundir.Check{Name: "election_safety"}
	if a == nil {
		c.Detail = "no event analysis given"
		return c
	}
	c.Pass = len(a.Conflicts) == 0
	c.Detail = fmt.Sprintf("%d elections, max epoch %d, %d epochs with more than one coordinator",
		a.Elections.Total, a.Elections.MaxEpoch, len(a.Conflicts))
	for i, k := range a.Conflicts {
		if i == 3 {
			c.Detail += "; …"
			break
		}
		c.Detail += fmt.Sprintf("; epoch %d named %v (first at %.3fs)", k.Epoch, k.Coordinators, k.At.Seconds())
		c.Evidence = append(c.Evidence, rundir.Evidence{Kind: rundir.EvidenceEpochConflict,
			FromS: k.At.Seconds(), ToS: k.At.Seconds(), Nodes: k.Coordinators, Epochs: []uint64{k.Epoch}})
	}
	return c
}

// maxEvidence bounds the findings a check lists.
const maxEvidence = 5

// SingleCoordinator: at no time did two nodes act as coordinator. A node's
// reign in an epoch runs from its first to its last coordinator action
// (analyze.Reign); two reigns of different nodes that overlap for longer than
// handover fail the check, with the interval, the nodes, their epochs and the
// requests both assigned inside it. Overlaps within handover — a sitting
// coordinator that assigns until the decision of an election reaches it —
// are counted and reported, not failed.
func SingleCoordinator(a *analyze.Analysis, handover time.Duration) rundir.Check {
	c := rundir.Check{Name: "single_coordinator"}
	switch {
	case a == nil:
		c.Detail = "no event analysis given"
		return c
	case handover < 0:
		c.Detail = fmt.Sprintf("handover tolerance not given (%v)", handover)
		return c
	}
	nodes := map[int]bool{}
	for _, r := range a.Reigns {
		nodes[r.Node] = true
	}
	var within, beyond []analyze.Overlap
	longest := 0.0
	for _, o := range a.Overlaps {
		if o.Duration() > handover {
			beyond = append(beyond, o)
		} else {
			within = append(within, o)
			longest = max(longest, units.Ms(o.Duration()))
		}
	}
	c.Pass = len(beyond) == 0
	c.Detail = fmt.Sprintf("%d reigns of %d nodes; %d overlaps within the handover tolerance of %s", len(a.Reigns), len(nodes), len(within), dur(handover))
	if len(within) > 0 {
		c.Detail += fmt.Sprintf(" (longest %s ms)", units.Num(longest))
	}
	if c.Pass {
		return c
	}
	c.Detail += fmt.Sprintf("; %d beyond it, want 0", len(beyond))
	for i, o := range beyond {
		if i == maxEvidence {
			c.Detail += "; …"
			break
		}
		c.Detail += fmt.Sprintf("; node %d (epoch %d) and node %d (epoch %d) both acted as coordinator from %.3fs to %.3fs (%s): %d requests assigned by both",
			o.A.Node, o.A.Epoch, o.B.Node, o.B.Epoch, o.From.Seconds(), o.To.Seconds(), dur(o.Duration()), o.Both)
		if len(o.Requests) > 0 {
			c.Detail += " (" + sample(o.Requests, o.Both) + ")"
		}
		c.Evidence = append(c.Evidence, rundir.Evidence{Kind: rundir.EvidenceOverlap,
			FromS: o.From.Seconds(), ToS: o.To.Seconds(), Nodes: []int{o.A.Node, o.B.Node},
			Epochs: []uint64{o.A.Epoch, o.B.Epoch}, Count: o.Both, Requests: o.Requests, Limit: handover.Seconds()})
	}
	if a.DoublesDropped > 0 {
		c.Detail += fmt.Sprintf("; counts of requests assigned by both are lower bounds (%d double assignments not kept)", a.DoublesDropped)
	}
	return c
}
