package analyze

import (
	"time"

	"stegocloud/cluster"
)

// Failover is one loss of the coordinator: a fault_start on the node that
// coordinated the highest epoch seen. See harness/doc.go, "Failover time".
type Failover struct {
	At             time.Duration // the coordinator's fault started
	Coordinator    int           // the node that went down
	Epoch          uint64        // the epoch it coordinated
	Kind           string        // silent | crash | pause
	Waited         []int         // live nodes at At, each of which had to agree
	Outcome        string        // resolved | masked | unresolved
	Duration       time.Duration // resolved: until the last waited node followed NewCoordinator
	NewCoordinator int
	Reason         string // why it is masked or unresolved
}

// episode is an open failover episode.
type episode struct {
	f       Failover
	t0      int64
	waiting []bool // per node: still waited for
	latest  []int  // per node: coordinator named since t0, 0 none yet
	reacted bool   // a waited node suspected the coordinator, started an election or named a coordinator
	done    bool
}

// faultEvent handles the harness's fault_start and fault_end.
func (z *Analyzer) faultEvent(e *cluster.Event) {
	n := z.node(e.Node)
	if e.Type == cluster.EvFaultStart {
		z.starts++
		if z.coord.known && z.coord.node == e.Node && n.isLive() {
			z.startFailover(e)
		}
		if n.awaiting {
			z.recoveryDone(e.Node, "unresolved", 0, "its next fault began before it logged Active")
		}
		n.inFault, n.faultKind, n.earlyActive = true, e.Kind, false
		z.failoverDrop(e.Node)
		z.agree.membership(e.Time)
		return
	}
	n.inFault, n.awaiting, n.dueBack = false, true, e.Time
	if e.Kind != "" {
		n.faultKind = e.Kind
	}
	z.failoverBack(e.Node)
	z.agree.membership(e.Time)
}

func (z *Analyzer) startFailover(e *cluster.Event) {
	f := &episode{t0: e.Time, waiting: make([]bool, len(z.nodes)), latest: make([]int, len(z.nodes)),
		f: Failover{At: z.at(e.Time), Coordinator: e.Node, Epoch: z.coord.epoch, Kind: e.Kind}}
	for i := range z.nodes {
		if i+1 != e.Node && z.nodes[i].isLive() {
			f.waiting[i] = true
			f.f.Waited = append(f.f.Waited, i+1)
		}
	}
	if !z.settleFailover(f, e.Time) {
		z.open = append(z.open, f)
	}
}

// failoverReact notes that node reacted to the loss of a coordinator: it
// suspected peer (0: any election activity).
func (z *Analyzer) failoverReact(node, peer int) {
	for _, f := range z.open {
		if f.waiting[node-1] && (peer == 0 || peer == f.f.Coordinator) {
			f.reacted = true
		}
	}
}

// failoverFollow notes that node now follows coord.
func (z *Analyzer) failoverFollow(node, coord int) {
	for _, f := range z.open {
		if f.waiting[node-1] {
			f.latest[node-1], f.reacted = coord, true
		}
	}
}

// failoverDrop stops waiting for a node that went down itself.
func (z *Analyzer) failoverDrop(node int) {
	for _, f := range z.open {
		f.waiting[node-1] = false
	}
}

// failoverBack handles the fault_end of a node: an episode about it in which no
// waited node has reacted yet was masked, the fault shorter than detection.
func (z *Analyzer) failoverBack(node int) {
	keep := z.open[:0]
	for _, f := range z.open {
		if f.f.Coordinator == node && !f.reacted {
			z.finishFailover(f, "masked", "the coordinator was back before any node reacted")
			continue
		}
		keep = append(keep, f)
	}
	z.open = keep
}

// settleAll closes every episode that has become resolved or hopeless; it runs
// after every event that can change who follows whom or who is live.
func (z *Analyzer) settleAll(t int64) {
	keep := z.open[:0]
	for _, f := range z.open {
		if !z.settleFailover(f, t) {
			keep = append(keep, f)
		}
	}
	z.open = keep
}

// settleFailover finishes f when every waited node follows one coordinator
// that is live, or when no node is left to wait for; it reports whether f is
// finished. The caller removes finished episodes from z.open.
func (z *Analyzer) settleFailover(f *episode, t int64) bool {
	agreed, any := 0, false
	for i, w := range f.waiting {
		if !w {
			continue
		}
		if !any {
			any, agreed = true, f.latest[i]
		}
		if f.latest[i] == 0 || f.latest[i] != agreed {
			return false
		}
	}
	if !any {
		z.finishFailover(f, "unresolved", "no live node was left to take over")
		return true
	}
	if agreed < 1 || agreed > len(z.nodes) || !z.nodes[agreed-1].isLive() {
		return false
	}
	f.f.NewCoordinator, f.f.Duration = agreed, time.Duration(t-f.t0)
	z.finishFailover(f, "resolved", "")
	return true
}

func (z *Analyzer) finishFailover(f *episode, outcome, reason string) {
	if f.done {
		return
	}
	f.done = true
	f.f.Outcome, f.f.Reason = outcome, reason
	z.a.Failovers = append(z.a.Failovers, f.f)
}
