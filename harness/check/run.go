package check

import (
	"fmt"
	"sort"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/load"
	"stegocloud/harness/rundir"
)

// LoadComplete says whether the load ran as planned: every planned
// request of a closed loop issued, not cut short by max_duration or Ctrl-C.
func LoadComplete(e *experiment.Experiment, st load.Stats, interrupted error) rundir.Check {
	c := rundir.Check{Name: "load_complete", Pass: true}
	planned := e.Workload.TotalRequests()
	switch {
	case interrupted != nil:
		c.Pass, c.Detail = false, fmt.Sprintf("interrupted after %d requests", st.Requests)
	case st.Stopped != load.StopComplete:
		c.Pass, c.Detail = false, fmt.Sprintf("stopped by %s after %d requests", st.Stopped, st.Requests)
	case planned > 0:
		c.Pass = st.Requests == planned
		c.Detail = fmt.Sprintf("%d of %d planned requests issued", st.Requests, planned)
	default:
		c.Detail = fmt.Sprintf("%d requests issued over %v", st.Requests, e.Workload.Duration)
	}
	return c
}

// StatusAgreement judges agreement from the nodes' final status answers:
// every node answered, and every Active node follows the same Active node.
func StatusAgreement(final map[int]cluster.NodeStatus, nodes int) rundir.Check {
	c := rundir.Check{Name: "agreement"}
	coord, why := AgreedCoordinator(final)
	switch {
	case len(final) < nodes:
		c.Detail = fmt.Sprintf("only %d of %d nodes answered the final status request", len(final), nodes)
	case coord == 0:
		c.Detail = "final status: " + why
	default:
		c.Pass, c.Detail = true, fmt.Sprintf("final status: every active node follows node %d", coord)
	}
	return c
}

// AgreedCoordinator is the coordinator all Active nodes name, when they name
// the same live one; otherwise 0 and a description of the disagreement.
func AgreedCoordinator(sts map[int]cluster.NodeStatus) (int, string) {
	coord, active := 0, 0
	ids := make([]int, 0, len(sts))
	for id := range sts {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var views []string
	for _, id := range ids {
		st := sts[id]
		views = append(views, fmt.Sprintf("node %d: %s, coordinator %d", id, st.State, st.Coordinator))
		if st.State != cluster.StateActive {
			continue
		}
		active++
		switch {
		case st.Coordinator == 0:
			return 0, fmt.Sprint(views)
		case coord == 0:
			coord = st.Coordinator
		case coord != st.Coordinator:
			return 0, fmt.Sprint(views)
		}
	}
	if active == 0 {
		return 0, "no node is active: " + fmt.Sprint(views)
	}
	if c, ok := sts[coord]; !ok || c.State != cluster.StateActive {
		return 0, fmt.Sprintf("the agreed coordinator %d is not active: %v", coord, views)
	}
	return coord, ""
}
