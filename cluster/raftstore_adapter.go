package cluster

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"stegocloud/cluster/raftstore"
	"stegocloud/cluster/table"
)

// raftStore is the tableStore of election raft: the table is
// cluster/raftstore's replicated state machine. submit proposes the op
// (Read for online, through ReadIndex) on this node's replica — a follower's
// Raft forwards it to the leader — and its result comes back when this
// replica applies the entry (or answers the read): applied, with the leader
// as applier and (term, applied index) as position. What Raft refuses (no
// leader) or does not answer in time (raftstore.ErrTimeout: a forward lost
// in a leader change or a partition) is proposed again with the same op id,
// and the table's dedup window returns the first result if the first
// attempt committed. Raft messages travel as MsgRaft frames (body = the
// marshalled raftpb.Message). The Machine calls process from Ready, so
// everything Raft asks to persist is on disk before any message leaves.
type raftStore struct {
	m        *Machine
	rs       *raftstore.Store
	pending  map[string]*raftOp // by request id
	order    []string           // pending request ids in submission order, for deterministic retries
	byID     map[uint64]string  // raftstore id of the op in flight → request id
	lastTick time.Time
	leader   uint64 // as last reported
	term     uint64
	err      error // the store stopped: the node must stop
	acting   bool  // the machine acted as coordinator at the last check (checkActing)
	lost     lostLeader
}

// raftOp is an op submitted here and not yet answered.
type raftOp struct {
	attempt int
	op      table.Op
	id      uint64 // raftstore id in flight; 0: none (to be proposed)
}

func newRaftStore(m *Machine, rs *raftstore.Store) *raftStore {
	return &raftStore{m: m, rs: rs, pending: map[string]*raftOp{}, byID: map[uint64]string{},
		leader: rs.Leader(), term: rs.Term()}
}

var _ tableStore = (*raftStore)(nil)

func (s *raftStore) submit(now time.Time, req string, attempt int, op table.Op) {
	p := s.pending[req]
	if p == nil {
		p = &raftOp{}
		s.pending[req] = p
		s.order = append(s.order, req)
	}
	p.attempt, p.op = attempt, op
	if p.id == 0 {
		s.propose(req, p)
	}
}

// propose hands p to Raft; refused (no leader), it waits for the next
// leader change or tick.
func (s *raftStore) propose(req string, p *raftOp) {
	var id uint64
	var err error
	if p.op.ReadOnly() {
		id, err = s.rs.Read(p.op)
	} else {
		id, err = s.rs.Propose(p.op)
	}
	if err != nil {
		if errors.Is(err, raftstore.ErrStopped) {
			s.err = err
		}
		return
	}
	p.id = id
	s.byID[id] = req
}

func (s *raftStore) forget(req string) {
	if p := s.pending[req]; p != nil {
		delete(s.byID, p.id)
		delete(s.pending, req)
	}
}

// step feeds a MsgRaft from peer p; what Raft refuses (not a message for
// this node from p, a member) changes nothing.
func (s *raftStore) step(now time.Time, p *peerView, msg Message) {
	if msg.Type != MsgRaft {
		return
	}
	if err := s.rs.StepFrom(uint64(p.id), msg.Body); errors.Is(err, raftstore.ErrStopped) {
		s.err = err
	}
	s.followLeader(now)
}

// followLeader tells the machine at once when Raft's leader or term
// changed, before the next input: the new leader's first append and its
// first assign share a link, and the driver may step both before the next
// Ready, so waiting for the raft_leader event would make this node refuse
// the assign of a coordinator it does not know yet.
func (s *raftStore) followLeader(now time.Time) {
	if l, t := s.rs.Leader(), s.rs.Term(); l != s.leader || t != s.term {
		s.leader, s.term = l, t
		if l != 0 {
			s.lost = lostLeader{} // a leader again (or still): nothing lost
		}
		s.m.raftLeader(now, t, int(l))
	}
}

// heartbeat has nothing to check: Raft's own heartbeats keep the copies in step.
func (s *raftStore) heartbeat(time.Time, *peerView, *Pos) {}

// tick advances Raft's clock once per heartbeat period (the machine ticks
// five times as often) and proposes again what has no op in flight.
func (s *raftStore) tick(now time.Time) {
	s.m.checkActing(now)
	s.replaceLost(now)
	if now.Sub(s.lastTick) < s.m.cfg.Heartbeat {
		return
	}
	s.lastTick = now
	s.rs.Tick()
	s.followLeader(now)
	s.retry()
}

