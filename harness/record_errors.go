package harness

import "errors"

// Sentinel errors of the recorder, the event analysis and the checker. They
// live here rather than in a shared errors.go so that parallel branches of the
// package merge without conflicts; fold them in when convenient.
var (
	// ErrRecorderConfig reports a RecorderConfig that cannot describe a run
	// (no nodes, a negative bucket width, a fault on a node that does not exist).
	ErrRecorderConfig = errors.New("invalid recorder configuration")

	// ErrRecorderOpen reports a read of the recorder's results before Close.
	ErrRecorderOpen = errors.New("recorder not closed")

	// ErrHistogram reports an encoded histogram that cannot be decoded.
	ErrHistogram = errors.New("malformed histogram")

	// ErrAnalysisConfig reports an AnalysisConfig that cannot describe a run.
	ErrAnalysisConfig = errors.New("invalid analysis configuration")

	// ErrEventOrder reports an event stream that goes back in time: the
	// analysis needs the merged log sorted by time.
	ErrEventOrder = errors.New("events out of time order")

	// ErrEventNode reports an event about a node id outside 1..nodes (or a
	// node event without a node id).
	ErrEventNode = errors.New("event names an unknown node")

	// ErrAnalyzerClosed reports an event added after Close.
	ErrAnalyzerClosed = errors.New("analyzer closed")
)
