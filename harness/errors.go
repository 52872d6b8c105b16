package harness

import "errors"

// The package's sentinel errors. Each is wrapped with what was being done
// (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.

// Experiment files, fault schedules, request images, the load driver.
var (
	// ErrInvalidExperiment is wrapped by every problem found in an experiment:
	// syntax, unknown keys, wrong types, out-of-range values, bad matrix.
	ErrInvalidExperiment = errors.New("invalid experiment")

	// ErrEmptyExperiment is returned for a file with no YAML document in it.
	ErrEmptyExperiment = errors.New("experiment file is empty")

	// ErrBadValue marks a value of the wrong form, such as a rate without a
	// unit or a duration written as a bare number.
	ErrBadValue = errors.New("bad value")

	// ErrBadSchedule is returned when schedule.json cannot be read back.
	ErrBadSchedule = errors.New("malformed fault schedule")

	// ErrNoCoordinator is returned when a fault targets the coordinator but no
	// node is known to coordinate at the time it is due.
	ErrNoCoordinator = errors.New("no coordinator to target")

	// ErrNoImages is returned when no usable request image could be found.
	ErrNoImages = errors.New("no request images")

	// ErrBadLoadPlan is returned by the load driver for a plan it cannot run.
	ErrBadLoadPlan = errors.New("invalid load plan")
)

// The recorder, the event analysis and the checker.
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

// Run sets, comparisons and sweeps.
var (
	// ErrNotRunSet reports a directory that holds neither summary.json (a
	// single run) nor rep-*/summary.json (a repeat set), nor a latest link to
	// one of those.
	ErrNotRunSet = errors.New("not a run set")

	// ErrMixedRunSet reports a directory whose runs do not form one sample:
	// summary.json next to rep-* directories, rep-* directories without
	// summary.json or with gaps in their numbering, or reps that belong to
	// different experiments or load modes.
	ErrMixedRunSet = errors.New("mixed run set")

	// ErrRunSetFile reports a summary.json or run.json that cannot be parsed.
	ErrRunSetFile = errors.New("unreadable run file")

	// ErrRunSetHistogram reports an HDR histogram in summary.json that is
	// missing or cannot be decoded.
	ErrRunSetHistogram = errors.New("bad latency histogram")

	// ErrSweepIndex reports a sweep.json that is missing, unparsable, or
	// inconsistent (unknown fields, duplicate labels, paths outside the sweep).
	ErrSweepIndex = errors.New("bad sweep index")
)

// The run-directory reader, the figures and the run report.
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

// The design-document report (reports/).
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

// Running experiments and their files.
var (
	// ErrVerdict is returned when a run completed but the checker or a threshold
	// failed it: the results are written, the exit code must say so.
	ErrVerdict = errors.New("the run failed its checks")

	// ErrTimeSeries reports a timeseries.csv that does not have the expected shape.
	ErrTimeSeries = errors.New("malformed time series")
)
