// Package nodecmd is the `stegocloud node` command: flags, logging, the
// event file, the seal key, signals, then one cluster.Node until it stops.
//
// The node's parameters (their flag names, defaults and validation) belong
// to cluster.Config, which registers its own flags: the harness builds the
// same command line with Config.Args, and one package owning both directions
// keeps them from drifting. This package only wires a process around them.
//
// It lives outside cmd/ so that test binaries can re-execute themselves into
// a real node process (see nodetest), and outside cluster so that the
// protocol package knows nothing of flags, stderr or signals.
//
// Logs and the ELECTION RESULT block go to stderr through a bounded queue
// (internal/nonblock): an unread stderr pipe costs log lines, counted in the
// node's "lost.log" counter, never a stalled node.
package nodecmd
