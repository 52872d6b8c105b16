package rundir

import "errors"

// The sentinel errors of package rundir. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrSweepIndex reports a sweep.json that is missing, unparsable, or
	// inconsistent (unknown fields, duplicate labels, paths outside the sweep).
	ErrSweepIndex = errors.New("bad sweep index")

	// ErrNoSummary means a run directory has no readable summary.json: without
	// it there is nothing to report, so Load fails instead of warning.
	ErrNoSummary = errors.New("run has no summary.json")

	// ErrNotRunDir means a path is neither a run directory nor an experiment
	// directory with a latest run.
	ErrNotRunDir = errors.New("not a run directory")

	// ErrTimeSeries reports a timeseries.csv that does not have the expected shape.
	ErrTimeSeries = errors.New("malformed time series")

	// ErrHistogram reports an encoded histogram that cannot be decoded.
	ErrHistogram = errors.New("malformed histogram")
)
