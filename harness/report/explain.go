package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

// findingsSection says in words what each failed check found, from its
// evidence; a failed check the experiment expected is said to be an
// expected anomaly found, an expected one that passed an anomaly not found.
func findingsSection(rw *markdown.Writer, v rundir.Verdict) {
	var failed, missed []rundir.Check
	for _, c := range v.Checks {
		switch {
		case !c.Pass:
			failed = append(failed, c)
		case c.Expected:
			missed = append(missed, c)
		}
	}
	if len(failed)+len(missed) == 0 {
		return
	}
	rw.Line("### What the checks found\n")
	if marked(failed) {
		rw.Line("Each finding with a time is marked on the timeline figure by a band along the bottom, in its check's colour.\n")
	}
	for _, c := range failed {
		head := "**" + c.Name + " failed**"
		if c.Expected {
			head = "**" + c.Name + ": expected anomaly found**"
		}
		if len(c.Evidence) == 0 {
			rw.Printf("- %s: %s.\n", head, c.Detail)
			continue
		}
		rw.Printf("- %s:\n", head)
		for _, e := range c.Evidence {
			rw.Printf("  - %s\n", Explain(e))
		}
	}
	for _, c := range missed {
		rw.Printf("- **%s: expected anomaly not found** — the experiment declares that this check fails, and it passed: %s.\n",
			c.Name, c.Detail)
	}
	rw.Line("")
}

// marked reports whether any of checks has a finding, which the timeline
// marks.
func marked(checks []rundir.Check) bool {
	for _, c := range checks {
		if len(c.Evidence) > 0 {
			return true
		}
	}
	return false
}

// Explain says one finding of a check in plain words, with its times (s
// from the load start), nodes, epochs and a few request ids.
func Explain(e rundir.Evidence) string {
	switch e.Kind {
	case rundir.EvidenceOverlap:
		return explainOverlap(e)
	case rundir.EvidenceEpochConflict:
		return fmt.Sprintf("Epoch %d had more than one coordinator: nodes %s were each named for it (the second at %s).",
			first(e.Epochs), andList(e.Nodes), at(e.FromS))
	case rundir.EvidenceInvalid:
		what := "it then got a valid answer on a retry"
		if e.Outcome != "ok" {
			what = "it never got a valid one (" + e.Outcome + ")"
		}
		from := ""
		if len(e.Nodes) > 0 {
			from = " from node " + andList(uniq(e.Nodes))
		}
		return fmt.Sprintf("Request %s (%s to %s) got %s carrying other metadata than was sent%s; %s.",
			strings.Join(e.Requests, ", "), at(e.FromS), at(e.ToS), plural(e.Count, "response"), from, what)
	case rundir.EvidenceNoAgreement:
		return fmt.Sprintf("After the last membership change at %s the live nodes %s never all followed one live coordinator, up to %s (the bound is %s).",
			at(e.FromS), andList(e.Nodes), at(e.ToS), span(e.Limit))
	case rundir.EvidenceSlowAgreement:
		return fmt.Sprintf("After the last membership change at %s the live nodes took %s to all follow node %d (at %s), more than the bound of %s.",
			at(e.FromS), span(e.ToS-e.FromS), first(e.Nodes), at(e.ToS), span(e.Limit))
	case rundir.EvidenceFlipFlop:
		return fmt.Sprintf("After the nodes had agreed at %s, %s started by %s: more than the %d the periodic elections explain — the cluster kept re-electing (flip-flop).",
			at(e.FromS), plural(e.Count, "election"), at(e.ToS), int(e.Limit))
	case rundir.EvidenceTable:
		return explainTable(e)
	case rundir.EvidenceNoCompletions:
		return fmt.Sprintf("No node completed a request from %s to %s (%s) although a majority of the nodes was live and connected and load was offered (the bound is %s).",
			at(e.FromS), at(e.ToS), span(e.ToS-e.FromS), span(e.Limit))
	}
	return fmt.Sprintf("%s from %s to %s (nodes %v, count %d).", e.Kind, at(e.FromS), at(e.ToS), e.Nodes, e.Count)
}

// explainOverlap tells who kept acting: the reign of the lower epoch is the
// superseded one.
func explainOverlap(e rundir.Evidence) string {
	if len(e.Nodes) < 2 || len(e.Epochs) < 2 {
		return fmt.Sprintf("Two nodes acted as coordinator from %s to %s.", at(e.FromS), at(e.ToS))
	}
	stale, cur := 0, 1
	if e.Epochs[1] < e.Epochs[0] {
		stale, cur = 1, 0
	}
	s := fmt.Sprintf("Node %d kept assigning requests in epoch %d from %s to %s while node %d was coordinator of epoch %d: both acted as coordinator for %s, beyond the handover tolerance of %s",
		e.Nodes[stale], e.Epochs[stale], at(e.FromS), at(e.ToS), e.Nodes[cur], e.Epochs[cur], span(e.ToS-e.FromS), span(e.Limit))
	switch {
	case e.Count == 0:
		return s + "; no request was assigned by both."
	case len(e.Requests) < e.Count:
		return s + fmt.Sprintf("; %s assigned by both: %s, …", plural(e.Count, "request was", "requests were"), strings.Join(e.Requests, ", "))
	}
	return s + fmt.Sprintf("; %s assigned by both: %s.", plural(e.Count, "request was", "requests were"), strings.Join(e.Requests, ", "))
}

// at is a time from the load start: "5.973 s".
func at(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) + " s" }

// span is a duration given in seconds, in ms below 10 s: "249.8 ms", "12.5 s".
func span(s float64) string {
	if s < 10 {
		return strconv.FormatFloat(math.Round(s*1e4)/10, 'f', -1, 64) + " ms" // to 0.1 ms
	}
	return strconv.FormatFloat(s, 'f', 1, 64) + " s"
}

// plural is "1 response" or "3 responses"; with two forms, "1 request was"
// or "3 requests were".
func plural(n int, forms ...string) string {
	one, many := forms[0], forms[0]+"s"
	if len(forms) > 1 {
		many = forms[1]
	}
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// andList is "2", "2 and 3", "1, 2 and 3".
func andList(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func uniq(ns []int) []int {
	var out []int
	for _, n := range ns {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func first[T any](xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return xs[0]
}
