package cluster

import (
	"slices"
	"time"

	"stegocloud/stego"
)

// phase is where a request stands on the node told to serve it.
type phase uint8

const (
	phaseNone     phase = iota // not this node's to serve
	phaseAwaiting              // assigned here, but the cover has not arrived
	phaseQueued                // assigned here, waiting for a serving slot
	phaseServing               // the service is running
	phaseApplying              // a table op handed to the store, its result not yet known
)

// request is a client request as one node knows it. Every Active node holds
// every request until it learns that it is done, so that any of them can take
// over as coordinator and assign it.
type request struct {
	id         string
	attempt    int
	kind       string // KindEncrypt or a table op's kind
	user, addr string // of a table op
	meta       stego.Metadata
	cover      []byte
	replyTo    any
	have       bool // the client's copy arrived here
	arrived    time.Time
	assignee   int
	phase      phase
	awaitSince time.Time
	excluded   []int // nodes that reported the request missing
	holders    []int // nodes that reported holding the client's copy (coordinator only)
	reportedAt time.Time
	fenced     bool // an assignment from a superseded epoch was refused: report it soon
	removed    bool
	result     *applied // the table applied it while this node's reveal still ran
}

type recentDone struct {
	attempt int
	until   time.Time
}

type recentExpiry struct {
	id    string
	until time.Time
}

// ClientRequest feeds a request that arrived from a client; replyTo is the
// driver's handle for answering that client, returned in ServeOrder.
func (m *Machine) ClientRequest(now time.Time, msg Message, replyTo any) {
	if m.state == StateFailed || (msg.Kind == KindEncrypt && msg.Meta == nil) {
		return
	}
	m.noteTime(now)
	if d, ok := m.recent[msg.ID]; ok && msg.Attempt <= d.attempt {
		return // a late copy of a request already served
	}
	r := m.reqs[msg.ID]
	if r == nil {
		r = m.addRequest(now, msg.ID)
	}
	if msg.Attempt >= r.attempt || r.replyTo == nil {
		r.replyTo = replyTo // answer where the latest attempt came from
	}
	if msg.Attempt > r.attempt {
		r.attempt = msg.Attempt
		r.excluded = nil // a retry: give every node another chance
	}
	if !r.have {
		r.have, r.cover, r.kind, r.user, r.addr = true, msg.Body, msg.Kind, msg.User, msg.Addr
		if msg.Meta != nil {
			r.meta = *msg.Meta
		}
		if r.phase == phaseAwaiting {
			m.ready(now, r)
		}
	}
	if m.acting() && r.assignee == 0 && !r.removed {
		m.assign(now, r, "")
	}
	m.schedule()
}

// ReplyTo is the handle given with the latest attempt of request id that
// arrived from a client, or nil if the machine does not hold id.
func (m *Machine) ReplyTo(id string) any {
	if r := m.reqs[id]; r != nil {
		return r.replyTo
	}
	return nil
}

// Served reports that the service for id ended. Results for requests the
// machine no longer tracks (abandoned on failure) are ignored.
func (m *Machine) Served(now time.Time, id string, res ServeResult) {
	r := m.reqs[id]
	if r == nil || r.phase != phaseServing {
		return
	}
	m.noteTime(now)
	r.phase = phaseNone
	m.serving--
	m.mine--
	if r.kind == KindView && res.Err == "" && res.Meta != nil {
		m.revealed(now, r, res)
		m.schedule()
		return
	}
	if res.Err == "" {
		m.processed++
	}
	m.emit(now, Event{Type: EvComplete, Request: id, Duration: res.Duration, Reason: res.Err, Epoch: m.coordEpoch})
	m.doneBatch = append(m.doneBatch, id)
	if m.coordinator != 0 && m.coordinator != m.id {
		// The coordinator's load view needs this now; everyone else learns
		// it from the next heartbeat.
		m.send(m.coordinator, Message{Type: MsgDone, Done: []string{id}})
	}
	m.remove(now, r)
	m.schedule()
}

