package design

import "errors"

// The sentinel errors of package design. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrDesignSources means reports/sources.yaml is malformed: an unknown
	// key, a value that is not an experiment name, or no section at all.
	ErrDesignSources = errors.New("invalid design sources")

	// ErrNoRunYet means an experiment has no run directory in results/.
	ErrNoRunYet = errors.New("no run yet")

	// ErrIncompleteRun means an experiment's latest run root lacks what a
	// finished run writes (an interrupted run): it is run again, not reported.
	ErrIncompleteRun = errors.New("incomplete run")

	// ErrBenchOutput means the codec benchmark output could not be read.
	ErrBenchOutput = errors.New("unreadable benchmark output")
)
