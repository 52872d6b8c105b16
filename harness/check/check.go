package check

import (
	"fmt"
	"strings"
	"time"

	"stegocloud/harness/analyze"
	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/record"
	"stegocloud/harness/rundir"
)

// Input is what the checker judges a run by, besides its Summary.
type Input struct {
	Expected   int               // requests the load driver issued (required: completeness is judged against it)
	Accounting record.Accounting // from Recorder.Accounting
	Analysis   *analyze.Analysis // from Analyzer.Close
	Bounds     Bounds
	Thresholds []experiment.Threshold // the experiment's expect: entries
	// Anomalies are the checks the experiment expects to fail
	// (expect.anomalies; see Expecting).
	Anomalies []string

	// Table holds the checks of the table operations (TableChecks), judged
	// beside the others; nil when the run made none.
	Table []rundir.Check
}

// Bounds are the limits the checks hold a run to, from its configuration
// (BoundsFor).
type Bounds struct {
	// Agreement is how long after the last membership change the live nodes
	// may take to agree (AgreementBound).
	Agreement time.Duration
	// Handover is how long two nodes may both act as coordinator before
	// single_coordinator fails: the inherent window in which a sitting
	// coordinator assigns until the decision of an election reaches it.
	Handover time.Duration
	// ReelectEvery is the period of the periodic election (0: none); it
	// bounds the elections of a settled cluster (FlipFlopBound).
	ReelectEvery time.Duration
	// Stall is the longest a majority of live, connected nodes under load
	// may go without completing a request.
	Stall time.Duration
}

// BoundsFor derives the bounds from an experiment: the agreement bound, one
// heartbeat of handover, the periodic election period and ten suspicion
// periods without a completion.
func BoundsFor(e *experiment.Experiment) Bounds {
	c := e.Cluster
	return Bounds{
		Agreement:    AgreementBound(c.SuspectAfter, e.Faults.SyncDelay, c.ElectionTimeout),
		Handover:     c.Heartbeat,
		ReelectEvery: c.ReelectEvery,
		Stall:        10 * c.SuspectAfter,
	}
}

// Judge runs every check: accounted, responses_valid, election_safety,
// single_coordinator, liveness, the table checks it is given
// (linearizable, quota_safety), then one per threshold, with the expected
// anomalies applied (Expecting).
func Judge(s *rundir.Summary, in Input) rundir.Verdict {
	checks := []rundir.Check{
		Accounted(in.Accounting, in.Expected),
		ResponsesValid(in.Accounting),
		ElectionSafety(in.Analysis),
		SingleCoordinator(in.Analysis, in.Bounds.Handover),
		Liveness(in.Analysis, in.Bounds),
	}
	checks = append(checks, in.Table...)
	return Expecting(append(checks, Thresholds(s, in.Thresholds)...), in.Anomalies)
}

// NewVerdict passes when there is at least one check and every check came
// out as expected (rundir.Check.AsExpected).
func NewVerdict(checks []rundir.Check) rundir.Verdict {
	pass := len(checks) > 0
	for _, c := range checks {
		pass = pass && c.AsExpected()
	}
	return rundir.Verdict{Pass: pass, Checks: checks}
}

// AgreementBound is the time a healthy cluster needs to agree after a change:
// five suspicion periods (detection plus a retried election), the recovering
// node's sync delay and one election timeout.
func AgreementBound(suspectAfter, syncDelay, electionTimeout time.Duration) time.Duration {
	return 5*suspectAfter + syncDelay + electionTimeout
}

// Accounted: every request issued ended exactly once as ok, failed with
// a reason, timed out, or unsent (issued after the load stopped).
func Accounted(a record.Accounting, expected int) rundir.Check {
	c := rundir.Check{Name: "accounted"}
	if expected <= 0 {
		c.Detail = fmt.Sprintf("expected request count not given (%d): completeness cannot be judged", expected)
		return c
	}
	seen := a.SeenBelow(expected)
	var bad []string
	note := func(n int, format string) {
		if n > 0 {
			bad = append(bad, fmt.Sprintf(format, n))
		}
	}
	note(expected-seen, "%d issued requests have no result")
	note(a.Results-a.DuplicateSeq-seen, "%d results have a seq outside 0..expected-1")
	note(a.DuplicateSeq, "%d results repeat a seq")
	note(a.UnknownOutcome, "%d results have an unknown outcome")
	note(a.FailedNoReason, "%d failed results give no reason")
	c.Pass = len(bad) == 0
	c.Detail = fmt.Sprintf("%d results for %d issued requests: %d ok + %d failed + %d timed out",
		a.Results, expected, a.OK, a.Failed, a.TimedOut)
	if a.Unsent > 0 {
		c.Detail += fmt.Sprintf(" + %d unsent (issued after the load stopped, never sent)", a.Unsent)
	}
	if !c.Pass {
		c.Detail += "; " + strings.Join(bad, "; ")
	}
	return c
}

// follows lists "node→coordinator" for the live nodes.
func follows(g analyze.Agreement) string {
	parts := make([]string, 0, len(g.Live))
	for _, n := range g.Live {
		if n >= 1 && n <= len(g.Follows) {
			parts = append(parts, fmt.Sprintf("%d→%d", n, g.Follows[n-1]))
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// dur prints a duration in ms below 10 s, else in s.
func dur(d time.Duration) string {
	if d < 10*time.Second && d > -10*time.Second {
		return units.Num(units.Ms(d)) + " ms"
	}
	return units.Num(d.Seconds()) + " s"
}
