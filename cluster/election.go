package cluster

import (
	"slices"
	"time"
)

// ballot is an election this node initiated and is collecting replies for.
type ballot struct {
	epoch    uint64
	cause    string
	deadline time.Time
	replies  map[int]vote // includes this node
}

type vote struct {
	load  float64
	state NodeState
	table *Pos // the voter's copy of the table (nil: not told)
}

// nextEpoch is the epoch of a new election by node id after seeing term:
// round<<8 | id. Epochs are unique per initiator and totally ordered, so two
// concurrent initiators never decide the same epoch, and each initiator
// decides an epoch at most once: at most one coordinator per epoch. It never
// wraps: ok is false when term's round is the last one (see maxRound).
func nextEpoch(term uint64, id int) (e uint64, ok bool) {
	r := EpochRound(term)
	if r > maxRound {
		return 0, false
	}
	return (r+1)<<8 | uint64(id), true
}

// Bounds on the epochs a node accepts from a peer. maxRound keeps the
// successor of every accepted round representable, so nextEpoch cannot wrap;
// roundWindow refuses an epoch absurdly far above anything this node knows
// (one forged 2^64−1 used to make every later election wrap to a tiny
// epoch that everybody ignored). 2^32 rounds is more elections than a
// cluster runs in a century, so a fresh node still joins any real cluster,
// while a member would need 2^24 accepted messages to ratchet the cluster
// to the ceiling.
const (
	maxRound    = 1<<56 - 2
	roundWindow = 1 << 32
)

// saneEpoch reports whether epoch e (0: none) is within those bounds.
func (m *Machine) saneEpoch(e uint64) bool {
	if e == 0 {
		return true
	}
	r := EpochRound(e)
	return r <= maxRound && r <= EpochRound(max(m.term, m.floor))+roundWindow
}

// EpochRound and EpochInitiator split an epoch into its parts, for logs.
func EpochRound(e uint64) uint64  { return e >> 8 }
func EpochInitiator(e uint64) int { return int(e & 0xff) }

// startElection raises the term, asks every peer for its load and decides
// at once if nobody else is expected to answer.
func (m *Machine) startElection(now time.Time, cause string) {
	if m.state != StateActive || m.bullyOff() {
		return
	}
	// Above the persisted floor too: a restarted node must never decide an
	// epoch it decided before the restart.
	e, ok := nextEpoch(max(m.term, m.floor), m.id)
	if !ok {
		return // the rounds are exhausted (a member ratcheted them); nothing to elect with
	}
	if cause == CauseCoordinatorLost && m.contested {
		m.damp.started(now)
	}
	m.raiseTerm(now, e)
	m.participated = true
	m.ballot = &ballot{
		epoch: e, cause: cause, deadline: now.Add(m.cfg.ElectionTimeout),
		replies: map[int]vote{m.id: {load: m.load(), state: StateActive, table: m.tablePos()}},
	}
	m.emit(now, Event{Type: EvElectionStart, Epoch: e, Cause: cause})
	m.send(0, Message{Type: MsgElection, Epoch: e})
	m.maybeDecide(now)
}

// raiseTerm moves to a higher epoch: an own election of a lower epoch is
// abandoned, and whoever acted as coordinator steps down until a decision for
// the new term arrives.
func (m *Machine) raiseTerm(now time.Time, e uint64) {
	if e <= m.term || m.bullyOff() { // with raft, the term is Raft's (raftLeader)
		return
	}
	m.term = e
	m.reserve(e)
	if m.ballot != nil && m.ballot.epoch < e {
		m.ballot = nil
	}
	if m.term > m.coordEpoch {
		m.waitUntil = now.Add(2*m.cfg.ElectionTimeout + m.jitter(m.cfg.ElectionTimeout))
	}
}

// stepElection feeds a Bully election message.
func (m *Machine) stepElection(now time.Time, p *peerView, msg Message) {
	switch msg.Type {
	case MsgElection:
		m.onElection(now, p, msg)
	case MsgOK:
		m.onOK(now, p, msg)
	case MsgCoordinator:
		m.onCoordinator(now, p, msg)
	}
}

