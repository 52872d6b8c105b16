package check

import (
	"fmt"
	"strings"

	"stegocloud/harness/analyze"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/record"
	"stegocloud/harness/rundir"
)

// ResponsesValid: every response a client received carried exactly the
// metadata that was sent. A rejected response fails the run even when a
// retry of its request was then answered validly: a node returned a wrong
// result, and only the client's check kept it from the user.
func ResponsesValid(a record.Accounting) rundir.Check {
	c := rundir.Check{Name: "responses_valid", Pass: a.Invalid == 0 && a.OKUnverified == 0}
	c.Detail = fmt.Sprintf("%d of %d ok responses verified", a.OK-a.OKUnverified, a.OK)
	if a.OKUnverified > 0 {
		c.Detail += fmt.Sprintf("; %d ok without a verified match, want 0", a.OKUnverified)
	}
	if a.Invalid == 0 {
		c.Detail += "; no response carried other metadata than was sent"
		return c
	}
	c.Detail += fmt.Sprintf("; %d responses in %d requests carried other metadata than was sent, want 0 (%d of those requests were then answered validly, %d were not)%s",
		a.Invalid, a.InvalidRequests, a.InvalidThenOK, a.InvalidRequests-a.InvalidThenOK, bySender(a.InvalidByNode))
	var ids []string
	for _, s := range a.InvalidSamples {
		ids = append(ids, s.ID)
		c.Evidence = append(c.Evidence, rundir.Evidence{Kind: rundir.EvidenceInvalid,
			FromS: s.Begin.Seconds(), ToS: s.End.Seconds(), Nodes: s.From, Count: s.Invalid,
			Requests: []string{s.ID}, Outcome: s.Outcome.String()})
	}
	c.Detail += ": " + sample(ids, a.InvalidRequests)
	return c
}

// bySender lists the senders of rejected responses: " from node 2 (11), node 3 (1)".
func bySender(byNode []int) string {
	var parts []string
	for n := 1; n < len(byNode); n++ {
		if byNode[n] > 0 {
			parts = append(parts, fmt.Sprintf("node %d (%d)", n, byNode[n]))
		}
	}
	if len(byNode) > 0 && byNode[0] > 0 {
		parts = append(parts, fmt.Sprintf("an unnamed node (%d)", byNode[0]))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; sent by " + strings.Join(parts, ", ")
}

// sample prints a few ids and says how many there were in all.
func sample(ids []string, total int) string {
	s := strings.Join(ids, ", ")
	if total > len(ids) {
		s += fmt.Sprintf(", … (%s in all)", units.Num(float64(total)))
	}
	return s
}

// CountDuplicates is the number of requests served more than once, by the
// clients' account (another response with an image after the valid one) or
// the nodes' (two completions without error), each request counted once. It
// is a metric, not a check: at-least-once delivery allows it. When either
// account kept only some of its ids (Truncated), the result is an upper
// bound.
func CountDuplicates(a record.Accounting, an *analyze.Analysis) int {
	n := a.Duplicates.Requests
	if an == nil {
		return n
	}
	clients := make(map[string]bool, len(a.Duplicates.IDs))
	for _, id := range a.Duplicates.IDs {
		clients[id] = true
	}
	n += an.Duplicates.Requests
	for _, id := range an.Duplicates.IDs {
		if clients[id] {
			n--
		}
	}
	return n
}
