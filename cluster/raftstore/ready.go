package raftstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// Process handles everything Raft has ready, in the order its contract
// requires, until nothing is left, and returns what the driver must do:
//
//  1. a snapshot from the leader is saved to its file (fsync);
//  2. the hard state and new entries are appended to the WAL as one batch,
//     fsynced once when Raft says MustSync;
//  3. the in-memory log learns them (and the snapshot, restored into the table);
//  4. messages are collected — the driver sends them after Process returns,
//     so they never leave before what they promise is on disk;
//  5. committed entries are applied to the table; a proposal made here gets
//     its result in Done;
//  6. reads are answered once the applied index reaches their read index;
//  7. every Config.SnapshotEvery applied entries the table is snapshotted and
//     the in-memory log and the WAL are compacted;
//  8. Raft is told the Ready was handled (Advance).
//
// Call it after every Tick, Step, Propose or Read (once after a batch of
// them is enough: a batch of proposals becomes one Ready and one fsync). An
// error (a disk failure, a broken Raft invariant) stops the store for good:
// close it and reopen it from its directory.
func (s *Store) Process() (Output, error) {
	if s.err != nil {
		return Output{}, s.err
	}
	var snapSent []uint64
	err := s.guard(func() {
		for s.err == nil && s.rn.HasReady() {
			rd := s.rn.Ready()
			sent, err := s.handle(rd)
			if err != nil {
				s.err = fmt.Errorf("%w: %w", ErrStopped, err)
				return
			}
			s.rn.Advance(rd)
			snapSent = append(snapSent, sent...)
		}
		// The transport gives no delivery report: call a snapshot sent.
		// If it is lost, the follower's next rejection makes the leader
		// send it again.
		for _, to := range snapSent {
			s.rn.ReportSnapshot(to, raft.SnapshotFinish)
		}
	})
	if err == nil {
		err = s.err
	}
	if err != nil {
		s.out = Output{}
		return Output{}, err
	}
	out := s.out
	s.out = Output{}
	return out, nil
}

// handle does steps 1–7 for one Ready and returns the peers sent a snapshot.
func (s *Store) handle(rd raft.Ready) ([]uint64, error) {
	s.stats.Readies++
	s.noteLeader(rd)
	hs := rd.HardState
	if raft.IsEmptyHardState(hs) {
		hs = nil
	}
	if !raft.IsEmptySnap(rd.Snapshot) {
		if err := s.install(rd.Snapshot, rd.Entries, hs); err != nil {
			return nil, err
		}
	} else {
		if err := s.wal.appendBatch(nil, rd.Entries, hs); err != nil {
			return nil, err
		}
		if rd.MustSync {
			if err := s.wal.syncNow(); err != nil {
				return nil, err
			}
		}
	}
	if hs != nil {
		if err := s.ms.SetHardState(hs); err != nil {
			return nil, err
		}
	}
	if err := s.ms.Append(rd.Entries); err != nil {
		return nil, err
	}
	var snapTo []uint64
	for _, m := range rd.Messages {
		data, err := proto.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("encoding raft message: %w", err)
		}
		s.out.Messages = append(s.out.Messages, Message{To: m.GetTo(), Data: data})
		if m.GetType() == pb.MessageType_MsgSnap {
			snapTo = append(snapTo, m.GetTo())
		}
	}
	s.stats.MessagesSent += uint64(len(rd.Messages))
	s.apply(rd.CommittedEntries)
	for _, rs := range rd.ReadStates {
		s.readState(rs)
	}
	s.serveReads()
	return snapTo, s.maybeSnapshot()
}

// install persists and installs a snapshot the leader sent. The log restarts
// after it, so the WAL is rewritten to [mark, entries, hard state] at once.
func (s *Store) install(snap *pb.Snapshot, ents []*pb.Entry, hs *pb.HardState) error {
	meta := snap.GetMetadata()
	if err := saveSnapshot(s.cfg.Dir, snap, !s.cfg.NoSync, &s.stats); err != nil {
		return err
	}
	if hs == nil {
		hs, _, _ = s.ms.InitialState()
	}
	if err := s.wal.rewrite(meta, ents, hs); err != nil {
		return err
	}
	if err := removeSnapshotsBefore(s.cfg.Dir, meta.GetIndex()); err != nil {
		return err
	}
	if err := s.ms.ApplySnapshot(snap); err != nil { // Raft sends only snapshots past its commit
		return fmt.Errorf("installing snapshot %d: %w", meta.GetIndex(), err)
	}
	if err := s.tab.Restore(snap.GetData()); err != nil {
		return fmt.Errorf("%w: snapshot from the leader: %w", ErrCorrupt, err)
	}
	s.applied, s.snapIndex = meta.GetIndex(), meta.GetIndex()
	s.stats.SnapshotsReceived++
	s.out.Events = append(s.out.Events, Event{Type: EventSnapshot, Reason: "received",
		Index: meta.GetIndex(), Term: meta.GetTerm(), Bytes: int64(len(snap.GetData()))})
	return nil
}

