package wire

import "errors"

// Sentinel errors. Callers match them with errors.Is; package cluster and
// package client re-export them under the same names, so either spelling
// matches.
var (
	// ErrFrameTooLarge means a frame's length prefix exceeds the size limit.
	ErrFrameTooLarge = errors.New("frame too large")

	// ErrTruncated means the stream ended inside a frame.
	ErrTruncated = errors.New("truncated frame")

	// ErrProtocol means a frame was well-sized but its content is not a valid
	// message: bad header length, unparseable header, unknown type, missing
	// fields, or a message the connection's role may not send.
	ErrProtocol = errors.New("protocol violation")

	// ErrConfig means a node's or a client's configuration field has a bad
	// value; the message names the field.
	ErrConfig = errors.New("invalid configuration")

	// ErrRejected means a node refused the request itself (for example the
	// cover is not an image or is too small); retrying cannot help.
	ErrRejected = errors.New("request rejected")
)
