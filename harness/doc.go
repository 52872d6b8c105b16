// Package harness runs experiments on a stegocloud cluster and turns what
// happened into numbers a person can trust. This package is the orchestrator
// only (RunExperiment, the node processes, the fault executor, live
// progress); each stage of the pipeline is a package of its own, and imports
// point one way, down the pipeline (TestImportsPointDownThePipeline):
//
//	experiment  the experiment file: parse, validate, expand, thresholds
//	fault       the seeded fault schedule, schedule.json
//	load        the load driver, pacers, request images
//	rundir      the run directory: every file's writer and reader
//	record      latency histograms, counts, time series, requests.csv
//	analyze     the event log, read once
//	check       every check and the verdict
//	plot        figures
//	report      a run's report.md
//	compare     comparisons of run sets, sweeps
//	design      reports/README.md, the design document's results
//
// # Who owns the loop
//
// RunExperiment owns an experiment: it expands the file into its runs
// (matrix × repeat) and, for each, writes experiment.yaml, run.json and the
// planned schedule.json; starts the node processes (Processes: the same
// binary, `stegocloud node`, one per node, on free loopback ports, in their
// own process group and killed by the kernel if the harness dies, each
// configured by experiment.NodeConfig with its own state directory
// nodes/state-N/, kept across a crash and restart so that the restarted node
// elects above the epochs it used) and waits until every node is Active and
// all follow one coordinator; then runs the fault executor (each fault on
// time; a crash is SIGKILL then a restart in Recovering, a pause SIGSTOP then
// SIGCONT, a silent fault a control message; a network fault a change of the
// fault proxies' plan) beside the load driver.
//
// With cluster.proxies on (or auto and a network fault in the experiment),
// the run starts one netfault.Network before the nodes: node i is given the
// proxies of its links i ⇢ j as its --peers, workload client k (from 0)
// dials the proxies of client group k mod client_groups + 1, and control
// connections (status, fail, shutdown) go to the nodes' real addresses. A
// network fault is resolved when due (`coordinator`, `others`), applied,
// logged as net_fault_start / net_fault_end (Node 0, the resolved groups in
// the event's net section) and removed at its end; faults overlap freely.
// The proxies are closed after the nodes have stopped, and their counters go
// into summary.json's "proxies". When the
// load ends no new fault starts, faults in progress run to their end, the
// cluster is given check.AgreementBound to settle, each node is asked for its
// final status and stopped with SIGTERM (SIGKILL after a grace period): no
// node process outlives a run, also when it is interrupted or fails. Launch
// modes: local (the above), external (nodes someone else started: only silent
// faults; their event logs are not ours, so agreement is judged from the
// final status and election safety is not checked) and noop (no cluster: a
// no-op target answers at once, which measures the harness).
//
// With cluster.tls every connection of the run is mutual TLS: for launch:
// local the run makes fresh certificates in tls/ (pki.Generate, the CA's key
// deleted once they are issued), for launch: external it uses
// cluster.tls_dir; the nodes get --tls, the load's cluster clients present
// the client certificate and every control call (status, fail) goes through
// cluster.Control with the control certificate.
//
// The load driver produces one load.Result per issued request and hands each
// to the recorder from a single goroutine; when the load ends, the run closes
// the recorder, merges the nodes' event files with its own fault and load
// events into events.jsonl, reads that log once (in time order) into an
// analyze.Analyzer — which also digests it for the report — and asks the
// checker for the Verdict. The recorder, the analyzer and the checker never
// start goroutines, read clocks or draw random numbers: time comes from the
// results and events, so tests drive them with synthetic streams
// (harness/internal/synth). The order is:
//
//	rec, _ := record.New(record.Config{Start: loadStart, Nodes: n, Faults: executed, CSV: requestsCSV, …})
//	for res := range results { rec.Add(res) }
//	for _, l := range lateLedger.Requests() { rec.AddLate(l) } // once the nodes have stopped
//	rec.Close()
//	z, _ := analyze.New(analyze.Config{Start: loadStart, Nodes: n, Faults: executed})
//	for each merged event { z.Add(e) }
//	an := z.Close()
//	rec.Summarize(&s); an.Summarize(&s)
//	s.Requests.Duplicates = check.CountDuplicates(rec.Accounting(), an)
//	s.Verdict = check.Judge(&s, check.Input{Expected: issued, Accounting: rec.Accounting(), Analysis: an,
//		Bounds: check.BoundsFor(e), Thresholds: …, Anomalies: e.Expect.Anomalies})
//	report.RunDigested(dir, figures, an.Log)
//
// A run passes when every check passes — or, for a check the experiment
// declares an expected anomaly (expect.anomalies), fails; load_complete
// (every planned request issued, not cut short by max_duration or Ctrl-C) is
// added in front.
//
// An interrupted run (Ctrl-C or SIGTERM: ctx ends) stops its load at once;
// requests the pacer issues after that are not sent (counted as unsent). A
// fault in progress ends then without healing: a crashed node is not
// restarted, no fault_end is logged (the node never came back), and the node
// is reported down ("DOWN (CRASH)") in the final status. The run still writes
// its files: summary.json says "interrupted" (cause, when, the nodes left
// down), report.md opens with a banner, and the verdict fails. The
// results/NAME/latest link moves to a run root only once the root is
// complete — every run's summary.json (and a sweep's sweep.json) written,
// nothing interrupted — so neither an interrupted run nor a killed harness
// hides the last complete run (rundir.Locate falls back past one).
//
// Progress shows a running load: an mpb bar on a terminal, a line every few
// seconds elsewhere, with the p99 of the last interval from a cheap gauge. The
// driver and the progress sampler use the wall clock, as vegeta does.
//
// # Metrics
//
// Counts (summary.json "requests"), one result per issued request:
//
//   - total: requests sent = ok + failed + timed_out.
//   - unsent: requests the pacer issued after the load had stopped (Ctrl-C,
//     max_duration) and the driver never sent. They are in no other count,
//     rate, latency or time series; requests.csv has a row for each.
//   - ok: a valid response carrying the metadata that was sent.
//   - failed: an error, an invalid response, or no node reachable (results
//     with an unknown outcome are counted here and fail the accounted check).
//   - timed_out: no valid response before the request's deadline.
//   - lost = failed + timed_out: requests that never got a valid response.
//   - retried: results with more than one attempt (Attempts > 1).
//   - duplicates: requests served more than once, each counted once, by
//     either account below (joined by request id): duplicates_client, the
//     requests that got another response with an image after their valid one
//     — in the same call (load.Result.Duplicates) or late, after the call had
//     ended (the client's ClientConfig.OnLate; a late answer to a request
//     that had failed or timed out is late, not a duplicate); and
//     duplicates_nodes, the requests whose complete events without a service
//     error number two or more in the nodes' logs (a retry served again, or a
//     request served by two nodes). Duplicate service is at-least-once
//     behaviour: a metric, not a check.
//   - late_responses: responses that reached a client after its call had
//     ended, error answers included.
//   - invalid: responses rejected by the client's verification (their
//     hidden metadata was not what was sent), summed; responses_valid fails
//     on any.
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
// error. count, mean, stddev (population), min and max are exact. Every
// percentile the harness reports — pN of latencies here and in
// timeseries.csv, the p50 of failover and recovery times, the progress
// line's p99 — has one definition, HdrHistogram's (package
// harness/internal/quantile): the value at rank ceil(N/100 × count) in
// increasing order, the smallest value that at least N% of the values are at
// or below, so p50 of an even count is the lower middle value and p99.9 of
// fewer than 1000 values is the maximum. latency.hgrm lists the same values.
// Latency percentiles come from the HDR histogram (the highest value
// equivalent to that one, within 0.1%) clamped to [min, max]. The design
// report's pooled failover p50 uses the same rule; a median of repeated runs
// (compare, sweeps) is benchstat's, a different statistic, and is called a
// median. "latency" covers every result;
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
// Table (summary.json "table", runs whose workload.mix has view, register,
// unregister or online only): every such operation is one request of the
// counts above (a view's latency is its own), and one line of
// history.jsonl. ops and by_kind count them, outcome by ok (answered), fail
// (certainly not applied: rejected, or never sent) and unknown (no answer);
// granted and refused (by reason) count the answered views; images are the
// images viewed, exhausted_images those some answer found with no view left;
// invalid the answers the client found inconsistent with the image (a grant
// to a user it does not authorize, more views left than its quota, …:
// counted in invalid above, and responses_valid fails). linearizable_ms and
// quota_safety_ms are the checks' wall time (porcupine's search, and its
// explanation of a failure), partitions porcupine's partitions (one per
// image, one per discovery user, the whole discovery table) and
// undecided_partitions those it did not decide within its 60 s budget: the
// check is then inconclusive, and fails. A view before any image is
// viewable, or while every image has 8 views in flight, is sent as an
// encrypt.
//
// Faults (summary.json "faults"): injected = entries of the executed fault
// list, node and network faults; by_kind; mean_down_s = mean of the node
// faults' durations (a network fault takes no node down); network = every
// injected network fault with its resolved nodes.
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
//   - coordinator_overlaps, coordinator_overlap_max_ms: pairs of reigns of
//     different nodes that overlapped in time, and the longest overlap (see
//     "Single coordinator"), handovers within the tolerance included.
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
// node is left or the log ends first. p50 is the percentile defined above
// (the lower middle value of an even count).
//
// Recovery time (ms, "faults.recovery_ms"): from a node's fault_end (due back)
// to its next state event to Active (case-insensitive). A recovery is
// unresolved (no sample, reported) when the node's next fault starts or the log
// ends first. A paused process never leaves Active in its own view and logs no
// state change: its recovery ends at the first alive event in which a peer hears
// it again. An Active logged while the fault still held the node is reported,
// not counted.
//
// Agreement: a membership change is a fault starting or ending (network
// faults included: a heal changes who can reach whom) or a node process
// exiting or starting. The reference is the last membership change
// before the cluster starts shutting down (its first stop event) — or the
// first event when there is none. Agreement is reached at the first event at
// or after the reference after which every live node follows the same
// coordinator and that coordinator is live; after = that time − reference. A
// process that exits or restarts forgets whom it followed.
//
// Single coordinator: a node acts as coordinator when it logs an assign or a
// reassign (analyze.CoordinatorActions; the event's epoch is the epoch it
// acts in). Its reign in an epoch runs from its first to its last such action
// in that epoch; a node that logs nothing has no reign. Two reigns of
// different nodes overlap when both ran at one instant: [max of the first
// actions, min of the last actions] is not empty. Requests assigned by both
// are those that one reign assigned and the other assigned later with both
// assignments inside the overlap. The check single_coordinator fails on an
// overlap longer than one heartbeat (check.Bounds.Handover): a sitting
// coordinator may assign until the decision of an election reaches it, a few
// hundred microseconds; a paused or partitioned coordinator that keeps
// assigning in its old epoch overlaps its successor from the successor's first
// action to its own last one — the whole pause, not only the milliseconds
// after it woke.
//
// Liveness: the check liveness fails when (1) agreement, as above, is not
// reached within check.Bounds.Agreement of the last membership change
// (net_fault_start and net_fault_end events are membership changes too: the
// network healing is one); (2) after agreement, until the first stop event,
// more election_start events than check.FlipFlopBound occur: the periodic
// elections the period can hold, ⌊period / reelect_every⌋ + 1 (none without
// periodic elections), plus two (the recovery election of the last node back,
// which may follow the others' agreement, and one more); or (3) the longest window without a complete
// event (without a service error) exceeds check.Bounds.Stall (10 ×
// suspect_after) while a majority of the nodes was live (started, not in a
// fault, not exited or stopping), connected (no network fault in progress
// other than latency or reset: during a partition, bridge or one-way cut
// connectivity is not judged) and load was offered (between load_start and
// load_stop). A window ends at a completion or when one of the conditions
// stops holding, and starts again when they all hold.
//
// Messages per request: nodes log cumulative counters by message type,
// "sent.T" and "recv.T", on load and stop events. A node's messages are the
// sum over its processes of each process's last counters (a restarted process
// counts from 0; a start event, or a counter going down, starts a new
// process). The messages of a run are every message nodes sent plus, for
// types no node ever sends (the client's requests), the messages nodes
// received. Each type has a class (analyze.DefaultMessageClass): request (the request
// path), heartbeat, election (election, coordinator, state sync), replication
// or other. messages_per_request = request-class messages / total requests
// (request, assign, done, response: the same frames in both election modes);
// the heartbeat, election and replication classes are the overhead, reported
// beside it.
//
// Replication cost (summary.json "replication"), to compare the election
// modes: replication.messages_per_request = replication-class messages /
// total requests, where replication is, with Bully, the table's frames
// (table_op, table_update, table_result, table_sync, table_copy: the
// coordinator's table reaching its followers; 0 for a run without table
// ops) and, with Raft, every Raft frame ("raft": log appends, votes and
// Raft's own heartbeats share one frame type and one counter, so they
// cannot be told apart; the Raft election is in it, Bully's election frames
// are in the election class). all_messages_per_request = every message /
// total requests, the one number that holds all of either mode's traffic.
// fsyncs = the nodes' "raft.fsyncs" counters (WAL and snapshot fsyncs),
// summed like the message counters; fsyncs_per_s = fsyncs / duration_s.
// Bully fsyncs only its persisted epoch bound (--state-dir: a write and
// two fsyncs once per 16 election rounds), which no counter shows: it is
// not counted, so Bully's fsyncs are 0.
//
// Elections with Raft: only early campaigns (a follower that lost the
// leader) log election_start; Raft's own timeouts show as a node becoming
// candidate (raft_leader, state candidate). Each term in which some node
// became candidate is one election, under the cause of the election_start
// that announced it, else "raft-timeout"; a failed pre-vote is none.
//
// Load samples are the load events (time, node, load, outstanding). The
// decision sample is at most 5 assign events spread evenly over the log,
// printed as the seed does: "Selected Node 2: loads = [(1, 0.75), (2, 0.50)]".
//
// Where each file of a run directory comes from and how it is read is
// package rundir's documentation; what a comparison claims is package
// compare's; the design report's bounds are package design's.
package harness
