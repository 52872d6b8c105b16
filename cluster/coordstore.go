package cluster

import (
	"reflect"
	"slices"
	"time"

	"stegocloud/cluster/table"
)

// coordStore is the seed's store: the acting coordinator owns the table,
// applies each op and pushes the update (op, result, its epoch, the next
// number of its stream) to every peer; the others keep a copy by applying
// those updates in order. A new coordinator continues from its own copy, a
// recovering node copies a peer's in its sync, and a follower that finds
// its copy out of step with the coordinator's (a gap in the numbers, a
// result that differs, a heartbeat naming another position) asks the
// coordinator for its copy. Nothing here is quorum-based: two nodes acting
// as coordinators at once (a partition) both apply, and when one side's
// copy wins the other side's updates are gone. It is not linearizable, by
// design; the harness shows it.
type coordStore struct {
	m        *Machine
	tab      *table.Table
	at       Pos // position of the last update applied to tab
	pending  map[string]*pendingOp
	order    []string // pending request ids in submission order, for deterministic resends
	sync     tableSync
	followed follower
	hint     newest // the newest copy the latest decision named
	catching bool   // acting, and taking hint's copy before serving
	askedAt  time.Time
	held     []heldOp // peers' ops that came while catching up, in arrival order
}

// newest is the voter an election found with the newest copy of the table.
type newest struct {
	epoch  uint64 // the decision's epoch
	holder int
	at     Pos
}

// heldOp is a peer's table op a catching-up coordinator applies once it
// has the newest copy.
type heldOp struct {
	req     string
	attempt int
	op      table.Op
	from    int
}

// newestHinter is a store that wants to know, with each coordinator
// decision, which voter has the newest copy of the table.
type newestHinter interface {
	newest(epoch uint64, holder int, at Pos)
}

// pendingOp is an op this node submitted and has no result for yet.
type pendingOp struct {
	attempt int
	op      table.Op
	sentTo  int // the coordinator it went to; 0: none known yet
	sentAt  time.Time
}

// tableSync is a copy of the table asked of the coordinator.
type tableSync struct {
	asked  bool
	at     time.Time
	from   int
	reason string // behind | gap | diverged
}

// follower is what follow last acted on.
type follower struct {
	epoch  uint64
	coord  int
	acting bool
}

// Reasons of a table_sync event: why this node replaced its copy.
const (
	syncRecovery = "recovery" // a recovering node copied a peer's table
	syncBehind   = "behind"   // the coordinator's heartbeat named a later position
	syncGap      = "gap"      // an update did not follow the last one applied
	syncDiverged = "diverged" // same number, another history: or this copy's result differed
	syncCatchUp  = "catch-up" // a new coordinator took the newer copy of a voter before serving
)

func newCoordStore(m *Machine) *coordStore {
	return &coordStore{m: m, tab: table.New(m.cfg.DedupWindow), pending: map[string]*pendingOp{}}
}

var (
	_ tableStore   = (*coordStore)(nil)
	_ newestHinter = (*coordStore)(nil)
)

func (s *coordStore) submit(now time.Time, req string, attempt int, op table.Op) {
	p := s.pending[req]
	if p == nil {
		p = &pendingOp{}
		s.pending[req] = p
		s.order = append(s.order, req)
	}
	p.attempt, p.op = attempt, op
	s.send(now, req, p)
}

// send applies a pending op here when this node acts as coordinator, sends
// it to the coordinator it follows, or keeps it until one is known.
func (s *coordStore) send(now time.Time, req string, p *pendingOp) {
	m := s.m
	p.sentAt = now
	switch {
	case m.acting() && s.catching:
		p.sentTo = m.id // applied when the newest copy is here
	case m.acting():
		p.sentTo = m.id
		s.apply(now, req, p.attempt, p.op, m.id)
	case m.coordinator != 0 && m.coordinator != m.id && m.term == m.coordEpoch:
		p.sentTo = m.coordinator
		op := p.op
		m.send(m.coordinator, Message{Type: MsgTableOp, ID: req, Attempt: p.attempt, Op: &op})
	default:
		p.sentTo = 0
	}
}

