package raftstore

import "stegocloud/cluster/table"

// Output is what one Process call hands back to the driver.
type Output struct {
	// Messages go to peers, in order. Everything they depend on is already
	// on disk when Process returns: send them after it, never before.
	Messages []Message
	// Done are the proposals and reads that finished: with a result, or
	// with an error (ErrTimeout).
	Done []Done
	// Events happened since the last call, oldest first.
	Events []Event
}

// Message is one Raft message for peer To: Data is a marshalled
// raftpb.Message, to be given to that peer's Store.Step.
type Message struct {
	To   uint64
	Data []byte
}

// Done is the end of a proposal or read: ID is what Propose or Read returned.
// Err is nil when Result is the op's result as the table applied (or
// answered) it; with ErrTimeout the op may still be applied later.
type Done struct {
	ID     uint64
	Result table.Result
	Err    error
	// Where: a proposal's log entry (its index, and the term of the leader
	// that appended it); for a read, the applied index it was answered at
	// and the current term. Zero with Err.
	Index, Term uint64
}

// Event types. The node logs them in its event log.
const (
	// EventRecover: the store opened its directory. Term, Index (last log
	// index), Commit, Snapshot (snapshot index), Bytes (torn tail truncated).
	EventRecover = "raft_recover"
	// EventLeader: the known leader or this node's role changed. Term,
	// Leader (0 = none known), State (follower, candidate, pre-candidate,
	// leader).
	EventLeader = "raft_leader"
	// EventApply: committed entries were applied. Index (last applied),
	// Count (entries in this batch, empty ones included), Fsyncs (total).
	EventApply = "raft_apply"
	// EventSnapshot: a snapshot was taken (Reason "created") or installed
	// from the leader (Reason "received"). Index, Term, Bytes (table size).
	EventSnapshot = "raft_snapshot"
	// EventBadEntry: a committed entry was not a valid envelope and was
	// skipped (every replica skips it). Index, Reason.
	EventBadEntry = "raft_bad_entry"
)

// Event is something the harness may log.
type Event struct {
	Type     string `json:"type"`
	Term     uint64 `json:"term,omitempty"`
	Leader   uint64 `json:"leader,omitempty"`
	State    string `json:"state,omitempty"`
	Index    uint64 `json:"index,omitempty"`
	Commit   uint64 `json:"commit,omitempty"`
	Snapshot uint64 `json:"snapshot,omitempty"`
	Count    int    `json:"count,omitempty"`
	Bytes    int64  `json:"bytes,omitempty"`
	Fsyncs   uint64 `json:"fsyncs,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// Stats are cumulative counters of one Store (one process life).
type Stats struct {
	Fsyncs               uint64 // fsync calls (WAL, snapshot files, directory)
	WALBytesWritten      uint64
	WALRewrites          uint64 // compactions of the WAL into a new segment
	SnapshotBytesWritten uint64
	SnapshotsCreated     uint64
	SnapshotsReceived    uint64
	Readies              uint64 // Ready batches handled
	Proposed             uint64 // proposals accepted by Raft
	Applied              uint64 // entries applied (including empty ones)
	Reads                uint64 // reads served through ReadIndex
	Timeouts             uint64 // proposals and reads ended with ErrTimeout
	MessagesSent         uint64
	MessagesReceived     uint64
}
