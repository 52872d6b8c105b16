// Package harness runs experiments on a stegocloud cluster and turns what
// happened into numbers a person can trust: it loads an experiment file,
// launches the nodes, injects the scheduled faults, drives the load, records
// every request, analyses the merged event log, checks the run and writes the
// run directory.
//
// # Who owns the loop
//
// RunExperiment (run*.go) owns an experiment: it expands the file into its
// runs (matrix × repeat) and, for each, writes experiment.yaml, run.json and
// the planned schedule.json; starts the node processes (Processes: the same
// binary, `stegocloud node`, one per node, on free loopback ports, in their own
// process group and killed by the kernel if the harness dies) and waits until
// every node is Active and all follow one coordinator; then runs the fault
// executor (each fault on time; a crash is SIGKILL then a restart in
// Recovering, a pause SIGSTOP then SIGCONT, a silent fault a control message)
// beside the load driver. When the load ends no new fault starts, faults in
// progress run to their end, the cluster is given AgreementBound to settle, each
// node is asked for its final status and stopped with SIGTERM (SIGKILL after a
// grace period): no node process outlives a run, also when it is interrupted
// or fails. Launch modes: local (the above), external (nodes someone else
// started: only silent faults; their event logs are not ours, so agreement is
// judged from the final status and election safety is not checked) and noop
// (no cluster: a no-op target answers at once, which measures the harness).
//
// The load driver produces one Result per issued request and hands each
// to Recorder.Add from a single goroutine; when the load ends, the run closes
// the recorder, merges the nodes' event files with its own fault and load
// events into events.jsonl, feeds that log (in time order) to an Analyzer, and
// asks Judge for the Verdict. The recorder, the analyzer and the checker never
// start goroutines, read clocks or draw random numbers: time comes from the
// results and events, so tests drive them with synthetic streams.
//
// The order is:
//
//	rec, _ := New(Config{Start: loadStart, Nodes: n, Faults: executed, CSV: requestsCSV, …})
//	for res := range results { rec.Add(res) }
//	rec.Close()
//	z, _ := New(Config{Start: loadStart, Nodes: n, Faults: executed})
//	for each merged event { z.Add(e) }
//	an := z.Close()
//	rec.Summarize(&s); an.Summarize(&s)
//	s.Verdict = Judge(&s, Input{Expected: issued, Accounting: rec.Accounting(), Analysis: an, AgreementBound: …, Thresholds: …})
//
// A run passes when every check passes; load_complete (every planned request
// issued, not cut short by max_duration or Ctrl-C) is added in front.
//
// # Experiment file
//
// An experiment file (experiments/NAME.yaml; reference: HelpText, FieldDocs)
// is read by Load or Parse into an *Experiment: decoded over
// DefaultExperiment, so absent keys keep their defaults and explicit zeros
// win, and checked strictly — unknown keys, wrong types, durations without a
// unit, out-of-range values and invalid matrix values are all reported at
// once, in line order, each a *FieldError naming file, line and field path
// and wrapping ErrInvalidExperiment (a malformed value is left out and the
// rest still range-checked). (*Experiment).YAML writes the resolved experiment,
// every default spelled out, as the run's experiment.yaml; Parse reads it back
// to an equal value.
//
// Expand turns an experiment into its runs: every point of its matrix (named
// by VariantLabel), each repeated `repeat` times, ordered repeat by repeat.
// Repeat 1 keeps the experiment's seed, repeat r a seed derived from it
// (DeriveSeed); the variants of one repeat share that seed, so a sweep compares
// configurations under the same faults and images. A variant's Experiment has
// no matrix and carries its own seed: its experiment.yaml replays that run.
//
// Schedule computes every fault of a run before it starts, from the
// experiment, a horizon (Horizon) and the run's seed — a pure function;
// WriteSchedule writes it as schedule.json, byte-identical for the same inputs.
// Faults that min_alive forbids stay in it with Suppressed set (Injected drops
// them); faults aimed at `node: coordinator` keep Node 0 until Resolve
// names the node when they are due.
//
// # Load
//
// ImagesFor builds the request images (seeded photo-like PNGs, or the files of
// a directory); ImagePool derives each request's image and metadata from its
// sequence number alone, so any request can be rebuilt to check its response.
//
// A Driver owns the load loop. vegeta paces it — closed loop: `clients`
// workers and exactly clients × requests_per_client requests; open loop: a
// vegeta pacer for `duration` with at most `clients` in flight — and a custom
// http.RoundTripper hands each request to a Target (the cluster client), which
// must return once its context ends: that is how the per-request deadline,
// max_duration and Ctrl-C reach a request. Every request vegeta issued comes
// back exactly once, in completion order, from one goroutine, to OnResult.
// Open-loop latency counts from the request's intended start on the pacer's
// hit curve, not from its send, so a stall shows in every request queued
// behind it; sends themselves are late by the platform's timer granularity
// (BenchmarkOpenLoopLateness; ~0.5 ms median here), which the latency
// includes. The optional vegeta stream (results.gob) carries the same timing
// and outcomes and is read by `vegeta report` and `vegeta plot`.
//
// Progress shows a running load: an mpb bar on a terminal, a line every few
// seconds elsewhere, with the p99 of the last interval from a cheap gauge.
//
// The driver and the progress sampler use the wall clock, as vegeta does;
// everything decided up front — schedules, images, usernames, seeds — is a
// pure function of its inputs, drawing from math/rand/v2 PCG streams seeded
// per purpose (SubSeed).
//
// # Recorder
//
// The Recorder keeps HDR histograms of latency in microseconds, from 1 µs to
// max(60 s, Config.MaxLatency), with 3 significant figures (a value is
// known to 0.1%): "all" (every result, whatever its outcome), "in_faults" and
// "out_faults" (every result, split by whether it overlapped a fault window)
// and "node/N" (the ok results node N served). Latencies above the range are
// recorded as its top and reported as a warning. It also keeps exact count,
// mean, standard deviation, minimum and maximum per histogram, the time series
// (a ring of at most 16 reusable bucket histograms), one bit per sequence
// number (for duplicates and gaps) and streams requests.csv. Nothing else grows
// with the number of requests: a 1M-request run uses the memory of a 1k one
// plus 125 KB of sequence bits. Add does not allocate in steady state.
//
// # Event analysis
//
// An Analyzer reads the merged event log one event at a time. Events must be
// in time order and name nodes 1..N (0 only for load_start and load_stop);
// anything else is an error that names the event. Event types it does not know
// are counted and reported as a warning. It keeps per-node and per-episode
// state, never the events; what grows with the log is the load samples (one
// per load event), the coordinator timeline (one span per epoch) and the
// failover and recovery lists (one per fault).
//
// # Checker
//
// Judge returns a Verdict of named Checks; the run passes only when every
// check passes. Each Check's Detail says what was measured against what:
//
//   - accounted: every issued request (Input.Expected, sequence numbers
//     0..Expected-1) has exactly one result, that result is ok, failed with a
//     reason or timed out, and Total = OK + Failed + TimedOut.
//   - metadata: every ok result is Verified: the client extracted the hidden
//     metadata of the accepted response and it equals what was sent. Responses
//     rejected by verification (Result.Invalid) are reported; they fail
//     only the request they belonged to, which must then be retried or failed.
//   - election_safety: every coordinator and election_result event of an epoch
//     names the same node (at most one coordinator per epoch).
//   - agreement: after the last membership change (see Agreement) every live
//     node follows the same coordinator, that coordinator is live, and this
//     happened within Input.AgreementBound (by default 5 × suspect_after +
//     sync_delay + election_timeout, AgreementBound).
//   - expect <metric>: one per experiment threshold (Thresholds). A
//     metric that does not apply (bound_achieved without a bound, failover_*
//     without a measured failover, latencies with no request) fails with the
//     reason, as do unknown metrics and operators.
//
// # Metrics
//
// Counts (summary.json "requests"), one result per issued request:
//
//   - total: results recorded = ok + failed + timed_out.
//   - ok: a valid response carrying the metadata that was sent.
//   - failed: an error, an invalid response, or no node reachable (results
//     with an unknown outcome are counted here and fail the accounted check).
//   - timed_out: no valid response before the request's deadline.
//   - lost = failed + timed_out: requests that never got a valid response.
//   - retried: results with more than one attempt (Attempts > 1).
//   - duplicates: the sum of valid responses received after the first.
//   - reassigned: distinct request ids named by reassign events (the
//     coordinator moved the request to another node).
//
// Time and rates:
//
//   - start: the earliest Intended time (the first request due); end: the
//     latest Intended + Latency (the last request ended); duration_s = end −
//     start, in seconds.
//   - success_rate = ok / total, a fraction 0..1.
//   - throughput_rps = ok / duration_s; offered_rps = total / duration_s,
//     requests per second.
//   - bound (closed loop only, when clients and the service time are given):
//     rps = clients / service time, because each client has at most one
//     request in flight and each request takes at least the service time;
//     achieved = throughput_rps / rps.
//
// Latency (ms): from the request's Intended time (the pacer's schedule, so
// queueing behind a slow request is not hidden) to its valid response or final
// error. count, mean, stddev (population), min and max are exact. pN is the
// HDR histogram's value at quantile N (the highest value equivalent to the
// value at rank round(N/100 × count)) clamped to [min, max], so it is within
// 0.1% of the nearest-rank percentile. "latency" covers every result;
// "latency_in_faults" the results whose flight [Intended, Intended + Latency]
// overlapped a fault window [at, at + for) of any node (from ≤ end and start <
// to: a request that ends the instant a fault starts is in it, one that starts
// the instant it ends is not); "latency_out_faults" the rest; a node's
// "latency" the ok results it served.
//
// Distribution (summary.json "nodes", "balance"):
//
//   - served(n): ok results whose response came from node n (the client's view).
//   - share(n) = served(n) / Σ served.
//   - max_min_ratio = max share / min share over nodes 1..N (0 when a node
//     served nothing); cv = population standard deviation of the shares /
//     their mean (1/N).
//   - completions(n): complete events node n logged over all its processes
//     (a request served twice after a reassignment counts twice);
//     processed(n): complete events since its last start, the count the node
//     itself would show at the end; final_state: the last state it logged
//     ("Exited" when its process ended without a stop event); final_load: its
//     last logged load; coordinator: it coordinated the highest epoch seen;
//     faults_down_s: the sum of its faults' durations.
//
// Time series (timeseries.csv): fixed buckets of width w (1 s by default) from
// the load start, [k·w, (k+1)·w), holding the results that ended in them: ok,
// errors (failed + timed out), p50 and p99 of their latencies (every outcome,
// 0 when none) and each node's ok count. A result that reaches the recorder
// after its bucket's histogram was recycled (more than 5 s of run time late)
// is counted but not in the bucket's percentiles, and reported.
//
// Faults (summary.json "faults"): injected = entries of the executed fault
// list; by_kind; mean_down_s = mean of their durations.
//
// Elections (summary.json "elections"):
//
//   - The cluster's coordinator at a moment is the node named by the
//     coordinator or election_result events of the highest epoch logged so
//     far. The coordinator timeline has one span per such epoch, from its first
//     announcement to the next.
//   - total: election_start events (each initiation; concurrent initiations
//     count separately); by_cause: the same by their cause ("unknown" when
//     none).
//   - coordinator_changes: times the cluster's coordinator became a different
//     node (establishing the first coordinator is not a change).
//   - max_epoch: the highest epoch in any event.
//
// Failover time (ms, summary.json "faults.failover_ms"): an episode starts at
// a fault_start event of the cluster's coordinator C at t0 (a crash, pause or
// silent fault). It waits for every node live at t0 other than C — live means
// no fault holds it down, its process has not exited, and it is not stopping.
// A node "follows" K from its latest coordinator or election_result event
// after t0. The episode is resolved at the first event after which every
// waited node follows the same K and K is live; its failover time is that
// event's time − t0. A waited node that goes down itself before agreeing is no longer waited
// for. The episode is masked (no sample) when C's fault ends before any waited
// node suspected C, started an election or named a coordinator — the fault was
// shorter than detection; it is unresolved (no sample, reported) when no waited
// node is left or the log ends first. p50 is the median, the mean of the two
// middle values for an even count.
//
// Recovery time (ms, "faults.recovery_ms"): from a node's fault_end (due back)
// to its next state event to Active (case-insensitive). A recovery is
// unresolved (no sample, reported) when the node's next fault starts or the log
// ends first. A paused process never leaves Active in its own view and logs no
// state change: its recovery ends at the first alive event in which a peer hears
// it again. An Active logged while the fault still held the node is reported,
// not counted.
//
// Agreement: a membership change is a fault starting or ending or a node
// process exiting or starting. The reference is the last membership change
// before the cluster starts shutting down (its first stop event) — or the
// first event when there is none. Agreement is reached at the first event at
// or after the reference after which every live node follows the same
// coordinator and that coordinator is live; after = that time − reference. A
// process that exits or restarts forgets whom it followed.
//
// Messages per request: nodes log cumulative counters by message type,
// "sent.T" and "recv.T", on load and stop events. A node's messages are the
// sum over its processes of each process's last counters (a restarted process
// counts from 0; a start event, or a counter going down, starts a new
// process). The messages of a run are every message nodes sent plus, for
// types no node ever sends (the client's requests), the messages nodes
// received. Each type has a class (DefaultMessageClass): request (the request
// path), heartbeat, election (election, coordinator, state sync) or other.
// messages_per_request = request-class messages / total requests; the
// heartbeat and election classes are the overhead, reported beside it.
//
// Load samples are the load events (time, node, load, outstanding). The
// decision sample is at most 5 assign events spread evenly over the log,
// printed as the seed does: "Selected Node 2: loads = [(1, 0.75), (2, 0.50)]".
//
// # Run directory
//
// results/NAME/YYYYMMDD-HHMMSS/ holds:
//
//   - experiment.yaml (the resolved experiment: it replays the run), run.json
//     (Info: commit, Go, machine, times, seed), schedule.json (the fault
//     schedule as executed: resolved nodes, actual times, suppressed entries
//     with their reason), events.jsonl (every node's events and the harness's,
//     merged in time order), results.gob (vegeta's format), nodes/ (each node's
//     log and raw event file, harness.events.jsonl), figures/ and report.md
//     (Run; `stegocloud report` regenerates them from the files alone).
//   - summary.json: the Summary; Recorder.Summarize, Analysis.Summarize and
//     Judge fill it. Histograms holds the HDR histograms ("all", "in_faults",
//     "out_faults", "node/N") in compressed base64 V2 form ("HISTF…");
//     DecodeHistogram reads them back.
//   - latency.hgrm: the standard HdrHistogram percentile distribution of every
//     request's latency, in ms (Recorder.WriteHgrm).
//   - requests.csv: one row per request, columns in RequestsCSVHeader.
//   - timeseries.csv: the time series (WriteTimeSeries of Recorder.Buckets).
//
// # Where runs live (repeats, sweeps) and what compare claims
//
// One invocation of `stegocloud run experiments/NAME.yaml` writes
// results/NAME/YYYYMMDD-HHMMSS/ and points results/NAME/latest at it:
//
//   - a single run (no matrix, repeat 1): the run's files directly in it
//     (summary.json, run.json, …);
//   - repeat: n without matrix: rep-1/ … rep-n/, each a single-run directory;
//   - matrix: one subdirectory per variant named by its VariantLabel
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
// noise. With fewer than MinRuns runs on a side no test is run and the
// table says so. benchmath needs 6 runs for a 95% interval of a median; with
// fewer the interval prints as ∞, as benchstat prints it.
//
// The latency spectrum of a repeated set merges its runs' HDR histograms (all
// requests of all runs, each counted once), rather than picking one run.
//
// # The design document's results (reports/)
//
// Report regenerates reports/README.md, the seed's "Results and
// Metrics" and "Stress Testing Analysis" with measured values. The declared
// set, reports/sources.yaml (Sources), names the experiment each
// section reads — stress, failover, openloop, balancers, scaling — and the
// codec benchmarks' output (data/bench.txt, Go's benchmark format, read with
// golang.org/x/perf/benchfmt into BenchSet). It works in three steps, so that
// the README can be rebuilt from a clone without results/:
//
//   - Collect copies, for each experiment, the small files of its
//     latest complete run root (summary.json, run.json, experiment.yaml,
//     schedule.json of every run directory; sweep.json and sweep.md of a
//     sweep) into reports/data/NAME/, keeping the root's layout, with
//     source.json naming the root; and its figures into reports/figures/NAME/.
//     An experiment's data is replaced whole. One without a complete run
//     keeps what reports/ holds. A root is complete when it has summary.json,
//     every rep-N/summary.json, or sweep.json with every variant's runs
//     (Pending lists the experiments that are not).
//   - Load reads reports/data and lists reports/figures; what is
//     missing becomes a warning, never an error.
//   - WriteFigures draws the README's own figures (the balancer and
//     scaling summaries) from that data, and WriteReadme renders the
//     README from it alone: the same data gives the same bytes.
//
// Every table cites the data files and runs it was made from. The seed's
// claims are quoted beside the measurements with the physical bound where the
// configuration sets one: closed-loop throughput ≤ clients / service delay,
// duration ≥ requests / that bound, latency ≥ the service delay, recovery ≥
// the sync delay, a silent coordinator's failover ≥ suspect_after − heartbeat,
// a sweep variant's throughput ≤ nodes × max_concurrent / service delay.
// Repeated variants show the median ± its 95% interval (the range below 6
// runs) and are tested against a base variant as compare does.
package harness