// apply is the acting coordinator applying an op from node from (itself
// included): a change gets the next number of its stream and goes to every
// peer; a read is answered to the node that asked.
func (s *coordStore) apply(now time.Time, req string, attempt int, op table.Op, from int) {
	m := s.m
	a := applied{req: req, attempt: attempt, op: op, by: m.id, epoch: m.coordEpoch}
	if op.ReadOnly() {
		a.result, _ = s.tab.Query(op) // validated on the wire or built here
		a.at = s.at
		s.emitApply(now, a)
		if from != m.id {
			res, at := a.result, a.at
			m.send(from, Message{Type: MsgTableResult, ID: req, Attempt: attempt, Result: &res, Table: &at,
				CoordEpoch: m.coordEpoch, Coordinator: m.id})
		}
		s.settle(now, a)
		return
	}
	a.result = s.tab.Apply(op)
	prev := s.at.Epoch
	s.at = Pos{Epoch: m.coordEpoch, Seq: s.at.Seq + 1}
	a.at = s.at
	s.emitApply(now, a)
	res, at := a.result, a.at
	m.send(0, Message{Type: MsgTableUpdate, ID: req, Attempt: attempt, Op: &op, Result: &res,
		CoordEpoch: m.coordEpoch, Coordinator: m.id, Table: &at, Prev: prev})
	s.settle(now, a)
}

// settle ends a pending op (if it was this node's) and hands the result to
// the machine.
func (s *coordStore) settle(now time.Time, a applied) {
	delete(s.pending, a.req)
	s.m.applied(now, a)
}

func (s *coordStore) forget(req string) { delete(s.pending, req) }

func (s *coordStore) step(now time.Time, p *peerView, msg Message) {
	m := s.m
	switch msg.Type {
	case MsgTableOp:
		switch {
		case m.acting() && s.catching:
			s.held = append(s.held, heldOp{req: msg.ID, attempt: msg.Attempt, op: *msg.Op, from: p.id})
		case m.acting():
			s.apply(now, msg.ID, msg.Attempt, *msg.Op, p.id)
		}
	case MsgTableUpdate:
		s.onUpdate(now, p, msg)
	case MsgTableResult:
		if op := s.pending[msg.ID]; op != nil && p.id == m.coordinator {
			s.settle(now, applied{req: msg.ID, attempt: msg.Attempt, op: op.op, result: *msg.Result, by: p.id,
				epoch: msg.CoordEpoch, at: *msg.Table})
		}
	case MsgTableSync:
		switch {
		case m.acting() && !s.catching:
			at, b := s.copyTable()
			m.send(p.id, Message{Type: MsgTableCopy, CoordEpoch: m.coordEpoch, Coordinator: m.id, Table: &at, Body: b})
		case !m.acting() && msg.Coordinator == p.id && msg.CoordEpoch != 0 && msg.CoordEpoch >= m.coordEpoch:
			// A new coordinator catching up: the copy answers its epoch.
			at, b := s.copyTable()
			m.send(p.id, Message{Type: MsgTableCopy, CoordEpoch: msg.CoordEpoch, Coordinator: p.id, Table: &at, Body: b})
		}
	case MsgTableCopy:
		if s.catching && p.id == s.hint.holder && msg.CoordEpoch == m.coordEpoch && m.acting() {
			s.caughtUp(now, p.id, *msg.Table, msg.Body)
			return
		}
		if s.sync.asked && p.id == s.sync.from && p.id == m.coordinator && msg.CoordEpoch == m.coordEpoch {
			if err := s.restore(now, p.id, *msg.Table, msg.Body, s.sync.reason); err != nil {
				m.reject(now, p.id, msg.CoordEpoch, p.id, "bad table copy")
			}
		}
	}
}

