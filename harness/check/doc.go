// Package check judges a run: it turns what the recorder accounted and the
// analysis measured into named Checks and a Verdict, which go into
// summary.json, the report and the exit code. It owns no loop and does no
// I/O; each check is a pure function with a test that injects exactly the
// anomaly it is about.
//
// Judge returns the Verdict of the checks below; the run passes only when
// every check passes. Each Check's Detail says what was measured against what:
//
//   - accounted: every issued request (Input.Expected, sequence numbers
//     0..Expected-1) has exactly one result, that result is ok, failed with a
//     reason or timed out, and Total = OK + Failed + TimedOut.
//   - metadata: every ok result is Verified: the client extracted the hidden
//     metadata of the accepted response and it equals what was sent.
//     Responses rejected by verification (load.Result.Invalid) are reported;
//     they fail only the request they belonged to, which must then be retried
//     or failed.
//   - election_safety: every coordinator and election_result event of an
//     epoch names the same node (at most one coordinator per epoch).
//   - agreement: after the last membership change (analyze.Agreement) every
//     live node follows the same coordinator, that coordinator is live, and
//     this happened within Input.AgreementBound (AgreementBound: by default
//     5 × suspect_after, plus sync_delay and election_timeout).
//   - expect <metric>: one per experiment threshold (Thresholds). A metric that
//     does not apply (bound_achieved without a bound, failover_* without a
//     measured failover, latencies with no request) fails with the reason, as
//     do unknown metrics and operators.
//
// The orchestrator adds load_complete in front (LoadComplete: every planned
// request issued, not cut short by max_duration or Ctrl-C); with external
// nodes, whose event logs are not the harness's, agreement is judged from the
// nodes' final status answers instead (StatusAgreement).
package check
