package cluster

import (
	"errors"

	"stegocloud/cluster/client"
	"stegocloud/cluster/wire"
)

// Sentinel errors. Callers match them with errors.Is; every returned error wraps
// one of them with the context of what was being done.
var (
	// ErrConfig means a Config or ClientConfig field has a bad value; the
	// message names the field.
	ErrConfig = wire.ErrConfig

	// ErrFrameTooLarge means a frame's length prefix exceeds the size limit.
	ErrFrameTooLarge = wire.ErrFrameTooLarge

	// ErrTruncated means the stream ended inside a frame.
	ErrTruncated = wire.ErrTruncated

	// ErrProtocol means a frame was well-sized but its content is not a valid
	// message: bad header length, unparseable header, unknown type, missing
	// fields, or a message the connection's role may not send.
	ErrProtocol = wire.ErrProtocol

	// ErrState means the node's persistent state (Config.StateDir) cannot be
	// read, parsed or written; the node refuses to run rather than risk
	// reusing an epoch.
	ErrState = errors.New("persistent state")

	// ErrUnknownBalancer means a balancer name is not one of Balancers.
	ErrUnknownBalancer = errors.New("unknown balancer")

	// ErrTimeout means no valid response arrived before the last attempt's
	// deadline; for a table op, its outcome is unknown (client.ErrTimeout).
	ErrTimeout = client.ErrTimeout

	// ErrNoNode means no node could be reached on any attempt.
	ErrNoNode = client.ErrNoNode

	// ErrInvalidResponse means responses arrived but none was valid: none
	// carried the metadata that was sent, or a result of the op's kind.
	ErrInvalidResponse = client.ErrInvalidResponse

	// ErrRejected means a node refused the request itself (for example the
	// cover is not an image or is too small, or an image to view carries no
	// metadata the node can read); retrying cannot help.
	ErrRejected = wire.ErrRejected

	// ErrClosed means the client has been closed.
	ErrClosed = client.ErrClosed

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
