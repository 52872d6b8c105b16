// Package design regenerates the design document's results, reports/README.md:
// the seed's "Results and Metrics" and "Stress Testing Analysis" with
// measured values, from real runs. It is the top of the reporting pipeline:
// it reads runs through rundir and compare, reuses the run report's seed
// blocks (package report) and draws through plot. `stegocloud report
// --design` and `make report` run it.
//
// The declared set, reports/sources.yaml (Sources), names the experiment each
// section reads — stress, failover, openloop, balancers, scaling, and Part 2's
// partition, tls, hysteresis, proxies, quota, partition_quota, elections — and the
// codec benchmarks' output (data/bench.txt, Go's benchmark format, read with
// golang.org/x/perf/benchfmt into BenchSet). Report works in three steps, so
// that the README can be rebuilt from a clone without results/:
//
//   - Collect copies, for each experiment, the small files of its latest
//     complete run root (summary.json, run.json, experiment.yaml,
//     schedule.json of every run directory; sweep.json and sweep.md of a
//     sweep) into reports/data/NAME/, keeping the root's layout, with
//     source.json naming the root; and its figures into reports/figures/NAME/.
//     An experiment's data is replaced whole. One without a complete run keeps
//     what reports/ holds. A root is complete when it has summary.json, every
//     rep-N/summary.json, or sweep.json with every variant's runs (Pending
//     lists the experiments that are not).
//   - Load reads reports/data and lists reports/figures; what is missing
//     becomes a warning, never an error.
//   - WriteFigures draws the README's own figures (the balancer and scaling
//     summaries) from that data, and WriteReadme renders the README from it
//     alone: the same data gives the same bytes.
//
// Every table cites the data files and runs it was made from. The seed's
// claims are quoted beside the measurements with the physical bound where the
// configuration sets one: closed-loop throughput ≤ clients / service delay
// (the summary's Bound), duration ≥ requests / that bound, latency ≥ the
// service delay, recovery ≥ the sync delay, a silent coordinator's failover
// ≥ suspect_after − heartbeat, a sweep variant's throughput ≤ nodes ×
// max_concurrent / service delay. Repeated variants show the median ± its 95%
// interval (the range below 6 runs) and are tested against a base variant as
// compare does.
//
// The Part 2 sections share one renderer (partSection): a source of any
// shape — a run, a repeat set, a sweep — becomes variants side by side, with
// every check's result per variant (an expected anomaly says whether it was
// found), the findings of the checks that did not pass in the run report's
// words (report.Explain), the section's metrics, for a sweep the change
// against its first value with compare's test (and the throughput cost
// against DESIGN §12's target), and each variant's timeline. A source that
// has not run yet leaves a "not run yet" line and a warning. The views rows
// read rundir.Summary.Table: a summary without one says it has none.
package design
