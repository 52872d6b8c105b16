package cluster

import (
	"fmt"
	"slices"
	"strings"
)

// logEvent mirrors an event into the human log.
func (n *Node) logEvent(e Event) {
	switch e.Type {
	case EvStart:
		n.log.Info("node state", "state", e.State)
	case EvState:
		n.log.Info("state change", "from", e.From, "to", e.State)
	case EvSuspect:
		n.log.Info("suspecting peer", "peer", e.Peer, "reason", e.Reason)
	case EvAlive:
		n.log.Info("peer alive again", "peer", e.Peer)
	case EvElectionStart:
		n.log.Info("starting election", "epoch", e.Epoch, "cause", e.Cause)
	case EvElectionResult:
		fmt.Fprint(n.out, FormatElectionResult(e))
	case EvCoordinator:
		n.log.Info("following coordinator", "coordinator", e.Coordinator, "epoch", e.Epoch,
			"round", EpochRound(e.Epoch), "initiator", EpochInitiator(e.Epoch))
	case EvSync:
		n.log.Info("state synced", "from", e.Peer, "coordinator", e.Coordinator, "epoch", e.Epoch, "note", e.Reason)
	case EvReassign:
		n.log.Info("reassigning request", "req", e.Request, "from", e.Peer, "to", e.Assignee, "reason", e.Reason)
	case EvAssign:
		n.log.Debug("assigning request", "req", e.Request, "to", e.Assignee, "loads", e.Loads)
	case EvComplete:
		n.log.Debug("served request", "req", e.Request, "dur", e.Duration, "err", e.Reason)
	case EvReject:
		n.log.Warn("refused", "peer", e.Peer, "epoch", e.Epoch, "coordinator", e.Coordinator, "reason", e.Reason)
	case EvElectionBackoff:
		n.log.Info("following a coordinator it cannot hear before re-electing", "coordinator", e.Coordinator, "epoch", e.Epoch, "for", e.Duration)
	case EvStall:
		n.log.Warn("this node was not running; asking peers before acting", "gap", e.Duration)
	case EvFenced:
		n.log.Debug("refused an assign from a superseded epoch", "from", e.Peer, "epoch", e.Epoch, "req", e.Request)
	}
}

// FormatElectionResult renders an election_result event as the seed's
// "=== ELECTION RESULT ===" block: the winner, then every load, lowest first.
func FormatElectionResult(e Event) string {
	ids := make([]int, 0, len(e.Loads))
	for id := range e.Loads {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int) int {
		if e.Loads[a] != e.Loads[b] {
			if e.Loads[a] < e.Loads[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	var b strings.Builder
	b.WriteString("=== ELECTION RESULT ===\n")
	fmt.Fprintf(&b, "Epoch: %d (round %d, initiator node %d, cause %s)\n", e.Epoch, EpochRound(e.Epoch), EpochInitiator(e.Epoch), e.Cause)
	fmt.Fprintf(&b, "Coordinator: Node %d (load: %.2f)\n", e.Coordinator, e.Loads[e.Coordinator])
	b.WriteString("All node loads:\n")
	for _, id := range ids {
		mark := ""
		if id == e.Coordinator {
			mark = " [COORDINATOR]"
		}
		fmt.Fprintf(&b, "  Node %d: %.2f%s\n", id, e.Loads[id], mark)
	}
	b.WriteString("=======================\n")
	return b.String()
}
