// Package check judges a run: it turns what the recorder accounted and the
// analysis measured into named Checks and a Verdict, which go into
// summary.json, the report and the exit code. It owns no loop and does no
// I/O; each check is a pure function with a test per way it can fail, which
// injects exactly that anomaly (a forged event log, a faulty target, a
// misbehaving real node).
//
// Judge returns the Verdict of the checks below. Each Check's Detail says
// what was measured against what; a failed check also carries Evidence
// (rundir.Evidence: times, nodes, epochs, a few request ids), which the
// report says in words and the timeline marks.
//
//   - accounted: every issued request (Input.Expected, sequence numbers
//     0..Expected-1) has exactly one result, that result is ok, failed with a
//     reason or timed out, and Total = OK + Failed + TimedOut.
//   - responses_valid: every response a client received carried exactly the
//     metadata that was sent: no response was rejected by the client's
//     verification (load.Result.Invalid) and every ok result is Verified. A
//     rejected response fails the run even when a retry of its request was
//     then answered validly; the count, the sending nodes and a few requests
//     are reported.
//   - election_safety: every coordinator and election_result event of an
//     epoch names the same node. True by construction — epochs are
//     round<<8 | initiator and each initiator decides an epoch once — so it
//     guards that construction; split brain across epochs is the next check's.
//   - single_coordinator: no two nodes acted as coordinator (assign,
//     reassign) at overlapping times for longer than Bounds.Handover, one
//     heartbeat (see harness/doc.go, "Single coordinator"). Each overlap beyond
//     it is reported with its interval, the nodes, their epochs and the
//     requests both assigned; overlaps within it — a sitting coordinator that
//     assigns until the decision of an election reaches it — are counted.
//   - liveness: agreement within Bounds.Agreement after the last membership
//     change (AgreementBound: 5 × suspect_after, plus sync_delay and
//     election_timeout); no flip-flop after it (FlipFlopBound, from
//     reelect_every); and no window longer than Bounds.Stall (10 ×
//     suspect_after) without a completion while a majority of the nodes was
//     live and connected and load was offered (harness/doc.go, "Liveness").
//   - linearizable and quota_safety (runs with table operations only,
//     TableChecks over history.jsonl; package harness/history defines both):
//     the views of each image, each discovery user's entry and the whole
//     discovery table have one order consistent with real time that explains
//     every answer (porcupine; inconclusive within its budget is a failure);
//     no image was granted more views than its quota, none after a view had
//     reported it exhausted. Each violation names the image or user, the
//     operations and the nodes that applied (granted) them; a failing
//     linearizable writes porcupine's page of the smallest failing
//     partition (rundir.FileLinearizableHTML).
//   - expect <metric>: one per experiment threshold (Thresholds). A metric that
//     does not apply (bound_achieved without a bound, failover_* without a
//     measured failover, latencies with no request) fails with the reason, as
//     do unknown metrics and operators.
//
// A run passes when every check comes out as expected (Expecting,
// rundir.Check.AsExpected): passed, or — for a check the experiment declares
// an expected anomaly (expect.anomalies) — failed. So a known-bad baseline
// passes when, and only when, its anomalies are found and nothing else fails;
// each check keeps its raw status (Pass) beside the Expected mark.
//
// The duplicates metric (CountDuplicates) is computed here because it joins
// the recorder's account of duplicate service with the analysis's; it is a
// number, not a check.
//
// The orchestrator adds load_complete in front (LoadComplete: every planned
// request issued, not cut short by max_duration or Ctrl-C); with external
// nodes, whose event logs are not the harness's, agreement is judged from the
// nodes' final status answers instead (StatusAgreement), and
// election_safety, single_coordinator and liveness are not judged.
package check
