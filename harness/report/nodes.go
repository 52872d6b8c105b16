package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

// decisionSamples is how many decisions the report shows: the seed
// shows five; a few more cover a fault and its recovery.
const decisionSamples = 8

// pickSamples chooses up to n decisions spread evenly over the kept ones,
// always including the first and the last.
func pickSamples(kept []rundir.Assignment, n int) []rundir.Assignment {
	if len(kept) <= n {
		return kept
	}
	out := make([]rundir.Assignment, 0, n)
	for i := range n {
		out = append(out, kept[i*(len(kept)-1)/(n-1)])
	}
	return out
}

// writeDecisions writes decisions in the seed's format.
func writeDecisions(rw *markdown.Writer, samples []rundir.Assignment, rc *runReport) {
	for _, a := range samples {
		rw.Printf("  [%s] Selected Node %d: loads = %s\n", clock(a.Time, rc.loc), a.Assignee, loadsText(a.Loads))
	}
}

func decisionsSection(rw *markdown.Writer, rc *runReport) {
	rw.Line("## Load-balancing decisions\n")
	ev := rc.d.Events
	switch {
	case ev == nil:
		rw.Printf("Not available: %s was not read.\n\n", rundir.FileEvents)
		return
	case ev.AssignTotal == 0:
		rw.Line("No assignment was logged.\n")
		return
	}
	rw.Printf("The coordinators logged %s (by assignee: %s) and %s. %s went to a node whose load was above the lowest one the coordinator knew",
		countOf(ev.AssignTotal, "assignment"), Counts(ev.AssignByNode), countOf(ev.Reassigns, "reassignment"), countOf(ev.AssignNotLowest, "assignment"))
	if b := balancer(rc.d.Experiment); b != "" {
		rw.Printf(" (balancer %s", b)
		if b == "lowest-load" {
			rw.Printf(": expected 0")
		}
		rw.Printf(")")
	}
	rw.Printf(". The decisions sampled in the block above, in full (wall clock %s; t in seconds since the load start):\n\n", zoneName(rc))
	var rows [][]string
	for _, a := range pickSamples(ev.Assigns, decisionSamples) {
		rows = append(rows, []string{
			clock(a.Time, rc.loc), strconv.FormatFloat(rc.d.Seconds(a.Time), 'f', 2, 64), strconv.Itoa(a.Coordinator),
			orDash(a.Request), strconv.Itoa(a.Assignee), loadsText(a.Loads), YesNo(rundir.AmongLowest(a.Loads, a.Assignee)),
		})
	}
	rw.Table([]string{"time", "t", "coordinator", "request", "assignee", "loads", "lowest"}, rows)
}

func zoneName(rc *runReport) string {
	name, off := rc.d.Summary.Start.In(rc.loc).Zone()
	if name != "" {
		return name
	}
	return fmt.Sprintf("UTC%+03d:%02d", off/3600, max(off%3600, -(off%3600))/60)
}

// NodeStatus is one line of the seed's "Final Node Status".
type NodeStatus struct {
	ID          int
	State       string
	Load        float64
	Processed   int
	Coordinator bool
}

// finalStatuses come from the summary; a node it leaves without a final
// state is completed from the last thing the node's log said.
func finalStatuses(rc *runReport) []NodeStatus {
	fromLog := map[int]rundir.NodeFinal{}
	lastCoord := 0
	if ev := rc.d.Events; ev != nil {
		for _, f := range ev.Final {
			fromLog[f.ID] = f
		}
		if n := len(ev.Coordinators); n > 0 {
			lastCoord = ev.Coordinators[n-1].Node
		}
	}
	var out []NodeStatus
	seen := map[int]bool{}
	for _, n := range rc.s.Nodes {
		st := NodeStatus{ID: n.ID, State: n.FinalState, Load: n.FinalLoad, Processed: n.Processed, Coordinator: n.Coordinator}
		if f, ok := fromLog[n.ID]; ok && st.State == "" {
			st.State, st.Load, st.Processed, st.Coordinator = f.State, f.Load, f.Completions, n.ID == lastCoord
		}
		out = append(out, st)
		seen[n.ID] = true
	}
	for _, f := range fromLog {
		if !seen[f.ID] && f.ID > 0 {
			out = append(out, NodeStatus{ID: f.ID, State: f.State, Load: f.Load, Processed: f.Completions, Coordinator: f.ID == lastCoord})
		}
	}
	slices.SortFunc(out, func(a, b NodeStatus) int { return a.ID - b.ID })
	return out
}

func finalStatusSection(rw *markdown.Writer, rc *runReport) {
	rw.Line("## Final node status\n")
	sts := finalStatuses(rc)
	if len(sts) == 0 {
		rw.Line("Neither the summary nor the event log describes any node.\n")
		return
	}
	NodeStatusBlock(rw, "Final Node Status:", sts)
}

// NodeStatusBlock writes the seed's FINAL NODE STATUS block, fenced:
// title (left out when empty), then one line per node between rules.
func NodeStatusBlock(rw *markdown.Writer, title string, sts []NodeStatus) {
	rw.Line("```")
	if title != "" {
		rw.Line(title)
	}
	rw.Line(strings.Repeat("-", 60))
	for _, st := range sts {
		state := strings.ToUpper(st.State)
		if state == "" {
			state = "UNKNOWN"
		}
		rw.Printf("Node %d: %s | Load: %.2f | Processed: %d | Coordinator: %s\n", st.ID, state, st.Load, st.Processed, YesNo(st.Coordinator))
	}
	rw.Line(strings.Repeat("-", 60))
	rw.Line("```\n")
}
