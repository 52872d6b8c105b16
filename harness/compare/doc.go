// Package compare sets run sets side by side — `stegocloud compare` — and
// summarises a sweep (sweep.md and its figures). It reads run directories
// through rundir and draws through plot; its statistics are benchstat's
// (golang.org/x/perf/benchmath).
//
// # Run sets
//
// A run set is a directory holding summary.json (one run) or rep-*/summary.json
// (n runs); LoadRunSet also accepts results/NAME and reads its latest. A run
// set's runs are the sample every statistic is drawn from.
//
// # What a comparison claims
//
// New compares the HeadlineMetrics of each set, each later set against the
// first. A set of one run gives one value; changes between single runs are
// printed, never tested. A repeated set gives the median and its 95%
// confidence interval, and a change against another repeated set is tested
// with a two-sided Mann-Whitney U test, marked with its p when p ≤ 0.05 and
// "~" otherwise — benchstat's method, through benchmath (AssumeNothing),
// which makes no assumption about the shape of run-to-run noise. With fewer
// than MinRuns runs on a side no test is run and the table says so.
// benchmath needs 6 runs for a 95% interval of a median; with fewer the
// interval prints as ∞, as benchstat prints it.
//
// The latency spectrum of a repeated set merges its runs' HDR histograms (all
// requests of all runs, each counted once), rather than picking one run.
//
// # Sweeps
//
// A sweep's root holds sweep.json (rundir.SweepIndex) and a run set per
// variant. WriteSweep writes sweep.md — a row per variant with its swept
// values and headline metrics — and a figure per metric
// (figures/sweep-METRIC.{png,svg}), the metric against the first numeric
// swept field (AxisOf), a line or a group of bars per combination of the
// other fields.
package compare
