package raftstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"

	"stegocloud/cluster/table"
)

// Store is one replica: a Raft RawNode, its durable log and snapshots, and
// the table it replicates. It has no goroutines, timers or sockets; one
// driver goroutine calls every method (it is not safe for concurrent use).
type Store struct {
	cfg  Config
	rn   *raft.RawNode
	ms   *raft.MemoryStorage
	wal  *wal
	lock *os.File // held while open (nil where flock does not exist)
	tab  *table.Table
	conf *pb.ConfState
	boot uint64 // this process life's boot count (envelopes, read contexts)

	seq       uint64 // last proposal/read id handed out
	applied   uint64
	snapIndex uint64 // index of the snapshot on disk (0: none)
	ticks     uint64

	pending map[uint64]*pending
	expiry  []expiry      // by deadline (deadlines only grow)
	reads   []waitingRead // read states waiting for applied ≥ index

	lead  uint64 // last reported leader, role and term
	state raft.StateType
	term  uint64

	out   Output
	stats Stats
	err   error // sticky: set once the store must stop

	onApply func(index uint64, op table.Op, r table.Result) // tests observe the apply order
}

type pending struct {
	read     bool
	op       table.Op
	deadline uint64
}

type expiry struct{ id, deadline uint64 }

type waitingRead struct{ id, index uint64 }

// Open opens (or creates) cfg.Dir and returns a store that continues from
// what is on disk: the snapshot the log names, then the log after it and
// the last hard state. A torn tail of the log (a crash during an unsynced
// write) is truncated; anything else that does not check out is ErrCorrupt.
// A fresh directory starts a new cluster of cfg.Peers at index 0.
func Open(cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = quietLogger{}
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	s := &Store{cfg: cfg, ms: raft.NewMemoryStorage(), tab: table.New(cfg.DedupWindow), pending: map[uint64]*pending{}}
	torn, st, err := s.open()
	if err != nil {
		s.Close()
		return nil, err
	}
	last, _ := s.ms.LastIndex()
	s.term = s.rn.BasicStatus().GetTerm()
	s.out.Events = append(s.out.Events, Event{Type: EventRecover, Term: s.term, Index: last,
		Commit: st.hs.GetCommit(), Snapshot: s.snapIndex, Bytes: torn})
	return s, nil
}

// open locks the directory, counts the boot, replays the WAL, loads the
// snapshot and creates the RawNode.
func (s *Store) open() (torn int64, st walState, err error) {
	if s.lock, err = lockDir(s.cfg.Dir); err != nil {
		return 0, st, err
	}
	if s.boot, err = nextBoot(s.cfg.Dir, !s.cfg.NoSync, &s.stats); err != nil {
		return 0, st, err
	}
	if s.wal, st, torn, err = openWAL(s.cfg.Dir, !s.cfg.NoSync, &s.stats); err != nil {
		return 0, st, err
	}
	if err := s.load(st); err != nil {
		return 0, st, err
	}
	return torn, st, s.newRawNode()
}

// load puts the replayed state into the MemoryStorage and the table.
func (s *Store) load(st walState) error {
	snap, err := loadSnapshot(s.cfg.Dir, st.mark)
	if err != nil {
		return err
	}
	if snap == nil { // a new cluster: every voter known, empty log
		snap = &pb.Snapshot{Metadata: &pb.SnapshotMetadata{ConfState: &pb.ConfState{Voters: slices.Clone(s.cfg.Peers)}}}
	} else if err := s.tab.Restore(snap.GetData()); err != nil {
		return fmt.Errorf("%w: snapshot %d: %w", ErrCorrupt, snap.GetMetadata().GetIndex(), err)
	}
	if err := s.ms.ApplySnapshot(snap); err != nil {
		return fmt.Errorf("%w: installing snapshot: %w", ErrCorrupt, err)
	}
	s.conf = snap.GetMetadata().GetConfState()
	if got, want := uniq(s.conf.GetVoters()), uniq(s.cfg.Peers); !slices.Equal(got, want) {
		return fmt.Errorf("%w: Peers: %v, but the data directory's cluster is %v", ErrConfig, want, got)
	}
	s.snapIndex = snap.GetMetadata().GetIndex()
	s.applied = s.snapIndex
	last := s.snapIndex + uint64(len(st.ents))
	if hs := st.hs; hs != nil {
		if hs.GetCommit() > last {
			return fmt.Errorf("%w: hard state commits %d, log ends at %d", ErrCorrupt, hs.GetCommit(), last)
		}
		hs = proto.Clone(hs).(*pb.HardState)
		if hs.GetCommit() < s.snapIndex { // a snapshot implies its commit
			hs.Commit = proto.Uint64(s.snapIndex)
		}
		if err := s.ms.SetHardState(hs); err != nil {
			return err
		}
	}
	return s.ms.Append(st.ents)
}