func (m *Machine) onElection(now time.Time, p *peerView, msg Message) {
	if msg.Epoch < m.term {
		return // stale: a newer election or decision supersedes it
	}
	m.raiseTerm(now, msg.Epoch)
	m.participated = true
	m.send(p.id, Message{Type: MsgOK, Epoch: msg.Epoch, Load: m.load(), State: m.state, Table: m.tablePos()})
}

func (m *Machine) onOK(now time.Time, p *peerView, msg Message) {
	if m.ballot == nil || msg.Epoch != m.ballot.epoch {
		return
	}
	m.ballot.replies[p.id] = vote{load: msg.Load, state: msg.State, table: msg.Table}
	m.maybeDecide(now)
}

// maybeDecide decides once every unsuspected peer has answered.
func (m *Machine) maybeDecide(now time.Time) {
	b := m.ballot
	if b == nil {
		return
	}
	for _, id := range m.peerIDs {
		if _, ok := b.replies[id]; !ok && !m.peers[id].suspected {
			return
		}
	}
	m.decide(now)
}

// decide picks the Active voter with the lowest (load, id), adopts it and
// announces it with every load it saw.
func (m *Machine) decide(now time.Time) {
	b := m.ballot
	m.ballot = nil
	ids := make([]int, 0, len(b.replies))
	for id := range b.replies {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	loads := make(map[int]float64, len(ids))
	winner := 0
	for _, id := range ids {
		v := b.replies[id]
		loads[id] = v.load
		if v.state == StateActive && (winner == 0 || v.load < b.replies[winner].load) {
			winner = id
		}
	}
	reason := ""
	if w := m.hysteresis(b, winner); w != winner {
		winner, reason = w, "hysteresis"
	}
	m.emit(now, Event{Type: EvElectionResult, Epoch: b.epoch, Coordinator: winner, Loads: loads, Cause: b.cause, Reason: reason})
	holder, at := newestCopy(b.replies)
	m.hintNewest(b.epoch, holder, at)
	m.adopt(now, b.epoch, winner)
	msg := Message{Type: MsgCoordinator, Epoch: m.term, CoordEpoch: b.epoch, Coordinator: winner, Loads: loads}
	if holder != 0 {
		msg.Holder, msg.Table = holder, &at
	}
	m.send(0, msg)
}

// tablePos is this node's table position, for a vote.
func (m *Machine) tablePos() *Pos {
	at := m.store.position()
	return &at
}

// newestCopy is the Active voter with the newest copy of the table (the
// lowest id among equals; 0 when no voter told its position), and where it is.
func newestCopy(replies map[int]vote) (holder int, at Pos) {
	ids := make([]int, 0, len(replies))
	for id := range replies {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		v := replies[id]
		if v.state == StateActive && v.table != nil && (holder == 0 || newerPos(*v.table, at)) {
			holder, at = id, *v.table
		}
	}
	return holder, at
}

// newerPos reports whether table position a is newer than b: a later epoch,
// or the same epoch and a higher number (Raft's up-to-date rule). Within one
// history that is the copy holding more updates.
func newerPos(a, b Pos) bool {
	return a.Epoch > b.Epoch || a.Epoch == b.Epoch && a.Seq > b.Seq
}

// hintNewest tells a store that wants it which voter of the election of
// epoch e reported the newest copy of the table (coordStore: a new
// coordinator takes that copy before it serves).
func (m *Machine) hintNewest(e uint64, holder int, at Pos) {
	if h, ok := m.store.(newestHinter); ok && holder != 0 && m.member(holder) {
		h.newest(e, holder, at)
	}
}

// hysteresis keeps the sitting coordinator (the one this initiator follows)
// unless the winner's load is lower than its load by more than
// Config.ElectionMargin; with no margin the seed's rule stands.
func (m *Machine) hysteresis(b *ballot, winner int) int {
	sit := m.coordinator
	if m.cfg.ElectionMargin <= 0 || sit == 0 || winner == sit || winner == 0 {
		return winner
	}
	v, ok := b.replies[sit]
	if !ok || v.state != StateActive || b.replies[winner].load < v.load-m.cfg.ElectionMargin {
		return winner
	}
	return sit
}

func (m *Machine) onCoordinator(now time.Time, p *peerView, msg Message) {
	if msg.CoordEpoch >= m.coordEpoch {
		for id, l := range msg.Loads {
			if q := m.peers[id]; q != nil {
				q.load = l
			}
		}
	}
	if msg.Table != nil {
		m.hintNewest(msg.CoordEpoch, msg.Holder, *msg.Table)
	}
	m.adopt(now, msg.CoordEpoch, msg.Coordinator)
	m.raiseTerm(now, msg.Epoch)
}

// adopt follows the decision (e, w) if it is newer than the one followed.
// Decisions only ever originate from the one initiator of their epoch, so
// adopting them anywhere keeps one coordinator per epoch. A decision naming a
// node outside the configured peers is refused: nobody would ever act for it
// and, since only an acting coordinator re-runs elections, the cluster would
// stay headless (a forged frame, or inconsistent --peers lists). The caller
// still raises the term, so an election follows.
func (m *Machine) adopt(now time.Time, e uint64, w int) {
	if e <= m.coordEpoch || w == 0 || m.bullyOff() { // with raft, Raft says who leads (raftLeader)
		return
	}
	if !m.member(w) {
		m.reject(now, m.from, e, w, "coordinator is not a member")
		return
	}
	m.coordEpoch, m.coordinator = e, w
	m.raiseTerm(now, e) // abandons an own election of a lower epoch
	m.emit(now, Event{Type: EvCoordinator, Epoch: e, Coordinator: w})
	// Contested: the others reach a coordinator this node cannot hear
	// (partial connectivity). Re-electing at once would depose it, and the
	// others would depose this node's choice the same way: a flip-flop.
	m.contested = w != m.id && m.peers[w].suspected
	if m.contested {
		m.damp.hold(now, m, e, w)
	}
	if m.acting() {
		m.becomeCoordinator(now)
	}
	m.store.follow(now)
	m.checkCoordinator(now)
}

// checkCoordinator starts an election when this Active node follows nobody,
// or a coordinator it suspects, and no election is under way.
func (m *Machine) checkCoordinator(now time.Time) {
	if m.state != StateActive || m.ballot != nil || m.term != m.coordEpoch || !m.startupAt.IsZero() || m.bullyOff() {
		return
	}
	switch {
	case m.coordinator == 0:
		m.startElection(now, CauseNoCoordinator)
	case m.coordinator != m.id && m.peers[m.coordinator].suspected:
		if m.contested && now.Before(m.damp.until) {
			return // backing off; tickElection asks again
		}
		m.startElection(now, CauseCoordinatorLost)
	}
}

func (m *Machine) tickElection(now time.Time) {
	if m.state != StateActive || m.bullyOff() {
		return
	}
	if m.ballot != nil && !now.Before(m.ballot.deadline) {
		m.decide(now)
	}
	if !m.startupAt.IsZero() && !now.Before(m.startupAt) {
		m.startupAt = time.Time{}
		if !m.participated && m.ballot == nil && m.term == m.coordEpoch {
			m.startElection(now, CauseStartup)
		}
	}
	if m.ballot == nil && m.term > m.coordEpoch && !now.Before(m.waitUntil) {
		m.startElection(now, CauseNoCoordinator)
	}
	if m.acting() && m.cfg.ReelectEvery > 0 && !now.Before(m.nextPeriodic) {
		m.startElection(now, CausePeriodic)
	}
	m.checkCoordinator(now)
}

// becomeCoordinator starts acting: the periodic timer restarts and every
// pending request without a live assignee is assigned.
func (m *Machine) becomeCoordinator(now time.Time) {
	m.nextPeriodic = now.Add(m.cfg.ReelectEvery)
	m.store.follow(now)
	m.assignPending(now)
}
