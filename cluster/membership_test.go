package cluster

import (
	"slices"
	"testing"
	"time"
)

// A decision naming a node outside the configured peers must never be
// followed: nobody would ever act for it, and since only an acting
// coordinator re-runs elections, the cluster would stay headless for good
// (issue 12, defect 2: one forged frame did it).
func TestDecisionNamingNonMemberIsNotFollowed(t *testing.T) {
	cases := []struct {
		name string
		msg  func(epoch uint64) Message
	}{
		{"coordinator", func(e uint64) Message {
			return Message{Type: MsgCoordinator, From: 1, Epoch: e, CoordEpoch: e, Coordinator: 200}
		}},
		{"heartbeat", func(e uint64) Message {
			return Message{Type: MsgHeartbeat, From: 3, Epoch: e, CoordEpoch: e, Coordinator: 200, State: StateActive, Base: 0.7, Load: 0.7}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := stable(t, nil)
			_, epoch := s.mustAgree("before")
			// In node 1's epoch space, one round above the current decision.
			forged := nextEpochOrZero(epoch, 1)
			s.ms[2].Step(s.now, c.msg(forged))
			s.collect(2)
			s.deliver()
			s.advance(2 * time.Second)
			for _, e := range s.eventsOf(EvCoordinator) {
				if e.Coordinator == 200 {
					t.Fatalf("node %d followed non-member 200 at epoch %d", e.Node, e.Epoch)
				}
			}
			coord, _ := s.mustAgree("after the forged decision")
			if !slices.Contains(s.ids, coord) {
				t.Fatalf("cluster follows %d, not a member", coord)
			}
			// The cluster still serves, without the client's retry.
			s.request("after", 1)
			s.advance(time.Second)
			if got := s.served["after"]; len(got) != 1 {
				t.Errorf("request after the forged decision served by %v, want exactly one node%s", got, s.describe())
			}
		})
	}
}

// Inconsistent --peers lists: nodes 1 and 4 list four nodes, nodes 2 and 3
// only three. Node 4 has the lowest load and wins node 1's elections; nodes 2
// and 3 must not follow a coordinator they cannot talk to, and a request only
// they hold must still be served.
func TestInconsistentPeersDoNotHaltTheCluster(t *testing.T) {
	s := newSim(t, 4, 21, func(c *Config) {
		c.LoadBase = map[int]float64{1: 0.5, 2: 0.6, 3: 0.7, 4: 0.1}[c.ID]
		if c.ID == 2 || c.ID == 3 {
			delete(c.Peers, 4)
		}
	})
	s.serveDelay = 50 * time.Millisecond
	// Node 1 runs the first election, so node 4 wins it.
	s.ms[1].startElection(s.now, "test")
	s.collect(1)
	s.deliver()
	s.advance(3 * time.Second)
	for _, id := range []int{2, 3} {
		if c := s.ms[id].coordinator; c == 4 || c == 0 {
			t.Fatalf("node %d follows %d: %s", id, c, s.ms[id])
		}
	}
	s.request("only-2-3", 1, 2, 3)
	s.advance(2 * time.Second)
	if got := s.served["only-2-3"]; len(got) == 0 {
		t.Errorf("a request held only by nodes 2 and 3 was never served%s", s.describe())
	}
}

// nextEpochOrZero is nextEpoch for tests that only need the value.
func nextEpochOrZero(term uint64, id int) uint64 {
	e, _ := nextEpoch(term, id)
	return e
}
