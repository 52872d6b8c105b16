package analyze

import (
	"strings"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
)

// NodeStatus is one node at the end of the log (the seed's "Final Node Status").
type NodeStatus struct {
	ID          int
	State       string  // last state the node logged; "Exited" when its process ended without a clean stop
	Load        float64 // last load it logged
	Outstanding int
	Coordinator bool // it coordinated the highest epoch seen
	Completions int  // complete events over all its processes
	Processed   int  // complete events since its last start: the node's own count at the end
	Restarts    int  // start events after the first
	DownS       float64
}

// nodeState is what the analyzer tracks per node.
type nodeState struct {
	started     bool
	inFault     bool
	faultKind   string
	earlyActive bool // logged Active during its current fault
	exited      bool
	unclean     bool // the process ended without a stop event
	stopping    bool
	follow      int // coordinator the node follows, 0 unknown
	followEpoch uint64
	state       string
	load        float64
	outstanding int
	completions int
	processed   int
	restarts    int
	campaign    bool  // election raft: it logged election_start and has not become candidate since
	awaiting    bool  // its fault ended and it has not logged Active since
	dueBack     int64 // when its last fault ended
}

// isLive: the node's process runs, no fault holds it down and it is not
// shutting down.
func (n *nodeState) isLive() bool { return !n.inFault && !n.exited && !n.stopping }

func isActive(state string) bool { return strings.EqualFold(state, "active") }

// nodeEvent handles the events a node writes about itself, and node_exit.
func (z *Analyzer) nodeEvent(e *cluster.Event) {
	n := z.node(e.Node)
	switch e.Type {
	case cluster.EvStart:
		if n.started {
			n.restarts++
		}
		n.started, n.exited, n.unclean, n.stopping = true, false, false, false
		n.follow, n.followEpoch, n.processed, n.campaign = 0, 0, 0, false
		n.state = e.State
		z.msgs.restart(e.Node)
		z.agree.membership(e.Time)
	case cluster.EvState:
		n.state = e.State
		if isActive(e.State) {
			z.nodeActive(e.Node, e.Time)
		}
	case cluster.EvSuspect:
		z.failoverReact(e.Node, e.Peer)
	case cluster.EvAlive:
		// A paused node never leaves Active in its own view: it is back when
		// a peer hears it again.
		if e.Peer >= 1 && e.Peer <= len(z.nodes) {
			if p := z.node(e.Peer); p.awaiting && p.faultKind == experiment.FaultPause {
				z.recoveryDone(e.Peer, "resolved", time.Duration(e.Time-p.dueBack), "")
			}
		}
	case cluster.EvComplete:
		n.completions++
		n.processed++
	case cluster.EvLoad:
		n.load, n.outstanding = e.Load, e.Outstanding
		z.msgs.sample(z, e.Node, e.Counters)
	case cluster.EvProtocolError:
		z.a.ProtocolErrors++
	case cluster.EvStop:
		z.agree.freeze(z, e.Time)
		n.stopping = true
		if e.Load != 0 {
			n.load = e.Load
		}
		z.msgs.sample(z, e.Node, e.Counters)
		z.failoverDrop(e.Node)
	case cluster.EvNodeExit:
		if !n.stopping && !n.inFault {
			z.warnf("node %d exited at %.3fs outside any fault: %s", e.Node, z.at(e.Time).Seconds(), e.Reason)
		}
		n.exited, n.unclean = true, !n.stopping
		n.follow, n.followEpoch = 0, 0
		z.failoverDrop(e.Node)
		z.agree.membership(e.Time)
	}
}

// nodeStatuses is the final status of every node.
func (z *Analyzer) nodeStatuses() []NodeStatus {
	down := make([]time.Duration, len(z.nodes))
	for _, f := range z.cfg.Faults {
		if !f.IsNetwork() {
			down[f.Node-1] += f.For
		}
	}
	out := make([]NodeStatus, len(z.nodes))
	for i := range z.nodes {
		n := &z.nodes[i]
		st := n.state
		if n.exited && n.unclean {
			st = "Exited"
		}
		out[i] = NodeStatus{ID: i + 1, State: st, Load: n.load, Outstanding: n.outstanding,
			Coordinator: z.coord.known && z.coord.node == i+1,
			Completions: n.completions, Processed: n.processed, Restarts: n.restarts,
			DownS: down[i].Seconds()}
	}
	return out
}