func (m *Machine) addRequest(now time.Time, id string) *request {
	r := &request{id: id, arrived: now}
	m.reqs[id] = r
	m.order = append(m.order, r)
	return r
}

// remove forgets r and remembers that it is done, so late copies are ignored.
func (m *Machine) remove(now time.Time, r *request) {
	if r.removed {
		return
	}
	m.unmine(r)
	m.setAssignee(r, 0)
	if r.phase == phaseApplying {
		m.store.forget(r.id)
		r.phase = phaseNone
	}
	r.removed = true
	r.cover = nil
	delete(m.reqs, r.id)
	m.removedN++
	m.remember(now, r.id, r.attempt)
}

func (m *Machine) remember(now time.Time, id string, attempt int) {
	until := now.Add(m.cfg.RequestTTL)
	if d, ok := m.recent[id]; ok && d.attempt > attempt {
		attempt = d.attempt
	}
	m.recent[id] = recentDone{attempt: attempt, until: until}
	m.recentQ = append(m.recentQ, recentExpiry{id: id, until: until})
}

func (m *Machine) setAssignee(r *request, node int) {
	if r.assignee != 0 {
		m.assigned[r.assignee]--
	}
	r.assignee = node
	if node != 0 {
		m.assigned[node]++
	}
}

// makeMine records that this node must serve r; a request already in hand is
// never taken twice, so no id is ever served twice concurrently here.
func (m *Machine) makeMine(now time.Time, r *request) {
	if r.phase != phaseNone {
		return
	}
	m.mine++
	if r.have {
		m.ready(now, r)
		m.schedule()
	} else {
		r.phase, r.awaitSince = phaseAwaiting, now
	}
}

// unmine drops a claim that has not started; a running service continues.
func (m *Machine) unmine(r *request) {
	if r.phase == phaseAwaiting || r.phase == phaseQueued {
		r.phase = phaseNone
		m.mine--
	}
}

// schedule starts queued requests while serving slots are free.
func (m *Machine) schedule() {
	if m.state != StateActive {
		return
	}
	for len(m.queue) > 0 && (m.cfg.MaxConcurrent == 0 || m.serving < m.cfg.MaxConcurrent) {
		r := m.queue[0]
		m.queue[0] = nil
		m.queue = m.queue[1:]
		if r.removed || r.phase != phaseQueued {
			continue
		}
		r.phase = phaseServing
		m.serving++
		m.out.Serve = append(m.out.Serve, ServeOrder{ID: r.id, Attempt: r.attempt, Kind: r.kind, Meta: r.meta, Cover: r.cover, ReplyTo: r.replyTo})
	}
	if len(m.queue) == 0 {
		m.queue = nil
	}
}

// assign has the acting coordinator pick a server for r with the balancer
// and tell every node. A previous assignee makes it a reassignment.
func (m *Machine) assign(now time.Time, r *request, reason string) {
	if isDiscovery(r.kind) && r.have && m.viable(m.id) {
		// No work to balance: the coordinator applies it itself, and the
		// others learn it is done from the update (or, after a read, from
		// the next heartbeat), so no assign is sent.
		m.setAssignee(r, m.id)
		m.makeMine(now, r)
		return
	}
	cands := make([]Candidate, 0, len(m.allIDs))
	for _, id := range m.allIDs {
		// Without the client's copy here, only a node known to hold it can
		// serve: it alone can answer the client.
		if !r.have && len(r.holders) > 0 && !slices.Contains(r.holders, id) {
			continue
		}
		if m.viable(id) && !slices.Contains(r.excluded, id) {
			cands = append(cands, Candidate{ID: id, Load: m.viewLoad(id)})
		}
	}
	if len(cands) == 0 {
		return // nobody can take it now; housekeeping retries
	}
	w := m.bal.Pick(cands, m.id)
	loads := make(map[int]float64, len(cands))
	for _, c := range cands {
		loads[c.ID] = c.Load
	}
	old := r.assignee
	m.setAssignee(r, w)
	ev := Event{Type: EvAssign, Request: r.id, Assignee: w, Loads: loads, Epoch: m.coordEpoch}
	if old != 0 {
		ev.Type, ev.Peer, ev.Reason = EvReassign, old, reason
	}
	m.emit(now, ev)
	msg := m.assignMsg(r)
	msg.Loads = loads
	m.send(0, msg)
	if w == m.id {
		m.makeMine(now, r)
	}
}

