package cluster

import "errors"

// Sentinel errors. Callers match them with errors.Is; every returned error wraps
// one of them with the context of what was being done.
var (
	// ErrConfig means a Config or ClientConfig field has a bad value; the
	// message names the field.
	ErrConfig = errors.New("invalid configuration")

	// ErrFrameTooLarge means a frame's length prefix exceeds the size limit.
	ErrFrameTooLarge = errors.New("frame too large")

	// ErrTruncated means the stream ended inside a frame.
	ErrTruncated = errors.New("truncated frame")

	// ErrProtocol means a frame was well-sized but its content is not a valid
	// message: bad header length, unparseable header, unknown type, missing
	// fields, or a message the connection's role may not send.
	ErrProtocol = errors.New("protocol violation")

	// ErrState means the node's persistent state (Config.StateDir) cannot be
	// read, parsed or written; the node refuses to run rather than risk
	// reusing an epoch.
	ErrState = errors.New("persistent state")

	// ErrUnknownBalancer means a balancer name is not one of Balancers.
	ErrUnknownBalancer = errors.New("unknown balancer")

	// ErrTimeout means no valid response arrived before the last attempt's
	// deadline.
	ErrTimeout = errors.New("request timed out")

	// ErrNoNode means no node could be reached on any attempt.
	ErrNoNode = errors.New("no node reachable")

	// ErrInvalidResponse means responses arrived but none carried the metadata
	// that was sent.
	ErrInvalidResponse = errors.New("invalid response")

	// ErrRejected means a node refused the request itself (for example the
	// cover is not an image or is too small); retrying cannot help.
	ErrRejected = errors.New("request rejected")

	// ErrClosed means the client or node has been closed.
	ErrClosed = errors.New("closed")

	// ErrUnauthorized means a connection was refused for who it is: its TLS
	// handshake failed (no certificate, another CA, plaintext), or the
	// identity its certificate proves may not open the role its hello
	// claims (a node certificate speaking for another node, a client
	// certificate on the control path).
	ErrUnauthorized = errors.New("unauthorized")

	// ErrControl means a control request failed: the node answered with an
	// error or not with the expected reply.
	ErrControl = errors.New("control request failed")
)
