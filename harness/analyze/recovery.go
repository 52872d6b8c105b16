package analyze

import "time"

// Recovery is one node coming back from a fault: from its fault_end (due back)
// to its next state event to Active — or, for a pause, which the node itself
// never notices, to the first alive event in which a peer hears it again. See
// harness/doc.go, "Recovery time".
type Recovery struct {
	Node     int
	Kind     string        // the fault's kind
	At       time.Duration // the fault ended
	Outcome  string        // resolved | unresolved
	Duration time.Duration // resolved: until the node logged Active
	Reason   string        // why it is unresolved
}

// nodeActive handles a state event to Active.
func (z *Analyzer) nodeActive(node int, t int64) {
	n := z.node(node)
	switch {
	case n.awaiting:
		z.recoveryDone(node, "resolved", time.Duration(t-n.dueBack), "")
	case n.inFault && !n.earlyActive:
		n.earlyActive = true
		z.warnf("node %d logged Active at %.3fs, before its %s fault ended: not counted as its recovery", node, z.at(t).Seconds(), n.faultKind)
	}
}

func (z *Analyzer) recoveryDone(node int, outcome string, d time.Duration, reason string) {
	n := z.node(node)
	z.a.Recoveries = append(z.a.Recoveries, Recovery{Node: node, Kind: n.faultKind, At: z.at(n.dueBack),
		Outcome: outcome, Duration: d, Reason: reason})
	n.awaiting = false
}

// closeRecoveries ends the recoveries still awaited when the log ends.
func (z *Analyzer) closeRecoveries() {
	for i := range z.nodes {
		if z.nodes[i].awaiting {
			z.recoveryDone(i+1, "unresolved", 0, "the log ended before it logged Active")
		}
	}
}
