package raftstore

import "errors"

// Sentinel errors. Callers match them with errors.Is; returned errors wrap
// them with what was being done.
var (
	// ErrConfig means a Config field has a bad value; the message names it.
	ErrConfig = errors.New("invalid raftstore configuration")

	// ErrCorrupt means the data directory cannot be trusted: a bad record
	// before the last segment's tail, a log with a gap, a snapshot the log
	// names but that is missing or damaged. A torn tail (the unsynced end
	// of the last segment) is not corruption: it is truncated on open.
	ErrCorrupt = errors.New("corrupt raft data")

	// ErrLocked means another process holds the data directory.
	ErrLocked = errors.New("data directory in use")

	// ErrBadRecord means bytes are not a valid record (length, checksum,
	// type or payload).
	ErrBadRecord = errors.New("bad record")

	// ErrBadEntry means a log entry's data is not a valid proposal
	// envelope; every replica skips it the same way.
	ErrBadEntry = errors.New("bad log entry")

	// ErrBadMessage means bytes given to Step are not a Raft message for
	// this node from one of its peers.
	ErrBadMessage = errors.New("bad raft message")

	// ErrNoLeader means a proposal or read was refused at once because no
	// leader is known (or leadership is being transferred); retry later.
	ErrNoLeader = errors.New("no raft leader known")

	// ErrTimeout means a proposal or read was not answered within
	// Config.RequestTimeout ticks. A timed-out proposal may still commit
	// later: retry with the same request id, and the table's dedup window
	// returns the first result instead of applying it twice.
	ErrTimeout = errors.New("raft request timed out")

	// ErrStopped means the store was closed, or failed earlier (a disk
	// error, or a Raft invariant broken by a message): it must be reopened
	// from its directory.
	ErrStopped = errors.New("raft store stopped")
)
