package cluster

// Election raft in the driver: the node opens the raft store beside the
// machine and hands inputs to the machine in batches, so that one Raft
// Ready, one WAL write and one fsync cover every input that queued up
// while the previous batch was being persisted.

// raftBatch is how many queued inputs at most share one Ready.
const raftBatch = 64

// useRaft opens the raft store and gives it to the machine; the returned
// func closes it (after the machine's last Ready; a no-op on error).
func (n *Node) useRaft() (func(), error) {
	rs, err := OpenRaft(n.cfg)
	if err != nil {
		return func() {}, err
	}
	n.m.UseRaft(rs)
	n.log.Info("raft store opened", "dir", RaftDir(n.cfg.StateDir, n.cfg.ID), "term", rs.Term(), "applied", rs.Applied())
	return func() {
		if err := rs.Close(); err != nil {
			n.log.Error("closing the raft store", "err", err)
		}
	}, nil
}

// handleBatch handles in and, with raft, the inputs already queued behind
// it (up to raftBatch), then applies one Ready for all of them and
// releases the inputs that wait for it. With bully every input gets its
// own Ready, as the seed's driver did.
func (n *Node) handleBatch(in input) {
	var acks []chan struct{}
	for i := 0; ; i++ {
		n.handle(in)
		if in.ack != nil {
			acks = append(acks, in.ack)
		}
		if n.cfg.Election != ElectionRaft || i+1 >= raftBatch {
			break
		}
		select {
		case in = <-n.inbox:
			continue
		default:
		}
		break
	}
	if len(acks) > 0 {
		n.apply(n.m.Ready())
		for _, a := range acks {
			close(a)
		}
	}
}

// raftCounters adds the raft store's counters (election raft): "raft.fsyncs",
// "raft.readies" (Ready batches, each at most one WAL write), "raft.proposed",
// "raft.applied" (entries, empty ones included), "raft.reads",
// "raft.timeouts" (proposals and reads proposed again), "raft.snapshots"
// (created) and "raft.wal_bytes".
func (n *Node) raftCounters(c map[string]int64) {
	if n.m == nil || n.m.raft == nil {
		return
	}
	st := n.m.raft.rs.Stats()
	for k, v := range map[string]uint64{
		"raft.fsyncs": st.Fsyncs, "raft.readies": st.Readies, "raft.proposed": st.Proposed,
		"raft.applied": st.Applied, "raft.reads": st.Reads, "raft.timeouts": st.Timeouts,
		"raft.snapshots": st.SnapshotsCreated, "raft.wal_bytes": st.WALBytesWritten,
	} {
		c[k] = int64(v)
	}
}
