package cluster

import "time"

// peerView is what this node knows of one peer: how long it has been silent
// and what its last heartbeat said.
type peerView struct {
	id int
	// silence is how long this node has listened without hearing from the
	// peer: time counted only while this node itself was running (see
	// Tick), so a node that was stopped or starved does not blame its peers.
	silence   time.Duration
	suspected bool
	state     NodeState // as last reported; empty until heard
	load      float64
	base, per float64
	toldEpoch uint64 // the last stale epoch this node answered the peer's assign of (fencing)
}

// heard records any message from p; a suspected peer that speaks is alive.
func (m *Machine) heard(now time.Time, p *peerView) {
	p.silence = 0
	if p.id == m.coordinator {
		m.contested = false
	}
	if p.suspected {
		p.suspected = false
		m.emit(now, Event{Type: EvAlive, Peer: p.id})
	}
}

// checkSilence adds dt of listening to every peer's silence and suspects
// those silent for longer than suspect-after.
func (m *Machine) checkSilence(now time.Time, dt time.Duration) {
	for _, id := range m.peerIDs {
		p := m.peers[id]
		p.silence += dt
		if !p.suspected && p.silence > m.cfg.SuspectAfter {
			m.suspect(now, p, "silent")
		}
	}
}

// suspect marks p as presumed dead and reacts: an initiator stops waiting for
// it, followers elect when it was the coordinator, the coordinator moves its
// requests elsewhere.
func (m *Machine) suspect(now time.Time, p *peerView, reason string) {
	p.suspected = true
	m.emit(now, Event{Type: EvSuspect, Peer: p.id, Reason: reason})
	if m.ballot != nil {
		m.maybeDecide(now)
	}
	m.checkCoordinator(now)
	if m.acting() {
		m.reassignFrom(now, p.id, "suspected")
	}
}

// resetSilence restarts every peer's silence clock without changing who is
// suspected: a suspected peer is cleared by its next message.
func (m *Machine) resetSilence() {
	for _, p := range m.peers {
		p.silence = 0
	}
}

// viable reports whether node id may be given work: Active by its own last
// word and not suspected.
func (m *Machine) viable(id int) bool {
	if id == m.id {
		return m.state == StateActive
	}
	p := m.peers[id]
	return p != nil && !p.suspected && p.state == StateActive
}
