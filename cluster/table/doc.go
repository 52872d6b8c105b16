// Package table is the cluster's Phase 2 replicated table as a pure,
// deterministic state machine: per-image view quotas and the discovery list
// of online users. Both store backends apply the same operations to it — the
// seed's coordinator store (the coordinator applies each op and pushes it to
// its peers) and the Raft store (every replica applies the committed log).
//
// # Operations
//
// An Op carries exactly one of View, Register, Unregister or Online, and an
// optional client request id. Apply(op) returns a Result and depends on
// nothing but the table and the op: no clock, randomness or I/O, so replicas
// that apply the same ops in the same order hold the same table and return
// the same results.
//
//	view(image, user, quota, authorized)
//	    the node has revealed the image's metadata: it knows the image's
//	    initial quota and whether the user is authorized.
//	    not authorized      → {granted:false, remaining:<current>, reason:"not authorized"}, nothing spent
//	    image seen first    → its remaining views start at quota (later ops' quota is ignored)
//	    remaining 0         → {granted:false, remaining:0, reason:"quota exhausted"}
//	    otherwise           → remaining−1, {granted:true, remaining:<new>}
//	register(user, addr)    → the user is online at addr (replacing an older addr); changed says whether the table changed
//	unregister(user)        → the user is offline; changed says whether it was online
//	online()                → every online user, sorted by user (a read: Query answers it without the log)
//
// An invalid op (no kind or two kinds, empty or oversized names, a quota out
// of range, invalid UTF-8) changes nothing and returns Result.Error; it is
// never a panic, since ops are decoded from the wire and the Raft log.
//
// # Retries (idempotence)
//
// An op with a non-empty ID is remembered with its result. Applying an op with
// the same ID again returns the stored first result and changes nothing, so a
// client may retry a view whose answer it lost without spending twice. Reusing
// an ID for a different op returns an error result. The memory is a window of
// the last W identified ops in application order (W = the dedup window, New's
// argument, DefaultDedupWindow by default): a retry is recognised as long as
// fewer than W other identified ops were applied after the first one. Reads
// (online) and invalid ops are not remembered. The window is part of the
// table's state and travels in its snapshot: every replica must use the same
// W, and a replica restored from a snapshot adopts the snapshot's.
//
// # Encodings
//
// Ops and Results are JSON (EncodeOp/DecodeOp, DecodeResult: strict, one
// value, unknown fields refused). Snapshot returns the whole table as
// canonical JSON — images and users sorted, the dedup window oldest first —
// so equal tables give equal bytes; Restore validates every field before it
// replaces anything.
package table