// noteLeader reports a change of leader or role.
func (s *Store) noteLeader(rd raft.Ready) {
	if rd.HardState != nil && rd.HardState.GetTerm() != 0 {
		s.term = rd.HardState.GetTerm()
	}
	if rd.SoftState == nil || (rd.Lead == s.lead && rd.RaftState == s.state) {
		return
	}
	s.lead, s.state = rd.Lead, rd.RaftState
	s.out.Events = append(s.out.Events, Event{Type: EventLeader, Term: s.term, Leader: s.lead, State: stateName(s.state)})
}

func stateName(st raft.StateType) string {
	switch st {
	case raft.StateFollower:
		return "follower"
	case raft.StateCandidate:
		return "candidate"
	case raft.StatePreCandidate:
		return "pre-candidate"
	case raft.StateLeader:
		return "leader"
	}
	return st.String()
}

// apply applies committed entries to the table in log order.
func (s *Store) apply(ents []*pb.Entry) {
	n := 0
	for _, e := range ents {
		if e.GetIndex() <= s.applied {
			continue
		}
		s.applied = e.GetIndex()
		n++
		if e.GetType() != pb.EntryType_EntryNormal || len(e.GetData()) == 0 {
			continue // a new leader's empty entry; conf changes are never proposed
		}
		env, err := decodeEnvelope(e.GetData())
		if err != nil {
			s.out.Events = append(s.out.Events, Event{Type: EventBadEntry, Index: e.GetIndex(), Reason: err.Error()})
			continue
		}
		r := s.tab.Apply(env.op)
		if s.onApply != nil {
			s.onApply(e.GetIndex(), env.op, r)
		}
		if env.node == s.cfg.ID && env.boot == s.boot {
			if p, ok := s.pending[env.seq]; ok && !p.read {
				s.finish(env.seq, r, nil)
				s.out.Done[len(s.out.Done)-1].Index, s.out.Done[len(s.out.Done)-1].Term = e.GetIndex(), e.GetTerm()
			}
		}
	}
	if n > 0 {
		s.stats.Applied += uint64(n)
		s.out.Events = append(s.out.Events, Event{Type: EventApply, Index: s.applied, Count: n, Fsyncs: s.stats.Fsyncs})
	}
}

// readState matches a read index to this replica's read and answers it now
// or once the applied index reaches it.
func (s *Store) readState(rs raft.ReadState) {
	ctx := rs.RequestCtx
	if len(ctx) != 24 || binary.BigEndian.Uint64(ctx) != s.cfg.ID || binary.BigEndian.Uint64(ctx[8:]) != s.boot {
		return
	}
	id := binary.BigEndian.Uint64(ctx[16:])
	if p, ok := s.pending[id]; ok && p.read {
		s.reads = append(s.reads, waitingRead{id: id, index: rs.Index})
	}
}

func (s *Store) serveReads() {
	kept := s.reads[:0]
	for _, w := range s.reads {
		p, ok := s.pending[w.id]
		switch {
		case !ok: // timed out meanwhile
		case w.index <= s.applied:
			r, err := s.tab.Query(p.op)
			s.finish(w.id, r, err)
			s.out.Done[len(s.out.Done)-1].Index, s.out.Done[len(s.out.Done)-1].Term = s.applied, s.Term()
			s.stats.Reads++
		default:
			kept = append(kept, w)
		}
	}
	s.reads = kept
}

// maybeSnapshot snapshots the table every SnapshotEvery applied entries,
// rewrites the WAL to start at the snapshot, and compacts the in-memory log
// keeping CatchUpEntries for lagging followers.
func (s *Store) maybeSnapshot() error {
	if s.applied-s.snapIndex < s.cfg.SnapshotEvery {
		return nil
	}
	data := s.tab.Snapshot()
	snap, err := s.ms.CreateSnapshot(s.applied, s.conf, data)
	if err != nil {
		return fmt.Errorf("creating snapshot: %w", err)
	}
	if err := saveSnapshot(s.cfg.Dir, snap, !s.cfg.NoSync, &s.stats); err != nil {
		return err
	}
	var tail []*pb.Entry
	if last, _ := s.ms.LastIndex(); last > s.applied {
		if tail, err = s.ms.Entries(s.applied+1, last+1, math.MaxUint64); err != nil {
			return fmt.Errorf("reading the log tail: %w", err)
		}
	}
	hs, _, _ := s.ms.InitialState()
	if err := s.wal.rewrite(snap.GetMetadata(), tail, hs); err != nil {
		return err
	}
	if err := removeSnapshotsBefore(s.cfg.Dir, s.applied); err != nil {
		return err
	}
	if s.applied > s.cfg.CatchUpEntries {
		if err := s.ms.Compact(s.applied - s.cfg.CatchUpEntries); err != nil && !errors.Is(err, raft.ErrCompacted) {
			return fmt.Errorf("compacting the log: %w", err)
		}
	}
	s.snapIndex = s.applied
	s.stats.SnapshotsCreated++
	s.out.Events = append(s.out.Events, Event{Type: EventSnapshot, Reason: "created",
		Index: s.applied, Term: snap.GetMetadata().GetTerm(), Bytes: int64(len(data))})
	return nil
}
