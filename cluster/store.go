package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"stegocloud/cluster/table"
)

// tableStore is where this node's table ops go and where their results come
// from: the seam between the request path (clients, assignments, reveals,
// answers: requests.go, tablereq.go), which knows nothing of replication,
// and the replication of the table, which knows nothing of requests. The
// Machine owns one store and calls it from its loop; the store reports
// every result it learns through the machine's applied method.
//
// The seed's store (coordStore, the one the Bully election comes with)
// sends ops to the coordinator, which applies them and pushes updates to
// its peers. A Raft
// store maps the same calls onto cluster/raftstore: submit → Propose (Read
// for online), step → Store.Step of a raft message, tick → Tick, and each
// Done → applied with the leader as applier and (term, index) as position;
// the driver calls the raft store's Process after each input, before it
// sends the machine's messages.
type tableStore interface {
	// submit hands the store op for request req (attempt: the request's
	// latest attempt; op.ID is tableID(req)). Its result comes back through
	// Machine.applied, later, or never if the op or its result was lost: the
	// store resends what it has not heard back about, and the table's dedup
	// window makes a resend of an applied op return its first result.
	submit(now time.Time, req string, attempt int, op table.Op)
	// forget drops request req's op: the machine forgot the request.
	forget(req string)
	// step feeds one store message (storeTypes) from peer p.
	step(now time.Time, p *peerView, msg Message)
	// heartbeat checks this node's copy against the position the followed
	// coordinator's heartbeat carries (nil: the sender is not acting).
	heartbeat(now time.Time, p *peerView, at *Pos)
	// tick resends what went unanswered and asks again for what is missing.
	tick(now time.Time)
	// follow is called whenever the coordinator this node follows, or
	// whether it acts itself, may have changed: pending ops go to the new one.
	follow(now time.Time)
	// position is where this node's copy of the table stands.
	position() Pos
	// copyTable returns the table and its position, for a recovering peer.
	copyTable() (Pos, []byte)
	// restore replaces the copy with a peer's (a recovering node's sync);
	// reason says why, for the table_sync event.
	restore(now time.Time, from int, at Pos, snapshot []byte, reason string) error
	// reset forgets pending ops and syncs (the node failed).
	reset()
}

// storeTypes are the peer messages a store consumes (MsgRaft: the raft store).
var storeTypes = []MsgType{MsgTableOp, MsgTableUpdate, MsgTableResult, MsgTableSync, MsgTableCopy, MsgRaft}

// applied is a table op's result as this node learned it: applied by its
// own table (the coordinator), pushed by the coordinator in an update, or
// answered by the coordinator (a read).
type applied struct {
	req     string // request id
	attempt int    // the attempt whose op was applied (0: unknown)
	op      table.Op
	result  table.Result
	by      int    // the node whose table applied (or read) it
	epoch   uint64 // its coordinator epoch then
	at      Pos    // where: the update's position, or the table's when read
}

// tableID is the table op id of request id: the id itself when the table
// accepts it, else a digest of it (the wire allows longer ids than the
// table remembers). Every node maps an id alike, so retries and
// reassignments of one request share one op id.
func tableID(id string) string {
	if (table.Op{ID: id, Online: &table.Online{}}).Validate() == nil {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return "sha256-" + hex.EncodeToString(sum[:20])
}
