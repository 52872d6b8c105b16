package harness

// Comparing run sets and summarising sweeps (compare*.go, sweep*.go).
//
// # Where runs live
//
// One invocation of `stegocloud run experiments/NAME.yaml` writes
// results/NAME/YYYYMMDD-HHMMSS/ and points results/NAME/latest at it:
//
//   - a single run (no matrix, repeat 1): the run's files directly in it
//     (summary.json, run.json, …);
//   - repeat: n without matrix: rep-1/ … rep-n/, each a single-run directory,
//     plus runs.json;
//   - matrix: one subdirectory per variant named by its SweepLabel
//     ("balancer=round-robin", "balancer=random,nodes=5"), each a single run
//     or a repeat set as above, plus sweep.json (SweepIndex) and what
//     WriteSweep writes: sweep.md and figures/sweep-METRIC.{png,svg}.
//
// A run set is a directory holding summary.json (one run) or
// rep-*/summary.json (n runs); LoadRunSet also accepts results/NAME and reads
// its latest. A run set's runs are the sample every statistic is drawn from.
//
// # What a comparison claims
//
// Compare reports the HeadlineMetrics of each set, each later set against the
// first. A set of one run gives one value; changes between single runs are
// printed, never tested. A repeated set gives the median and its 95%
// confidence interval, and a change against another repeated set is tested
// with a two-sided Mann-Whitney U test, marked with its p when p ≤ 0.05 and
// "~" otherwise — benchstat's method, through golang.org/x/perf/benchmath
// (AssumeNothing), which makes no assumption about the shape of run-to-run
// noise. With fewer than CompareMinRuns runs on a side no test is run and the
// table says so. benchmath needs 6 runs for a 95% interval of a median; with
// fewer the interval prints as ∞, as benchstat prints it.
//
// The latency spectrum of a repeated set merges its runs' HDR histograms (all
// requests of all runs, each counted once), rather than picking one run.
