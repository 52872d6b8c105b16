package netfault

import "errors"

// The package's sentinel errors, wrapped with what was being done; test for
// them with errors.Is.
var (
	// ErrBadConfig is returned by New for a configuration it cannot build:
	// no nodes, an empty address, a negative client count, a listen failure.
	ErrBadConfig = errors.New("bad netfault config")

	// ErrUnknownNode is returned when a node or client id is not part of the
	// topology the Network was built for.
	ErrUnknownNode = errors.New("unknown node or client")

	// ErrBadFault is wrapped by every problem found in a fault: too few
	// groups, an id named twice, a negative delay, a flow from a node to itself.
	ErrBadFault = errors.New("bad fault spec")

	// ErrUnknownFault is returned by Remove for an id that is not active.
	ErrUnknownFault = errors.New("no such active fault")

	// ErrClosed is returned by every method of a Network after Close.
	ErrClosed = errors.New("netfault network closed")
)
