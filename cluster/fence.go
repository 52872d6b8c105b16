package cluster

import "time"

// Fencing keeps a coordinator that lost track of time from acting on a
// superseded epoch (the SIGSTOP case: after SIGCONT the old coordinator
// assigned ~40 requests in its stale epoch while another node led a newer
// one). Two guards:
//
//   - A node notices that it was not running from the gap between the
//     timestamps of successive inputs (the driver ticks every heartbeat/5,
//     so a gap beyond half of suspect-after is a stall). It then asks every
//     peer for its view (sync_req) and does not act as coordinator until
//     every live Active peer has answered, or suspect-after of running time
//     has passed. Peers answer after reading the request, so on each
//     connection the answer comes after whatever they sent while this node
//     was stopped: it is a fresh view, unlike the queued heartbeats.
//   - An assignee refuses an assignment whose epoch is below the highest it
//     has seen, and answers the sender with its view (a heartbeat), so that
//     the sender steps down at once.
type stallFence struct {
	active   bool
	waited   time.Duration // running time since the stall (like silence)
	answered map[int]bool
}

// noteTime is the first thing every input does: a gap since the previous
// input longer than half of suspect-after means this process was not
// running. Only the first of a run of late inputs counts, so that a node
// that is merely slow all the time still elects.
func (m *Machine) noteTime(now time.Time) {
	if gap := now.Sub(m.clock); gap > m.cfg.SuspectAfter/2 && !m.clock.IsZero() {
		if now.Sub(m.lastStall) > 2*m.cfg.SuspectAfter {
			m.afterStall(now, gap)
		}
		m.lastStall = now
	}
	if now.After(m.clock) {
		m.clock = now
	}
}

// afterStall pushes timers that expired while the node was stopped, so that
// it first reads what its peers sent meanwhile instead of acting on a stale
// view, and raises the fence.
func (m *Machine) afterStall(now time.Time, gap time.Duration) {
	grace := now.Add(m.cfg.SuspectAfter)
	if m.waitUntil.Before(grace) {
		m.waitUntil = grace
	}
	if !m.startupAt.IsZero() && m.startupAt.Before(grace) {
		m.startupAt = grace
	}
	if m.nextPeriodic.Before(grace) {
		m.nextPeriodic = grace
	}
	if m.ballot != nil && m.ballot.deadline.Before(now.Add(m.cfg.ElectionTimeout)) {
		m.ballot.deadline = now.Add(m.cfg.ElectionTimeout)
	}
	m.emit(now, Event{Type: EvStall, Duration: gap, Epoch: m.coordEpoch, Coordinator: m.coordinator})
	if m.state != StateActive || len(m.peerIDs) == 0 {
		return
	}
	m.fence = stallFence{active: true, answered: map[int]bool{}}
	m.send(0, Message{Type: MsgSyncReq})
}

// fenceAnswer takes a peer's view sent in answer to the stall probe.
func (m *Machine) fenceAnswer(now time.Time, p *peerView, msg Message) {
	if msg.CoordEpoch > 0 {
		m.adopt(now, msg.CoordEpoch, msg.Coordinator)
	}
	m.raiseTerm(now, msg.Epoch)
	m.fence.answered[p.id] = true
	m.maybeLiftFence(now)
}

// tickFence lifts the fence once suspect-after of running time has passed:
// a peer that has not answered by then is silent, not slow.
func (m *Machine) tickFence(now time.Time, dt time.Duration) {
	if !m.fence.active {
		return
	}
	m.fence.waited += dt
	m.maybeLiftFence(now)
}

// maybeLiftFence lifts the fence when every viable peer (Active by its last
// word and not suspected: only Active nodes answer, and a peer suspected all
// along is gone) has answered, or time is up; a
// node that still coordinates then acts again: it assigns what arrived
// meanwhile.
func (m *Machine) maybeLiftFence(now time.Time) {
	if !m.fence.active {
		return
	}
	if m.fence.waited < m.cfg.SuspectAfter {
		for _, id := range m.peerIDs {
			if !m.fence.answered[id] && m.viable(id) {
				return
			}
		}
	}
	m.fence = stallFence{}
	if m.acting() {
		m.becomeCoordinator(now)
	}
}

// fenceAssign refuses an assignment from a superseded epoch and tells its
// sender this node's view, once per sender and epoch.
func (m *Machine) fenceAssign(now time.Time, p *peerView, msg Message) {
	m.emit(now, Event{Type: EvFenced, Peer: p.id, Epoch: msg.CoordEpoch, Request: msg.ID, Assignee: msg.Assignee})
	if r := m.reqs[msg.ID]; r != nil && r.assignee == 0 {
		r.fenced = true // report it to the next coordinator without waiting
	}
	m.fenceTold(now, p, msg.CoordEpoch)
}

// fenceTold tells peer p, which acted as coordinator of superseded epoch e
// (an assign, a table update), this node's view, once per peer and epoch,
// so that it steps down.
func (m *Machine) fenceTold(now time.Time, p *peerView, e uint64) {
	if p.toldEpoch >= e {
		return
	}
	p.toldEpoch = e
	m.send(p.id, m.viewMsg(nil))
}
