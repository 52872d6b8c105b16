package table

import "errors"

// Sentinel errors. Callers match them with errors.Is; returned errors wrap
// them with what was being decoded or checked.
var (
	// ErrInvalidOp means an op is malformed: no kind or more than one, a
	// missing or oversized name, a quota out of range, invalid UTF-8, or
	// bytes that do not decode to one op.
	ErrInvalidOp = errors.New("invalid op")

	// ErrInvalidResult means bytes do not decode to one valid Result.
	ErrInvalidResult = errors.New("invalid result")

	// ErrIDReused means an op arrived with the request id of a different op
	// still in the dedup window.
	ErrIDReused = errors.New("request id reused for a different op")

	// ErrNotRead means Query was asked for an op that changes the table.
	ErrNotRead = errors.New("not a read-only op")

	// ErrBadSnapshot means snapshot bytes are not a valid table: unknown
	// version, unsorted or duplicate keys, values out of range.
	ErrBadSnapshot = errors.New("invalid table snapshot")
)
