package analyze

import (
	"slices"
	"time"

	"stegocloud/cluster"
)

// EpochConflict is a violation of election safety: coordinator and
// election_result events named different coordinators for one epoch.
type EpochConflict struct {
	Epoch        uint64
	Coordinators []int         // in the order they were first named
	At           time.Duration // the first event that named a second coordinator
}

// clusterCoord is the cluster's coordinator as the log shows it: the one named for
// the highest epoch seen so far.
type clusterCoord struct {
	known bool
	epoch uint64
	node  int
}

// electionEvent handles election_start, election_result and coordinator.
// An election_result counts as its initiator following the winner, like a
// coordinator event: the initiator adopts its own decision.
func (z *Analyzer) electionEvent(e *cluster.Event) {
	if e.Type == cluster.EvElectionStart {
		cause := e.Cause
		if cause == "" {
			cause = "unknown"
		}
		z.a.Elections.Total++
		z.a.Elections.ByCause[cause]++
		z.node(e.Node).campaign = true
		z.failoverReact(e.Node, 0)
		return
	}
	n := z.node(e.Node)
	n.follow, n.followEpoch = e.Coordinator, e.Epoch
	if e.Coordinator == 0 {
		return // the node follows nobody (it stepped down without a successor)
	}
	if e.Coordinator < 1 || e.Coordinator > z.cfg.Nodes {
		z.warnf("node %d named coordinator %d (not a node) for epoch %d at %.3fs", e.Node, e.Coordinator, e.Epoch, z.at(e.Time).Seconds())
	}
	z.checkEpoch(e)
	if !z.coord.known || e.Epoch > z.coord.epoch {
		z.newCoordinator(e)
	}
	z.failoverFollow(e.Node, e.Coordinator)
}

// checkEpoch records the coordinator named for an epoch and any conflict.
func (z *Analyzer) checkEpoch(e *cluster.Event) {
	first, seen := z.epochs[e.Epoch]
	if !seen {
		z.epochs[e.Epoch] = e.Coordinator
		return
	}
	if first == e.Coordinator {
		return
	}
	i := slices.IndexFunc(z.a.Conflicts, func(c EpochConflict) bool { return c.Epoch == e.Epoch })
	if i < 0 {
		z.a.Conflicts = append(z.a.Conflicts, EpochConflict{Epoch: e.Epoch, Coordinators: []int{first}, At: z.at(e.Time)})
		i = len(z.a.Conflicts) - 1
	}
	if c := &z.a.Conflicts[i]; !slices.Contains(c.Coordinators, e.Coordinator) {
		c.Coordinators = append(c.Coordinators, e.Coordinator)
	}
}

// newCoordinator moves the cluster to a higher epoch.
func (z *Analyzer) newCoordinator(e *cluster.Event) {
	if z.coord.known && z.coord.node != e.Coordinator {
		z.a.Elections.CoordinatorChanges++
	}
	z.coord = clusterCoord{known: true, epoch: e.Epoch, node: e.Coordinator}
}

// CauseRaftTimeout is the cause of an election that Raft started on its own
// (a follower's election timeout), seen as a raft_leader event with state
// candidate that no election_start announced.
const CauseRaftTimeout = "raft-timeout"

// raftRole counts Raft's elections: with election raft, only the early
// campaigns (a follower that lost the leader) log election_start; the
// elections Raft starts on its own timeout show as a node becoming
// candidate. Each term in which some node became candidate is one
// election, counted under the election_start that announced it, or else as
// CauseRaftTimeout. A pre-candidate whose pre-vote fails raises no term and
// is no election.
func (z *Analyzer) raftRole(e *cluster.Event) {
	n := z.node(e.Node)
	switch e.State {
	case "pre-candidate":
		return // the campaign (if any) is still on
	case "candidate":
		if e.Epoch > z.raftTerm {
			z.raftTerm = e.Epoch
			if !n.campaign {
				z.a.Elections.Total++
				z.a.Elections.ByCause[CauseRaftTimeout]++
			}
		}
	}
	n.campaign = false
}
