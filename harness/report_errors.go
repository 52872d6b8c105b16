package harness

import "errors"

// Sentinels of the run-directory reader, the figures and the report. They live
// in their own file so that this part of the package merges cleanly with the
// parts written alongside it; fold them into errors.go when convenient.
var (
	// ErrNoSummary means a run directory has no readable summary.json: without
	// it there is nothing to report, so LoadRun fails instead of warning.
	ErrNoSummary = errors.New("run has no summary.json")

	// ErrNotRunDir means a path is neither a run directory nor an experiment
	// directory with a latest run.
	ErrNotRunDir = errors.New("not a run directory")

	// ErrNoFigureData means a figure was asked for but the run holds none of
	// the data it draws (no histogram, no time series, no load samples).
	ErrNoFigureData = errors.New("no data for figure")

	// ErrFigureFormat means a figure was asked for in a format other than png
	// or svg.
	ErrFigureFormat = errors.New("unsupported figure format")
)

// Sentinels of the design-document report (reports/).
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
