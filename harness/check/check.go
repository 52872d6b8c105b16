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
	// AgreementBound is how long after the last membership change the live
	// nodes may take to agree (see AgreementBound).
	AgreementBound time.Duration
	Thresholds     []experiment.Threshold // the experiment's expect: entries
}

// Judge runs every check: accounted, metadata, election_safety, agreement,
// then one per threshold.
func Judge(s *rundir.Summary, in Input) rundir.Verdict {
	checks := []rundir.Check{
		Accounted(in.Accounting, in.Expected),
		Metadata(in.Accounting),
		ElectionSafety(in.Analysis),
		Agreement(in.Analysis, in.AgreementBound),
	}
	return NewVerdict(append(checks, Thresholds(s, in.Thresholds)...))
}

// NewVerdict passes when there is at least one check and every check passes.
func NewVerdict(checks []rundir.Check) rundir.Verdict {
	pass := len(checks) > 0
	for _, c := range checks {
		pass = pass && c.Pass
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

// Metadata: every ok response carried exactly the metadata that was sent,
// as the client verified it.
func Metadata(a record.Accounting) rundir.Check {
	c := rundir.Check{Name: "metadata", Pass: a.OKUnverified == 0}
	c.Detail = fmt.Sprintf("%d of %d ok responses verified", a.OK-a.OKUnverified, a.OK)
	if !c.Pass {
		c.Detail += fmt.Sprintf("; %d ok without a verified match, want 0", a.OKUnverified)
	}
	if a.Invalid > 0 {
		c.Detail += fmt.Sprintf("; %d responses were rejected by verification (their requests retried or failed)", a.Invalid)
	}
	return c
}

// ElectionSafety: at most one coordinator per epoch over the merged log.
func ElectionSafety(a *analyze.Analysis) rundir.Check {
	c := rundir.Check{Name: "election_safety"}
	if a == nil {
		c.Detail = "no event analysis given"
		return c
	}
	c.Pass = len(a.Conflicts) == 0
	c.Detail = fmt.Sprintf("%d elections, max epoch %d, %d epochs with more than one coordinator",
		a.Elections.Total, a.Elections.MaxEpoch, len(a.Conflicts))
	for i, k := range a.Conflicts {
		if i == 3 {
			c.Detail += "; …"
			break
		}
		c.Detail += fmt.Sprintf("; epoch %d named %v (first at %.3fs)", k.Epoch, k.Coordinators, k.At.Seconds())
	}
	return c
}

// Agreement: after the last membership change, every live node followed
// one live coordinator within bound.
func Agreement(a *analyze.Analysis, bound time.Duration) rundir.Check {
	c := rundir.Check{Name: "agreement"}
	switch {
	case a == nil:
		c.Detail = "no event analysis given"
		return c
	case bound <= 0:
		c.Detail = fmt.Sprintf("agreement bound not given (%v)", bound)
		return c
	}
	g := a.Agreement
	if !g.Reached {
		c.Detail = fmt.Sprintf("live nodes %v never followed one live coordinator in the %s after the last membership change at %.3fs (they followed %v; want agreement within %s)",
			g.Live, dur(g.End-g.Reference), g.Reference.Seconds(), follows(g), dur(bound))
		return c
	}
	c.Pass = g.After <= bound
	c.Detail = fmt.Sprintf("live nodes %v followed node %d %s after the last membership change at %.3fs, want ≤ %s",
		g.Live, g.Coordinator, dur(g.After), g.Reference.Seconds(), dur(bound))
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
