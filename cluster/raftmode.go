package cluster

import (
	"fmt"
	"path/filepath"
	"time"

	"stegocloud/cluster/raftstore"
)

// Elections: Config.Election.
const (
	ElectionBully = "bully" // the seed's load-based Bully election; the coordinator's table (coordStore)
	ElectionRaft  = "raft"  // the etcd-io/raft leader coordinates; the table is Raft's state machine (raftStore)
)

// raftElectionTicks is Raft's election timeout in ticks (raftstore's
// default ElectionTick); the node ticks Raft once per heartbeat.
const raftElectionTicks = 10

// RaftDir is where node id keeps its Raft log and snapshots under stateDir.
func RaftDir(stateDir string, id int) string {
	return filepath.Join(stateDir, fmt.Sprintf("raft-%d", id))
}

// OpenRaft opens (or creates) the raft store of cfg's node, with fsync on.
func OpenRaft(cfg Config) (*raftstore.Store, error) {
	ids := cfg.Peers.IDs()
	peers := make([]uint64, 0, len(ids)+1)
	self := false
	for _, id := range ids {
		peers = append(peers, uint64(id))
		self = self || id == cfg.ID
	}
	if !self {
		peers = append(peers, uint64(cfg.ID))
	}
	rc := raftstore.DefaultConfig(uint64(cfg.ID), peers, RaftDir(cfg.StateDir, cfg.ID))
	rc.DedupWindow = cfg.DedupWindow
	rc.ElectionTick = raftElectionTicks
	rs, err := raftstore.Open(rc)
	if err != nil {
		return nil, fmt.Errorf("%w: opening the raft store: %w", ErrState, err)
	}
	return rs, nil
}

// UseRaft makes m a raft-mode machine (Config.Election raft) over rs, which
// the driver opened (OpenRaft) and closes after the machine's last Ready;
// call it before any input. From then on the Raft leader is the
// coordinator: no Bully election runs, the coordinator's epoch is the Raft
// term, and the table is rs's. Ready runs rs's Process, so Raft's writes
// are durable before the Ready's messages are sent.
func (m *Machine) UseRaft(rs *raftstore.Store) {
	m.raft = newRaftStore(m, rs)
	m.store = m.raft
	m.startupAt = time.Time{}
	m.raftLeader(m.clock, rs.Term(), int(rs.Leader()))
}

// raftLeader follows Raft's leader: term is the coordinator's epoch, leader
// (0: none known) the coordinator. A change of either is a coordinator
// event (one leader per term, so the harness's single_coordinator check
// holds it to that); the leader starts acting as coordinator when it wins.
func (m *Machine) raftLeader(now time.Time, term uint64, leader int) {
	if term == m.term && leader == m.coordinator {
		return
	}
	known := m.coordinator != 0
	m.term, m.coordEpoch, m.coordinator = term, term, leader
	if leader != 0 || known {
		m.emit(now, Event{Type: EvCoordinator, Epoch: term, Coordinator: leader})
	}
	m.checkActing(now)
	m.store.follow(now)
}

// leaseHeld says whether a raft leader may act as coordinator: it hears a
// majority (itself included; the others unsuspected). Raft alone lets a
// leader cut off from its followers act until CheckQuorum deposes it, up to
// two election timeouts, while the majority elects a successor after one:
// two coordinators would assign at once. A peer is suspected after
// suspect-after of silence, which Config.Validate keeps below Raft's
// election timeout, and a follower that heard the leader within an
// election timeout grants no (pre-)vote: so the old leader has stopped
// acting before a new one can be elected (a lease, on the nodes' clocks
// running at similar rates). Always true with bully.
func (m *Machine) leaseHeld() bool {
	if m.raft == nil {
		return true
	}
	heard := 1
	for _, id := range m.peerIDs {
		if !m.peers[id].suspected {
			heard++
		}
	}
	return 2*heard > len(m.allIDs)
}

// checkActing starts the raft leader acting when it (again) may: elected,
// or its lease back after a majority was heard again.
func (m *Machine) checkActing(now time.Time) {
	if m.raft == nil {
		return
	}
	a := m.acting()
	if a && !m.raft.acting {
		m.becomeCoordinator(now)
	}
	m.raft.acting = a
}

// processRaft runs the raft store's Process into the pending Ready; a store
// that stopped (a disk error) makes the node stop.
func (m *Machine) processRaft() {
	if m.raft == nil {
		return
	}
	m.raft.process(m.clock)
	if m.raft.err != nil && m.out.Fatal == nil {
		m.out.Fatal = fmt.Errorf("%w: raft store: %w", ErrState, m.raft.err)
	}
}

// bullyOff says the Bully election is off: Raft elects.
func (m *Machine) bullyOff() bool { return m.raft != nil }

// lostLeader is what the raft store knows of a leader its failure detector
// lost (replaceLost).
type lostLeader struct {
	id        int       // the leader forgotten; 0: none
	linkBroke bool      // the current leader's connection broke (a crashed process)
	campaign  time.Time // this node's last campaign; zero: none yet
}

// replaceLost elects a successor of a lost leader without waiting out
// Raft's randomised election timeout (10–20 heartbeats): when this node's
// failure detector suspects the leader — its connection broke, or it has
// been silent for twice suspect-after, by when a live leader that is cut
// off has stopped acting (leaseHeld) — it forgets the leader (so it grants
// pre-votes), and the lowest-id node that neither leads nor is suspected
// campaigns (one campaign: two at once split the vote), again every half
// heartbeat until a leader is known. Raft decides: a leader the others
// still hear keeps its place (PreVote, CheckQuorum).
func (s *raftStore) replaceLost(now time.Time) {
	m := s.m
	if m.state != StateActive {
		return
	}
	if l := int(s.leader); l != 0 && l != m.id {
		p := m.peers[l]
		if p == nil || !p.suspected {
			s.lost.linkBroke = false
			return
		}
		if !s.lost.linkBroke && p.silence < 2*m.cfg.SuspectAfter {
			return
		}
		s.lost = lostLeader{id: l}
		s.rs.ForgetLeader()
		s.followLeader(now)
	}
	if s.leader != 0 || s.lost.id == 0 || now.Sub(s.lost.campaign) < m.cfg.Heartbeat/2 || !s.campaigner() {
		return
	}
	first := s.lost.campaign.IsZero()
	s.lost.campaign = now
	if err := s.rs.Campaign(); err == nil && first {
		m.emit(now, Event{Type: EvElectionStart, Epoch: s.term + 1, Cause: CauseCoordinatorLost, Peer: s.lost.id})
	}
}

// campaigner says whether this node is the lowest id that neither is the
// lost leader nor is suspected.
func (s *raftStore) campaigner() bool {
	m := s.m
	for _, id := range m.allIDs {
		if id == m.id {
			return true
		}
		if id != s.lost.id && !m.peers[id].suspected {
			return false
		}
	}
	return false
}