// assignMsg is the acting coordinator's word, in its epoch, that r is
// assigned to r.assignee.
func (m *Machine) assignMsg(r *request) Message {
	return Message{Type: MsgAssign, CoordEpoch: m.coordEpoch, Coordinator: m.id, ID: r.id, Assignee: r.assignee, Attempt: r.attempt}
}

// viewLoad is the coordinator's view of node id's load: its base plus its
// per-request load times the requests assigned to it and not yet done.
func (m *Machine) viewLoad(id int) float64 {
	base, per := m.cfg.LoadBase, m.cfg.LoadPerRequest
	if p := m.peers[id]; p != nil {
		base, per = p.base, p.per
	}
	return roundLoad(base + per*float64(m.assigned[id]))
}

// assignPending assigns every request with no live assignee.
func (m *Machine) assignPending(now time.Time) {
	for _, r := range m.order {
		if r.removed {
			continue
		}
		switch {
		case r.assignee == 0:
			m.assign(now, r, "")
		case !m.viable(r.assignee):
			m.assign(now, r, "assignee-lost")
		}
	}
}

// reassignFrom moves every request assigned to node id elsewhere.
func (m *Machine) reassignFrom(now time.Time, id int, reason string) {
	if m.assigned[id] == 0 {
		return
	}
	for _, r := range m.order {
		if !r.removed && r.assignee == id {
			m.assign(now, r, reason)
		}
	}
}

func (m *Machine) onAssign(now time.Time, p *peerView, msg Message) {
	if msg.CoordEpoch < m.term {
		m.fenceAssign(now, p, msg) // from a deposed coordinator, or one an election is replacing
		return
	}
	if msg.CoordEpoch == m.coordEpoch && p.id != m.coordinator {
		return // not the decided coordinator of that epoch
	}
	m.adopt(now, msg.CoordEpoch, p.id)
	if d, ok := m.recent[msg.ID]; ok && msg.Attempt <= d.attempt {
		return
	}
	r := m.reqs[msg.ID]
	if r == nil {
		r = m.addRequest(now, msg.ID)
	}
	if msg.Attempt > r.attempt {
		r.attempt = msg.Attempt
	}
	m.setAssignee(r, msg.Assignee)
	if msg.Assignee == m.id {
		m.makeMine(now, r)
		m.schedule()
	} else {
		m.unmine(r)
	}
}

func (m *Machine) onDone(now time.Time, ids []string) {
	for _, id := range ids {
		r := m.reqs[id]
		switch {
		case r == nil:
			// Done before its copy reached us: ignore the first-attempt copy
			// if it is still on its way.
			m.remember(now, id, 1)
		case r.phase == phaseServing:
			// Served elsewhere too (a reassignment raced); our service ends
			// on its own and Served cleans up.
		case r.phase == phaseApplying:
			// A table op this node still has to answer: the update with
			// its result was lost. The store resends the op, and the
			// table's dedup window returns the result.
		default:
			m.remove(now, r)
		}
	}
}

func (m *Machine) onMissing(now time.Time, p *peerView, msg Message) {
	r := m.reqs[msg.ID]
	if !m.acting() || r == nil || r.assignee != p.id {
		return
	}
	r.excluded = append(r.excluded, p.id)
	m.assign(now, r, "missing")
}