func (s *Store) newRawNode() (err error) {
	defer func() {
		if r := recover(); r != nil { // raft checks the loaded state
			err = fmt.Errorf("%w: raft refused the stored state: %v", ErrCorrupt, r)
		}
	}()
	s.rn, err = raft.NewRawNode(&raft.Config{
		ID:                        s.cfg.ID,
		ElectionTick:              s.cfg.ElectionTick,
		HeartbeatTick:             s.cfg.HeartbeatTick,
		Storage:                   s.ms,
		Applied:                   s.applied,
		MaxSizePerMsg:             s.cfg.MaxSizePerMsg,
		MaxInflightMsgs:           s.cfg.MaxInflightMsgs,
		MaxUncommittedEntriesSize: s.cfg.MaxUncommittedBytes,
		CheckQuorum:               true,
		PreVote:                   true,
		Logger:                    s.cfg.Logger,
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}

// Tick advances Raft's clock by one tick (the node's heartbeat period) and
// ends the proposals and reads whose time is up (Done with ErrTimeout in the
// next Process output).
func (s *Store) Tick() {
	if s.err != nil {
		return
	}
	s.guard(s.rn.Tick)
	s.ticks++
	for len(s.expiry) > 0 && s.expiry[0].deadline <= s.ticks {
		id := s.expiry[0].id
		s.expiry = s.expiry[1:]
		if _, ok := s.pending[id]; ok {
			s.finish(id, table.Result{}, fmt.Errorf("%w: after %d ticks", ErrTimeout, s.cfg.RequestTimeout))
			s.stats.Timeouts++
		}
	}
}

// Step hands Raft a message a peer sent (Message.Data from that peer's
// Output). Bytes that are not a message to this node from a peer are
// ErrBadMessage and change nothing.
func (s *Store) Step(b []byte) error { return s.StepFrom(0, b) }

// StepFrom is Step for bytes that arrived on peer link's authenticated
// connection (link ≠ 0): the message must name link as its sender, so that
// one member cannot speak for another, except a forwarded proposal or read
// index, which keeps its origin (a leader that stepped down forwards it on).
func (s *Store) StepFrom(link uint64, b []byte) error {
	if s.err != nil {
		return s.err
	}
	m, err := decodeMessage(b, s.cfg.MaxMessageBytes)
	if err != nil {
		return err
	}
	// A forwarded proposal or read index keeps its origin as From, which
	// may be this node (it was leader, forwarded it, and then lost
	// leadership); any other message from this node is not from a peer.
	forwarded := m.GetType() == pb.MessageType_MsgProp || m.GetType() == pb.MessageType_MsgReadIndex
	if m.GetTo() != s.cfg.ID || !slices.Contains(s.cfg.Peers, m.GetFrom()) || (m.GetFrom() == s.cfg.ID && !forwarded) {
		return fmt.Errorf("%w: %v from %d to %d, this is %d", ErrBadMessage, m.GetType(), m.GetFrom(), m.GetTo(), s.cfg.ID)
	}
	if link != 0 && m.GetFrom() != link && !forwarded {
		return fmt.Errorf("%w: %v from %d on the link of peer %d", ErrBadMessage, m.GetType(), m.GetFrom(), link)
	}
	s.stats.MessagesReceived++
	var stepErr error
	if err := s.guard(func() { stepErr = s.rn.Step(m) }); err != nil {
		return err
	}
	switch {
	case errors.Is(stepErr, raft.ErrProposalDropped):
		return nil // a forwarded proposal reached a node that cannot take it: its origin times out
	case stepErr != nil:
		return fmt.Errorf("%w: %w", ErrBadMessage, stepErr)
	}
	return nil
}

// decodeMessage parses a Raft message from the wire: at most max bytes, a
// valid protobuf, a message type a peer may send.
func decodeMessage(b []byte, max int) (*pb.Message, error) {
	if len(b) > max {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrBadMessage, len(b), max)
	}
	m := &pb.Message{}
	if err := proto.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadMessage, err)
	}
	if _, known := pb.MessageType_name[int32(m.GetType())]; !known || raft.IsLocalMsg(m.GetType()) {
		return nil, fmt.Errorf("%w: type %v is not sent between peers", ErrBadMessage, m.GetType())
	}
	return m, nil
}

// Propose sends op through the log and returns its id; its Done arrives in
// a later Process output when this replica applies the entry (or with
// ErrTimeout). A follower forwards the proposal to the leader, and the
// forward can be lost: a timed-out op should be retried with the same
// op.ID. An invalid op is table.ErrInvalidOp; no known leader, ErrNoLeader.
func (s *Store) Propose(op table.Op) (uint64, error) {
	if s.err != nil {
		return 0, s.err
	}
	data, err := encodeEnvelope(envelope{node: s.cfg.ID, boot: s.boot, seq: s.seq + 1, op: op})
	if err != nil {
		return 0, err
	}
	var propErr error
	if err := s.guard(func() { propErr = s.rn.Propose(data) }); err != nil {
		return 0, err
	}
	if errors.Is(propErr, raft.ErrProposalDropped) {
		return 0, fmt.Errorf("%w: proposal dropped", ErrNoLeader)
	} else if propErr != nil {
		return 0, fmt.Errorf("proposing: %w", propErr)
	}
	s.stats.Proposed++
	return s.wait(false, op), nil
}