// onUpdate takes a coordinator's update: the result stands for the request
// whatever the state of this copy (the assignee answers with it), and the
// copy applies it if it is the next one, or asks for the coordinator's copy.
// An update is the act of its epoch's coordinator, like an assign: one from
// a superseded epoch is refused (and its sender told), one from a newer
// epoch makes this node follow its sender.
func (s *coordStore) onUpdate(now time.Time, p *peerView, msg Message) {
	m := s.m
	if msg.CoordEpoch < m.term {
		m.fenceTold(now, p, msg.CoordEpoch)
		return
	}
	if msg.CoordEpoch == m.coordEpoch && p.id != m.coordinator {
		return // not the decided coordinator of that epoch
	}
	m.adopt(now, msg.CoordEpoch, p.id)
	a := applied{req: msg.ID, attempt: msg.Attempt, op: *msg.Op, result: *msg.Result, by: p.id, epoch: msg.CoordEpoch, at: *msg.Table}
	s.advance(now, p.id, a, msg.Prev)
	s.settle(now, a)
}

// advance applies update a (whose predecessor was applied in epoch prev)
// to the copy if it is the next one.
func (s *coordStore) advance(now time.Time, from int, a applied, prev uint64) {
	switch {
	case s.sync.asked:
		// A copy is on its way: it holds every update that came before it.
	case a.at.Seq == s.at.Seq+1 && prev == s.at.Epoch:
		got := s.tab.Apply(a.op)
		s.at = a.at
		s.m.emit(now, tableEvent(EvTableUpdate, a, from))
		if !reflect.DeepEqual(got, a.result) {
			s.resync(now, syncDiverged)
		}
	case a.at.Epoch == s.at.Epoch && a.at.Seq <= s.at.Seq:
		// Applied already.
	case a.at.Seq > s.at.Seq+1:
		s.resync(now, syncGap)
	default:
		s.resync(now, syncDiverged)
	}
}

// heartbeat compares this copy with the position the followed coordinator
// announces: updates come before heartbeats on the coordinator's link, so
// another position means a lost update, or a history this copy does not share.
func (s *coordStore) heartbeat(now time.Time, p *peerView, at *Pos) {
	m := s.m
	if at == nil || p.id != m.coordinator || m.term != m.coordEpoch || s.sync.asked || *at == s.at {
		return
	}
	if at.Seq > s.at.Seq && at.Epoch >= s.at.Epoch {
		s.resync(now, syncBehind)
	} else {
		s.resync(now, syncDiverged)
	}
}

// resync asks the coordinator for its copy, at most once per suspect-after.
func (s *coordStore) resync(now time.Time, reason string) {
	m := s.m
	c := m.coordinator
	if c == 0 || c == m.id || m.term != m.coordEpoch || !m.keepsCopy() {
		return
	}
	if s.sync.asked && now.Sub(s.sync.at) < m.cfg.SuspectAfter {
		return
	}
	s.sync = tableSync{asked: true, at: now, from: c, reason: reason}
	m.send(c, Message{Type: MsgTableSync})
}

func (s *coordStore) tick(now time.Time) {
	m := s.m
	s.tickCatchUp(now)
	if s.sync.asked && now.Sub(s.sync.at) >= m.cfg.SuspectAfter {
		s.resync(now, s.sync.reason)
	}
	if len(s.order) > 2*len(s.pending)+16 {
		s.order = slices.DeleteFunc(s.order, func(req string) bool { return s.pending[req] == nil })
	}
	for _, req := range slices.Clone(s.order) {
		if p := s.pending[req]; p != nil && now.Sub(p.sentAt) >= m.cfg.SuspectAfter {
			s.send(now, req, p)
		}
	}
}

func (s *coordStore) follow(now time.Time) {
	m := s.m
	f := follower{epoch: m.coordEpoch, coord: m.coordinator, acting: m.acting()}
	if f == s.followed {
		return
	}
	s.followed = f
	s.catching, s.held = false, nil
	if f.acting && s.hint.epoch == m.coordEpoch && s.hint.holder != m.id && newerPos(s.hint.at, s.at) {
		s.catching = true
		s.askCatchUp(now)
	}
	if s.sync.asked && s.sync.from != m.coordinator {
		s.sync = tableSync{} // the coordinator asked is not the one followed now
	}
	for _, req := range slices.Clone(s.order) {
		if p := s.pending[req]; p != nil {
			s.send(now, req, p) // idempotent: the table remembers the op's id
		}
	}
}

