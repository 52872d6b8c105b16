package client

import (
	"errors"

	"stegocloud/cluster/wire"
)

// Sentinel errors. Every error a call returns is a *RequestError wrapping
// one of them (or a context error); package cluster re-exports them under
// the same names.
var (
	// ErrTimeout means no valid answer arrived before the last attempt's
	// deadline. For a table op the outcome is unknown: the cluster may have
	// applied it (a view may have been spent) and the answer was lost.
	ErrTimeout = errors.New("request timed out")

	// ErrNoNode means no node could be reached on any attempt: no request
	// frame was written to any connection, so nothing was applied.
	ErrNoNode = errors.New("no node reachable")

	// ErrInvalidResponse means answers arrived but none was valid: for
	// Encrypt, none carried the metadata that was sent; for a table op,
	// none carried a result of the op's kind.
	ErrInvalidResponse = errors.New("invalid response")

	// ErrClosed means the client has been closed.
	ErrClosed = errors.New("closed")

	// ErrConfig means a Config field has a bad value; the message names it.
	ErrConfig = wire.ErrConfig

	// ErrRejected means a node refused the request itself: the cover is not
	// an image, the image to view carries no metadata the node can read
	// (not one of ours, sealed with another key), or the table refused the
	// op. Retrying cannot help, and a rejected table op was not applied.
	ErrRejected = wire.ErrRejected
)

// NotApplied reports whether err, returned by a table op, says for certain
// that the op never reached the table: rejected before it (ErrRejected) or
// never sent (ErrNoNode). Any other error (ErrTimeout first of all) leaves
// the outcome unknown.
func NotApplied(err error) bool {
	return errors.Is(err, ErrRejected) || errors.Is(err, ErrNoNode)
}