// retry proposes every pending op that has none in flight.
func (s *raftStore) retry() {
	if len(s.order) > 2*len(s.pending)+16 {
		s.order = slices.DeleteFunc(s.order, func(req string) bool { return s.pending[req] == nil })
	}
	for _, req := range s.order {
		if p := s.pending[req]; p != nil && p.id == 0 {
			s.propose(req, p)
		}
	}
}

// follow: a new leader may take what the old one (or none) could not.
func (s *raftStore) follow(time.Time) { s.retry() }

// position is the term and index of the last entry this replica applied.
func (s *raftStore) position() Pos { return Pos{Epoch: s.term, Seq: s.rs.Applied()} }

// copyTable and restore: Raft replicates the table itself (log entries, or
// a snapshot for a replica too far behind), so a recovering node neither
// offers nor takes a copy.
func (s *raftStore) copyTable() (Pos, []byte) { return s.position(), nil }

func (s *raftStore) restore(time.Time, int, Pos, []byte, string) error { return nil }

// reset forgets pending ops (the node failed). Raft's answers for them are
// ignored when they come. A leader that fails stops acting: if it still
// leads when it is back, it starts acting afresh (checkActing).
func (s *raftStore) reset() {
	s.pending, s.order, s.byID = map[string]*raftOp{}, nil, map[uint64]string{}
	s.acting = false
}

// process runs Raft's Ready (persisting first) and turns its output into
// the machine's: MsgRaft frames, results, leader changes and events.
func (s *raftStore) process(now time.Time) {
	if s.err != nil {
		return
	}
	out, err := s.rs.Process()
	if err != nil {
		s.err = err
		return
	}
	// Raft's messages first: a new leader's appends go out ahead of the
	// assigns it makes when it starts acting.
	for _, msg := range out.Messages {
		s.m.send(int(msg.To), Message{Type: MsgRaft, Body: msg.Data})
	}
	for _, e := range out.Events {
		s.event(now, e)
	}
	s.followLeader(now)
	for _, d := range out.Done {
		s.done(now, d)
	}
}

// done ends a proposal or read: a result settles its request here (and,
// listed as done in this node's next heartbeat, on the nodes that hold a
// copy); a timeout proposes it again.
func (s *raftStore) done(now time.Time, d raftstore.Done) {
	req, ok := s.byID[d.ID]
	if !ok {
		return // forgotten, or of a life before reset
	}
	delete(s.byID, d.ID)
	p := s.pending[req]
	if p == nil || p.id != d.ID {
		return
	}
	p.id = 0
	if d.Err != nil {
		s.propose(req, p)
		return
	}
	delete(s.pending, req)
	m := s.m
	a := applied{req: req, attempt: p.attempt, op: p.op, result: d.Result, by: int(s.leader),
		epoch: d.Term, at: Pos{Epoch: d.Term, Seq: d.Index}}
	if a.by == 0 {
		a.by = m.id // applied here with no leader known any more: name this replica
	}
	m.emit(now, tableEvent(EvTableApply, a, 0))
	if a.by != m.id {
		m.doneBatch = append(m.doneBatch, req) // applied() lists it only when this node applied it
	}
	m.applied(now, a)
}

// event logs a raftstore event (not raft_apply: one per batch is too many)
// and follows a leader change.
func (s *raftStore) event(now time.Time, e raftstore.Event) {
	switch e.Type {
	case raftstore.EventApply:
		return
	case raftstore.EventLeader:
		// followLeader follows the current leader; this is a step on the way.
	}
	ev := Event{Type: EventType(e.Type), Epoch: e.Term, Coordinator: int(e.Leader), State: e.State, Seq: e.Index, Reason: e.Reason}
	if e.Type == raftstore.EventRecover {
		ev.Reason = fmt.Sprintf("commit %d, snapshot %d, %d torn bytes cut", e.Commit, e.Snapshot, e.Bytes)
	}
	s.m.emit(now, ev)
}

// unreachable tells Raft that peer id's link broke.
func (s *raftStore) unreachable(id int) {
	s.rs.ReportUnreachable(uint64(id))
	if uint64(id) == s.leader {
		s.lost.linkBroke = true
	}
}