// Read answers a read-only op (online) linearizably without a log entry:
// Raft's ReadIndex confirms leadership with a heartbeat round, and the op is
// answered once this replica has applied up to the read index. Its Done
// arrives like a proposal's. A non-read op is table.ErrNotRead.
func (s *Store) Read(op table.Op) (uint64, error) {
	if s.err != nil {
		return 0, s.err
	}
	if err := op.Validate(); err != nil {
		return 0, err
	}
	if !op.ReadOnly() {
		return 0, fmt.Errorf("%w: %s", table.ErrNotRead, op.Kind())
	}
	if s.rn.BasicStatus().Lead == raft.None {
		return 0, fmt.Errorf("%w: read refused", ErrNoLeader)
	}
	ctx := binary.BigEndian.AppendUint64(nil, s.cfg.ID)
	ctx = binary.BigEndian.AppendUint64(ctx, s.boot)
	ctx = binary.BigEndian.AppendUint64(ctx, s.seq+1)
	if err := s.guard(func() { s.rn.ReadIndex(ctx) }); err != nil {
		return 0, err
	}
	return s.wait(true, op), nil
}

func (s *Store) wait(read bool, op table.Op) uint64 {
	s.seq++
	deadline := s.ticks + uint64(s.cfg.RequestTimeout)
	s.pending[s.seq] = &pending{read: read, op: op, deadline: deadline}
	s.expiry = append(s.expiry, expiry{id: s.seq, deadline: deadline})
	return s.seq
}

func (s *Store) finish(id uint64, r table.Result, err error) {
	delete(s.pending, id)
	s.out.Done = append(s.out.Done, Done{ID: id, Result: r, Err: err})
}

// Campaign starts an election now (Raft's MsgHup; with PreVote a pre-vote
// round first, which peers that still hear a leader refuse), for a driver
// whose own failure detector lost the leader before Raft's randomised
// election timeout ran out. A leader does nothing.
func (s *Store) Campaign() error {
	if s.err != nil {
		return s.err
	}
	var err error
	if gerr := s.guard(func() { err = s.rn.Campaign() }); gerr != nil {
		return gerr
	}
	return err
}

// ForgetLeader makes a follower forget its leader without campaigning
// (Raft's MsgForgetLeader): with PreVote and CheckQuorum a follower that
// heard a leader within the election timeout refuses pre-votes, so the
// followers whose failure detector lost the leader forget it, and one of
// them campaigns, to elect a successor without waiting out the timeout.
// Hearing the leader again makes it a normal follower.
func (s *Store) ForgetLeader() error {
	if s.err != nil {
		return s.err
	}
	var err error
	if gerr := s.guard(func() { err = s.rn.ForgetLeader() }); gerr != nil {
		return gerr
	}
	return err
}

// ReportUnreachable tells Raft that a message to peer id could not be sent
// (its link is down), so the leader stops streaming to it optimistically.
func (s *Store) ReportUnreachable(id uint64) {
	if s.err == nil {
		s.guard(func() { s.rn.ReportUnreachable(id) })
	}
}

// Leader returns the leader this replica knows (0: none).
func (s *Store) Leader() uint64 { return s.rn.BasicStatus().Lead }

// Term returns the current Raft term.
func (s *Store) Term() uint64 { return s.rn.BasicStatus().GetTerm() }

// IsLeader says whether this replica is the leader. An isolated leader keeps
// saying so until CheckQuorum makes it step down (within an election
// timeout); what it proposes meanwhile never commits.
func (s *Store) IsLeader() bool { return s.rn.BasicStatus().RaftState == raft.StateLeader }

// Applied returns the index of the last entry applied to the table.
func (s *Store) Applied() uint64 { return s.applied }

// Pending returns how many proposals and reads wait for their Done.
func (s *Store) Pending() int { return len(s.pending) }

// Stats returns the store's cumulative counters.
func (s *Store) Stats() Stats { return s.stats }

// Err returns why the store stopped (nil while it runs).
func (s *Store) Err() error { return s.err }

// Close closes the log file and releases the directory. Proposals and reads
// still pending get no Done.
func (s *Store) Close() error {
	if s.err == nil {
		s.err = fmt.Errorf("%w: closed", ErrStopped)
	}
	var err error
	if s.wal != nil {
		err = s.wal.close()
		s.wal = nil
	}
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
	return err
}

// guard runs f and turns a panic inside Raft (an invariant a message or the
// storage broke) into the store's sticky error: nothing more is persisted or
// sent, and the node must reopen the store from disk.
func (s *Store) guard(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.err = fmt.Errorf("%w: raft panicked: %v", ErrStopped, r)
			err = s.err
		}
	}()
	f()
	return nil
}
