// Package rundir is the on-disk schema of a run: the name, Go type, writer
// and reader of every file a run directory holds, so that the report, the
// figures, compare and the design report all read a file the same way. It
// imports only experiment and fault; every stage that writes or reads a run
// file goes through it.
//
// # A run directory
//
// results/NAME/YYYYMMDD-HHMMSS/ (NewRoot; results/NAME/latest points at the
// newest complete one, PointLatest, and Resolve and Locate find it, falling
// back to the newest complete run when latest names one that never finished
// or was interrupted) holds:
//
//   - experiment.yaml: the resolved experiment (experiment.Parse reads it);
//     it replays the run.
//   - run.json: Info (commit, Go, machine, times, seed).
//   - schedule.json: the fault schedule as executed (package fault), network
//     faults with their resolved nodes.
//   - summary.json: the Summary (every metric is defined in package
//     harness's documentation); the recorder, the analysis and the checker
//     fill it. Histograms holds the HDR histograms ("all", "in_faults",
//     "out_faults", "node/N") in compressed base64 V2 form ("HISTF…");
//     DecodeHistogram reads them back.
//   - events.jsonl: every node's events and the harness's, merged in time
//     order (MergeEvents), the harness's net_fault_start / net_fault_end
//     among them; DigestEvents reads it into an EventDigest, what the
//     figures and the report show of it, in memory bounded by the number of
//     nodes, elections and faults, never by the number of requests.
//   - timeseries.csv: the time series (WriteTimeSeries, ReadTimeSeries).
//   - history.jsonl (runs whose workload.mix has view, register, unregister
//     or online): every table operation with its call and return on the
//     harness's clock, input, outcome (ok, fail, unknown) and answer, in
//     package harness/history's format; linearizable.html, porcupine's
//     visualization of the failing partition, when linearizable failed.
//     Summary.Table counts them and times the checks.
//   - latency.hgrm, requests.csv, results.gob (vegeta's format), nodes/ (each
//     node's log and raw event file, harness.events.jsonl), figures/ and
//     report.md.
//
// Load reads a run directory into a Run: summary.json is required; every
// other file that is missing or malformed becomes a warning, so a report can
// still be written. WriteJSON and WriteFile are the writers the run uses;
// internal/atomicfile replaces a file whole or not at all (report.md, figures,
// and the files `stegocloud stego embed` writes).
//
// # Where runs live (repeats, sweeps)
//
// One invocation of `stegocloud run experiments/NAME.yaml` writes one root:
//
//   - a single run (no matrix, repeat 1): the run's files directly in it;
//   - repeat: n without matrix: rep-1/ … rep-n/, each a single-run directory;
//   - matrix: one subdirectory per variant named by its
//     experiment.VariantLabel ("balancer=round-robin",
//     "balancer=random,nodes=5"), each a single run or a repeat set as above,
//     plus sweep.json (SweepIndex) and what package compare writes beside it:
//     sweep.md and figures/sweep-METRIC.{png,svg}.
package rundir