// onUnassigned is the coordinator hearing from a holder that a request has
// no live assignee there (msg.Assignee: the one the holder knows, which it
// suspects, or 0). If the coordinator never got the client's copy (the
// client could not reach it) or took over without it, it assigns the request
// to one of the nodes that hold it; if it has assigned it, the holder missed
// that and is told again.
func (m *Machine) onUnassigned(now time.Time, p *peerView, msg Message) {
	if !m.acting() {
		return
	}
	if d, ok := m.recent[msg.ID]; ok && msg.Attempt <= d.attempt {
		m.send(p.id, Message{Type: MsgDone, Done: []string{msg.ID}})
		return
	}
	r := m.reqs[msg.ID]
	if r == nil {
		r = m.addRequest(now, msg.ID)
		r.attempt = msg.Attempt
	}
	if !slices.Contains(r.holders, p.id) {
		r.holders = append(r.holders, p.id)
	}
	switch {
	case r.assignee == 0:
		m.assign(now, r, "")
		return
	case !m.viable(r.assignee):
		m.assign(now, r, "assignee-lost")
		return
	case msg.Assignee == r.assignee:
		return // the holder cannot hear the assignee, this coordinator can
	}
	// Assigned here, yet the reporter never heard of it: it dropped the
	// assignment, typically one sent by the previous coordinator that reached
	// it after it had followed this one (the epoch was deposed by then),
	// while this coordinator took the assignment over. The assignee may have
	// dropped it too and would never serve it: tell both again, in this epoch.
	again := m.assignMsg(r)
	m.send(p.id, again)
	if r.assignee != p.id && r.assignee != m.id {
		m.send(r.assignee, again)
	}
}

// reportUnassigned tells the coordinator about a request this node holds
// that has no live assignee here: none yet (after suspect-after: the client
// may not have reached the coordinator), or one this node suspects. A new
// coordinator may never have held the request (it recovered with an empty
// table), so without this report an attempt whose assignee died would wait
// for the client's retry. At most once per suspect-after per request.
func (m *Machine) reportUnassigned(now time.Time, r *request) {
	if !r.have || m.state != StateActive || m.coordinator == 0 || m.coordinator == m.id ||
		m.term != m.coordEpoch || now.Sub(r.reportedAt) <= m.cfg.SuspectAfter {
		return
	}
	lost := r.assignee != 0 && !m.viable(r.assignee)
	if !lost && (r.assignee != 0 || now.Sub(r.arrived) <= m.cfg.SuspectAfter && !r.fenced) {
		return
	}
	r.reportedAt, r.fenced = now, false
	m.send(m.coordinator, Message{Type: MsgUnassigned, ID: r.id, Attempt: r.attempt, Assignee: r.assignee})
}

// housekeeping runs every heartbeat: claims whose cover never came are
// handed back, requests nobody assigned are reported to the coordinator,
// stale requests and done ids expire, and the coordinator makes sure
// everything pending has a live assignee.
func (m *Machine) housekeeping(now time.Time) {
	for _, r := range m.order {
		if r.removed {
			continue
		}
		m.reportUnassigned(now, r)
		if r.phase == phaseAwaiting && now.Sub(r.awaitSince) > m.cfg.SuspectAfter && m.coordinator != 0 {
			m.unmine(r)
			if m.coordinator != m.id {
				m.send(m.coordinator, Message{Type: MsgMissing, ID: r.id})
			} else if m.acting() {
				r.excluded = append(r.excluded, m.id)
				m.assign(now, r, "missing")
			}
		}
		if r.phase != phaseServing && now.Sub(r.arrived) > m.cfg.RequestTTL {
			m.remove(now, r)
		}
	}
	if m.acting() {
		m.assignPending(now)
	}
	if m.removedN > 64 && m.removedN > len(m.order)/2 {
		m.order = slices.DeleteFunc(m.order, func(r *request) bool { return r.removed })
		m.removedN = 0
	}
	for len(m.recentQ) > 0 && !m.recentQ[0].until.After(now) {
		e := m.recentQ[0]
		m.recentQ = m.recentQ[1:]
		if d, ok := m.recent[e.id]; ok && !d.until.After(now) {
			delete(m.recent, e.id)
		}
	}
}
