// Package raftstore replicates the Phase 2 table (package table) with
// etcd-io/raft (go.etcd.io/raft/v3): one Store per node holds a RawNode, its
// durable log and snapshots in a data directory, and the table the
// committed log builds. It is the `cluster.election: raft` store: the Raft
// leader is the cluster's coordinator, every table op goes through the log,
// reads are linearizable.
//
// # Who owns the loop
//
// A Store has no goroutines, timers or sockets and is not safe for
// concurrent use: the node's loop goroutine owns it and calls
//
//	Tick()                  once per heartbeat period (HeartbeatTick 1, ElectionTick 10)
//	Step(data)              for each Raft message a peer sent (data = that peer's Message.Data)
//	Propose(op) → id        to run a table op through the log
//	Read(op) → id           to answer online() linearizably via ReadIndex
//	Process() → Output      after any of the above: persists, then returns
//	                        Messages to send (after it returns), Done results
//	                        for ids, and Events to log
//
// Process handles Raft's Ready in the required order: snapshot file, WAL
// batch with one fsync when MustSync, in-memory log, outgoing messages (only
// returned, so never sent before they are durable), committed entries
// applied to the table, read indexes served once applied, periodic snapshot
// and compaction, Advance. Proposals made between two Process calls become
// one Ready and one fsync: batching comes from the driver calling Process
// once per batch of inputs.
//
// A proposal's Done arrives when this replica applies its entry; entries
// carry (node, boot, id) so a restarted process never mistakes an entry of
// its previous life for its own. A follower's proposal is forwarded to the
// leader and can be lost (a leader change, a partition): after
// Config.RequestTimeout ticks it ends with ErrTimeout, and the caller
// retries with the same table.Op.ID, which the table's dedup window turns
// into "return the first result" if the first attempt did commit.
// Leadership changes arrive as EventLeader; Leader, Term and IsLeader
// answer at any time.
//
// # On disk (Config.Dir)
//
//	boot                 the boot count (one record)
//	wal-<16 hex>.log     the log: records [snapshot mark] entries… [hard state], one batch per Ready
//	snap-<16 hex>.snap   the snapshot the log's last mark names (one record: raftpb.Snapshot)
//
// A record is uint32 LE length | uint32 LE CRC-32C | type byte | payload
// (protobuf). On open the last segment's first bad record and everything
// after it are cut (a torn, unsynced tail); a bad record anywhere else, a
// gap in the log or a missing snapshot is ErrCorrupt. The store then loads
// the snapshot into the MemoryStorage and the table, the entries after it
// and the hard state, and Raft continues from there (re-applying committed
// entries after the snapshot to the table).
//
// Every Config.SnapshotEvery applied entries the table is snapshotted: the
// snapshot file is written (temporary file, fsync, rename, directory fsync),
// the WAL is rewritten into a new segment holding the mark, the entries
// after the snapshot and the hard state, older segments and snapshots are
// deleted, and the MemoryStorage keeps Config.CatchUpEntries before the
// snapshot for followers that lag a little (others get the snapshot). Disk
// and memory stay bounded by SnapshotEvery + CatchUpEntries entries and one
// table snapshot, however long the run.
//
// # Limits
//
// Membership is fixed (Config.Peers; no conf changes). Raft trusts its
// peers: a well-formed message with a forged state (say, a commit beyond the
// log) makes Raft panic; the store turns that into ErrStopped rather than
// crashing the process. Peer links must be authenticated (mTLS).
package raftstore
