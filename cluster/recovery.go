package cluster

import (
	"time"
)

// recovery tracks a node in Recovering: it asks its peers for their view
// until one answers, then waits the sync delay before becoming Active.
type recovery struct {
	since    time.Time
	nextAsk  time.Time
	synced   bool
	syncedAt time.Time
}

// syncGiveUp is how long a recovering node waits for any peer to answer
// before going Active on its own view (every peer may be down).
func (m *Machine) syncGiveUp() time.Duration {
	return max(time.Second, 5*m.cfg.SuspectAfter)
}

func (m *Machine) beginRecovery(now time.Time) {
	m.rec = recovery{since: now, nextAsk: now}
	m.nextHeartbeat = now
	m.resetSilence()
	m.lastTick, m.clock = now, now
	m.startupAt = time.Time{}
}

func (m *Machine) tickRecovery(now time.Time) {
	if m.state != StateRecovering {
		return
	}
	if !m.rec.synced {
		if !now.Before(m.rec.nextAsk) {
			m.rec.nextAsk = now.Add(2 * m.cfg.Heartbeat)
			m.send(0, Message{Type: MsgSyncReq, WantTable: true})
		}
		if now.Sub(m.rec.since) >= m.syncGiveUp() {
			m.rec.synced, m.rec.syncedAt = true, now
			m.emit(now, Event{Type: EvSync, Reason: "no peer answered"})
		}
		return
	}
	if now.Sub(m.rec.syncedAt) >= m.cfg.SyncDelay {
		m.becomeActive(now)
	}
}

func (m *Machine) becomeActive(now time.Time) {
	m.setState(now, StateActive)
	m.nextHeartbeat = now // the coordinator may give it work as soon as it knows
	m.schedule()
	if m.cfg.RecoveryElection {
		m.startElection(now, CauseRecovery)
		return
	}
	if m.acting() {
		m.becomeCoordinator(now)
	}
	m.checkCoordinator(now)
}

// onSyncReq answers a recovering peer with this node's view (and, when it
// asks, its copy of the table); only an Active node's view is worth copying.
func (m *Machine) onSyncReq(p *peerView, req Message) {
	if m.state != StateActive {
		return
	}
	loads := map[int]float64{m.id: m.load()}
	states := map[int]string{m.id: string(m.state)}
	var suspects []int
	for _, id := range m.peerIDs {
		q := m.peers[id]
		if q.state != "" {
			loads[id] = q.load
			states[id] = string(q.state)
		}
		if q.suspected {
			suspects = append(suspects, id)
		}
	}
	resp := Message{
		Type: MsgSyncResp, Epoch: m.term, CoordEpoch: m.coordEpoch, Coordinator: m.coordinator,
		Loads: loads, States: states, Suspects: suspects,
	}
	if req.WantTable {
		at, b := m.store.copyTable()
		resp.Table, resp.Body = &at, b
	}
	m.send(p.id, resp)
}

func (m *Machine) onSyncResp(now time.Time, p *peerView, msg Message) {
	if m.fence.active && m.state == StateActive {
		m.fenceAnswer(now, p, msg)
		return
	}
	if m.state != StateRecovering || m.rec.synced {
		return
	}
	if msg.CoordEpoch > 0 {
		m.adopt(now, msg.CoordEpoch, msg.Coordinator)
	}
	m.raiseTerm(now, msg.Epoch)
	for id, l := range msg.Loads {
		if q := m.peers[id]; q != nil {
			q.load = l
			if s := NodeState(msg.States[id]); s.Valid() {
				q.state = s
			}
		}
	}
	for _, id := range msg.Suspects {
		if q := m.peers[id]; q != nil && !q.suspected {
			m.suspect(now, q, "sync")
		}
	}
	m.rec.synced, m.rec.syncedAt = true, now
	m.emit(now, Event{Type: EvSync, Peer: p.id, Epoch: m.coordEpoch, Coordinator: m.coordinator})
	if msg.Table != nil && len(msg.Body) > 0 {
		if err := m.store.restore(now, p.id, *msg.Table, msg.Body, syncRecovery); err != nil {
			m.reject(now, p.id, msg.CoordEpoch, msg.Coordinator, "bad table copy")
		}
	}
}

// keepsCopy reports whether this node keeps its copy of the table current:
// Active, or Recovering with its sync done (it applies the updates it gets).
func (m *Machine) keepsCopy() bool {
	return m.state == StateActive || m.state == StateRecovering && m.rec.synced
}