func (s *coordStore) position() Pos { return s.at }

func (s *coordStore) copyTable() (Pos, []byte) { return s.at, s.tab.Snapshot() }

func (s *coordStore) restore(now time.Time, from int, at Pos, snapshot []byte, reason string) error {
	t := table.New(s.m.cfg.DedupWindow)
	if err := t.Restore(snapshot); err != nil {
		return err
	}
	s.tab, s.at, s.sync = t, at, tableSync{}
	s.m.emit(now, Event{Type: EvTableSync, Peer: from, Epoch: at.Epoch, Seq: at.Seq, Reason: reason})
	return nil
}

func (s *coordStore) reset() {
	s.pending, s.order = map[string]*pendingOp{}, nil
	s.sync, s.followed = tableSync{}, follower{}
	s.hint, s.catching, s.held = newest{}, false, nil
}

// emitApply logs the coordinator's application of an op.
func (s *coordStore) emitApply(now time.Time, a applied) {
	s.m.emit(now, tableEvent(EvTableApply, a, 0))
}

// tableEvent describes applied op a: request, kind, image and user, result,
// the applying coordinator's epoch and the number of the op's update (of
// the last update, for a read); peer (followers) is the coordinator.
func tableEvent(typ EventType, a applied, peer int) Event {
	res := a.result
	e := Event{Type: typ, Request: a.req, Kind: a.op.Kind(), Result: &res, Epoch: a.epoch, Seq: a.at.Seq, Peer: peer}
	switch {
	case a.op.View != nil:
		e.Image, e.User = a.op.View.Image, a.op.View.User
	case a.op.Register != nil:
		e.User = a.op.Register.User
	case a.op.Unregister != nil:
		e.User = a.op.Unregister.User
	}
	return e
}

// newest records the voter that election e found with the newest copy.
func (s *coordStore) newest(e uint64, holder int, at Pos) {
	if e >= s.hint.epoch {
		s.hint = newest{epoch: e, holder: holder, at: at}
	}
}

// askCatchUp asks the holder of the newest copy for it.
func (s *coordStore) askCatchUp(now time.Time) {
	m := s.m
	s.askedAt = now
	want := s.hint.at
	m.send(s.hint.holder, Message{Type: MsgTableSync, CoordEpoch: m.coordEpoch, Coordinator: m.id, Table: &want})
}

// tickCatchUp asks again after suspect-after; when the holder is suspected
// its copy is out of reach, and a new election finds the newest copy among
// the nodes still heard.
func (s *coordStore) tickCatchUp(now time.Time) {
	m := s.m
	if !s.catching || !m.acting() {
		return
	}
	if q := m.peers[s.hint.holder]; q == nil || q.suspected {
		s.catching, s.held = false, nil
		m.startElection(now, CauseCatchUp)
		return
	}
	if now.Sub(s.askedAt) >= m.cfg.SuspectAfter {
		s.askCatchUp(now)
	}
}

// caughtUp takes the holder's copy unless it is older than this one, then
// serves what waited: this node's pending ops and the peers' held ones.
func (s *coordStore) caughtUp(now time.Time, from int, at Pos, snapshot []byte) {
	m := s.m
	if !newerPos(s.at, at) && at != s.at {
		if err := s.restore(now, from, at, snapshot, syncCatchUp); err != nil {
			m.reject(now, from, m.coordEpoch, m.id, "bad table copy")
			return // asked again after suspect-after
		}
	}
	s.catching = false
	held := s.held
	s.held = nil
	for _, req := range slices.Clone(s.order) {
		if p := s.pending[req]; p != nil {
			s.send(now, req, p)
		}
	}
	for _, h := range held {
		if m.acting() {
			s.apply(now, h.req, h.attempt, h.op, h.from)
		}
	}
}
