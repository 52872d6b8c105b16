package check

import (
	"fmt"
	"strings"
	"time"

	"stegocloud/harness/analyze"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/rundir"
)

// Liveness: the cluster made progress and settled. It fails when any of
// three holds:
//
//   - agreement: after the last membership change (a fault starting or
//     healing, a process exiting or starting; analyze.Agreement), the live
//     nodes did not all follow one live coordinator within b.Agreement;
//   - flip-flop: once agreed, more elections started than FlipFlopBound
//     allows for the settled period (elections per minute back to the
//     periodic rate);
//   - stall: some window longer than b.Stall passed without a completion
//     while a majority of the nodes was live and connected and load was
//     offered (analyze.Liveness.Stall).
func Liveness(a *analyze.Analysis, b Bounds) rundir.Check {
	c := rundir.Check{Name: "liveness"}
	switch {
	case a == nil:
		c.Detail = "no event analysis given"
		return c
	case b.Agreement <= 0 || b.Stall <= 0 || b.ReelectEvery < 0:
		c.Detail = fmt.Sprintf("bounds not given (agreement %v, stall %v, reelect_every %v)", b.Agreement, b.Stall, b.ReelectEvery)
		return c
	}
	parts := []func(*analyze.Analysis, Bounds) (bool, string, *rundir.Evidence){agreementPart, flipFlopPart, stallPart}
	c.Pass = true
	var details []string
	for _, part := range parts {
		ok, detail, ev := part(a, b)
		c.Pass = c.Pass && ok
		details = append(details, detail)
		if ev != nil {
			c.Evidence = append(c.Evidence, *ev)
		}
	}
	c.Detail = strings.Join(details, "; ")
	return c
}

// FlipFlopBound is how many elections a settled cluster may start in a
// period of length settled: the periodic elections it can hold (⌊settled /
// every⌋ + 1, none when every is 0), plus two — the recovery election of
// the last node back, which may come after the others agreed, and one more.
// A flip-flop starts elections every few election timeouts: far more.
func FlipFlopBound(settled, every time.Duration) int {
	if every <= 0 {
		return 2
	}
	return int(settled/every) + 3
}

func agreementPart(a *analyze.Analysis, b Bounds) (bool, string, *rundir.Evidence) {
	g := a.Agreement
	if !g.Reached {
		return false, fmt.Sprintf("live nodes %v never followed one live coordinator in the %s after the last membership change at %.3fs (they followed %v; want agreement within %s)",
				g.Live, dur(g.End-g.Reference), g.Reference.Seconds(), follows(g), dur(b.Agreement)),
			&rundir.Evidence{Kind: rundir.EvidenceNoAgreement, FromS: g.Reference.Seconds(), ToS: g.End.Seconds(),
				Nodes: g.Live, Limit: b.Agreement.Seconds()}
	}
	detail := fmt.Sprintf("live nodes %v followed node %d %s after the last membership change at %.3fs, want ≤ %s",
		g.Live, g.Coordinator, dur(g.After), g.Reference.Seconds(), dur(b.Agreement))
	if g.After <= b.Agreement {
		return true, detail, nil
	}
	return false, detail, &rundir.Evidence{Kind: rundir.EvidenceSlowAgreement, FromS: g.Reference.Seconds(), ToS: g.At.Seconds(),
		Nodes: []int{g.Coordinator}, Limit: b.Agreement.Seconds()}
}

func flipFlopPart(a *analyze.Analysis, b Bounds) (bool, string, *rundir.Evidence) {
	l := a.Liveness
	limit := FlipFlopBound(l.Settled, b.ReelectEvery)
	periodic := "no periodic election"
	if b.ReelectEvery > 0 {
		periodic = "periodic every " + dur(b.ReelectEvery)
	}
	detail := fmt.Sprintf("%d elections in the %s after that, want ≤ %d (%s)", l.ElectionsSettled, dur(l.Settled), limit, periodic)
	if l.Settled > 0 {
		detail += fmt.Sprintf(", %s per minute", units.Num(float64(l.ElectionsSettled)/l.Settled.Minutes()))
	}
	if l.ElectionsSettled <= limit {
		return true, detail, nil
	}
	return false, detail + ": flip-flop", &rundir.Evidence{Kind: rundir.EvidenceFlipFlop, FromS: l.SettledFrom.Seconds(),
		ToS: (l.SettledFrom + l.Settled).Seconds(), Count: l.ElectionsSettled, Limit: float64(limit)}
}

func stallPart(a *analyze.Analysis, b Bounds) (bool, string, *rundir.Evidence) {
	l := a.Liveness
	if l.Judged <= 0 {
		return true, "no time with load offered to a live, connected majority", nil
	}
	s := l.Stall
	detail := fmt.Sprintf("longest time without a completion while a majority was live and connected under load: %s from %.3fs, want ≤ %s",
		dur(s.Duration()), s.From.Seconds(), dur(b.Stall))
	if s.Duration() <= b.Stall {
		return true, detail, nil
	}
	return false, detail, &rundir.Evidence{Kind: rundir.EvidenceNoCompletions, FromS: s.From.Seconds(), ToS: s.To.Seconds(),
		Limit: b.Stall.Seconds()}
}
