package harness

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"stegocloud/harness/rundir"

	"stegocloud/harness/internal/markdown"
)

// reportDecisionSamples is how many decisions the report shows: the seed
// shows five; a few more cover a fault and its recovery.
const reportDecisionSamples = 8

// reportPickSamples chooses up to n decisions spread evenly over the kept ones,
// always including the first and the last.
func reportPickSamples(kept []rundir.Assignment, n int) []rundir.Assignment {
	if len(kept) <= n {
		return kept
	}
	out := make([]rundir.Assignment, 0, n)
	for i := range n {
		out = append(out, kept[i*(len(kept)-1)/(n-1)])
	}
	return out
}

// reportWriteDecisions writes decisions in the seed's format.
func reportWriteDecisions(rw *markdown.Writer, samples []rundir.Assignment, rc *reportContext) {
	for _, a := range samples {
		rw.Printf("  [%s] Selected Node %d: loads = %s\n", reportClock(a.Time, rc.loc), a.Assignee, reportLoads(a.Loads))
	}
}

func reportDecisions(rw *markdown.Writer, rc *reportContext) {
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
	rw.Printf("The coordinators logged %d assignments (by assignee: %s) and %d reassignments. %d assignments went to a node whose load was above the lowest one the coordinator knew",
		ev.AssignTotal, reportCounts(ev.AssignByNode), ev.Reassigns, ev.AssignNotLowest)
	if b := reportBalancer(rc.d.Experiment); b != "" {
		rw.Printf(" (balancer %s", b)
		if b == "lowest-load" {
			rw.Printf(": expected 0")
		}
		rw.Printf(")")
	}
	rw.Printf(". The decisions sampled in the block above, in full (wall clock %s; t in seconds since the load start):\n\n", reportZoneName(rc))
	var rows [][]string
	for _, a := range reportPickSamples(ev.Assigns, reportDecisionSamples) {
		rows = append(rows, []string{
			reportClock(a.Time, rc.loc), strconv.FormatFloat(rc.d.Seconds(a.Time), 'f', 2, 64), strconv.Itoa(a.Coordinator),
			reportOrDash(a.Request), strconv.Itoa(a.Assignee), reportLoads(a.Loads), reportYesNo(rundir.AmongLowest(a.Loads, a.Assignee)),
		})
	}
	rw.Table([]string{"time", "t", "coordinator", "request", "assignee", "loads", "lowest"}, rows)
}

func reportZoneName(rc *reportContext) string {
	name, off := rc.d.Summary.Start.In(rc.loc).Zone()
	if name != "" {
		return name
	}
	return fmt.Sprintf("UTC%+03d:%02d", off/3600, max(off%3600, -(off%3600))/60)
}

// reportNodeStatus is one line of the seed's "Final Node Status".
type reportNodeStatus struct {
	id          int
	state       string
	load        float64
	processed   int
	coordinator bool
}

// reportFinalStatuses come from the summary; a node it leaves without a final
// state is completed from the last thing the node's log said.
func reportFinalStatuses(rc *reportContext) []reportNodeStatus {
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
	var out []reportNodeStatus
	seen := map[int]bool{}
	for _, n := range rc.s.Nodes {
		st := reportNodeStatus{id: n.ID, state: n.FinalState, load: n.FinalLoad, processed: n.Processed, coordinator: n.Coordinator}
		if f, ok := fromLog[n.ID]; ok && st.state == "" {
			st.state, st.load, st.processed, st.coordinator = f.State, f.Load, f.Completions, n.ID == lastCoord
		}
		out = append(out, st)
		seen[n.ID] = true
	}
	for _, f := range fromLog {
		if !seen[f.ID] && f.ID > 0 {
			out = append(out, reportNodeStatus{id: f.ID, state: f.State, load: f.Load, processed: f.Completions, coordinator: f.ID == lastCoord})
		}
	}
	slices.SortFunc(out, func(a, b reportNodeStatus) int { return a.id - b.id })
	return out
}

func reportFinalStatus(rw *markdown.Writer, rc *reportContext) {
	rw.Line("## Final node status\n")
	sts := reportFinalStatuses(rc)
	if len(sts) == 0 {
		rw.Line("Neither the summary nor the event log describes any node.\n")
		return
	}
	reportNodeStatusBlock(rw, "Final Node Status:", sts)
}

// reportNodeStatusBlock writes the seed's FINAL NODE STATUS block, fenced:
// title (left out when empty), then one line per node between rules.
func reportNodeStatusBlock(rw *markdown.Writer, title string, sts []reportNodeStatus) {
	rw.Line("```")
	if title != "" {
		rw.Line(title)
	}
	rw.Line(strings.Repeat("-", 60))
	for _, st := range sts {
		state := strings.ToUpper(st.state)
		if state == "" {
			state = "UNKNOWN"
		}
		rw.Printf("Node %d: %s | Load: %.2f | Processed: %d | Coordinator: %s\n", st.id, state, st.load, st.processed, reportYesNo(st.coordinator))
	}
	rw.Line(strings.Repeat("-", 60))
	rw.Line("```\n")
}
