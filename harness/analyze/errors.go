package analyze

import "errors"

// The sentinel errors of package analyze. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrAnalysisConfig reports an Config that cannot describe a run.
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
