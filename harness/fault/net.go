package fault

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"stegocloud/harness/experiment"
)

// Net is what a network fault (kind partition, bridge, one-way, latency or
// reset) does to the links; its Fault has Node 0. Members are node ids once
// resolved. Before, a member may be the coordinator (the Fault's Selector is
// then "coordinator", and Resolve names the node when the fault is due);
// `others` is expanded when the schedule is made, unless the coordinator is
// named too, in which case Resolve expands it.
type Net struct {
	// Groups are the sides: a partition's groups; a bridge's two cut nodes
	// [[a], [b]]; a one-way cut's [[from…], [to…]].
	Groups  [][]experiment.NodeSelector `json:"groups,omitempty"`
	Clients [][]int                     `json:"clients,omitempty"` // partition: client groups on each side
	Via     experiment.NodeSelector     `json:"via,omitempty"`     // bridge: the node reaching both sides
	// Links are the peer links of a latency or reset fault; empty: every one.
	Links     []experiment.LinkSpec `json:"links,omitempty"`
	Delay     time.Duration         `json:"delay,omitempty"`
	Jitter    time.Duration         `json:"jitter,omitempty"`
	Bandwidth int64                 `json:"bandwidth,omitempty"` // bytes per second per connection
}

// IsNetwork reports whether f is a network fault.
func (f Fault) IsNetwork() bool { return experiment.IsNetworkKind(f.Kind) }

// netOf builds the Net of an explicit network entry.
func netOf(s experiment.ScheduledFault) *Net {
	n := &Net{Clients: s.Clients, Delay: s.Delay, Jitter: s.Jitter, Bandwidth: int64(s.Bandwidth), Via: s.Via}
	switch s.Kind {
	case experiment.FaultPartition:
		n.Groups = s.Groups
	case experiment.FaultBridge:
		for _, x := range s.Nodes {
			n.Groups = append(n.Groups, []experiment.NodeSelector{x})
		}
	case experiment.FaultOneWay:
		n.Groups = [][]experiment.NodeSelector{{s.From}, {s.To}}
	}
	if !s.Links.All {
		n.Links = s.Links.List
	}
	return n.clone()
}

// clone is a deep copy: Resolve must not touch the planned schedule.
func (n *Net) clone() *Net {
	c := *n
	c.Groups = make([][]experiment.NodeSelector, len(n.Groups))
	for i, g := range n.Groups {
		c.Groups[i] = slices.Clone(g)
	}
	if len(n.Groups) == 0 {
		c.Groups = nil
	}
	c.Clients = nil
	for _, g := range n.Clients {
		c.Clients = append(c.Clients, slices.Clone(g))
	}
	c.Links = slices.Clone(n.Links)
	return &c
}

// namesCoordinator reports whether a member is still the coordinator.
func (n *Net) namesCoordinator() bool {
	found := n.Via == experiment.SelectCoordinator
	for _, g := range n.Groups {
		found = found || slices.Contains(g, experiment.SelectCoordinator)
	}
	for _, l := range n.Links {
		found = found || l[0] == experiment.SelectCoordinator || l[1] == experiment.SelectCoordinator
	}
	return found
}

// resolve names the coordinator and expands others among nodes 1..nodes;
// it fails when the result names a node twice or leaves a side empty.
func (n *Net) resolve(coordinator experiment.NodeSelector, nodes int) error {
	sub := func(s *experiment.NodeSelector) {
		if *s == experiment.SelectCoordinator {
			*s = coordinator
		}
	}
	sub(&n.Via)
	for i := range n.Links {
		sub(&n.Links[i][0])
		sub(&n.Links[i][1])
		if n.Links[i][0] == n.Links[i][1] {
			return fmt.Errorf("link %s joins node %d to itself", n.Links[i], int(n.Links[i][0]))
		}
	}
	named := map[experiment.NodeSelector]bool{}
	if n.Via > 0 {
		named[n.Via] = true
	}
	for _, g := range n.Groups {
		for i := range g {
			sub(&g[i])
			if g[i] == experiment.SelectOthers {
				continue
			}
			if named[g[i]] {
				return fmt.Errorf("node %d is named twice", int(g[i]))
			}
			named[g[i]] = true
		}
	}
	for k, g := range n.Groups {
		if len(g) != 1 || g[0] != experiment.SelectOthers {
			continue
		}
		var rest []experiment.NodeSelector
		for id := 1; id <= nodes; id++ {
			if !named[experiment.NodeSelector(id)] {
				rest = append(rest, experiment.NodeSelector(id))
			}
		}
		if len(rest) == 0 {
			return fmt.Errorf("group %d (others) names no node", k+1)
		}
		n.Groups[k] = rest
	}
	return nil
}

// IDs is the resolved members of group k as plain ids.
func (n *Net) IDs(k int) []int {
	if k < 0 || k >= len(n.Groups) {
		return nil
	}
	out := make([]int, 0, len(n.Groups[k]))
	for _, s := range n.Groups[k] {
		out = append(out, int(s))
	}
	return out
}

// Describe says what a fault does in a few words: "partition [1] | [2 3]",
// "bridge 1 ✕ 2 via 3", "one-way 1 → [2 3]", "latency 100ms ± 50ms on all
// peer links", "reset 1-2, 2-3", "node 2 crash".
func (f Fault) Describe() string {
	if f.Net == nil {
		node := strconv.Itoa(f.Node)
		if f.Node == 0 && f.Selector != "" {
			node = f.Selector
		}
		return "node " + node + " " + f.Kind
	}
	n := f.Net
	switch f.Kind {
	case experiment.FaultPartition:
		s := "partition " + groupsText(n.Groups)
		if len(n.Clients) > 0 {
			parts := make([]string, len(n.Clients))
			for i, c := range n.Clients {
				parts[i] = fmt.Sprint(c)
			}
			s += "; clients " + strings.Join(parts, " | ")
		}
		return s
	case experiment.FaultBridge:
		return fmt.Sprintf("bridge %s ✕ %s via %s", membersText(n.group(0)), membersText(n.group(1)), n.Via)
	case experiment.FaultOneWay:
		return fmt.Sprintf("one-way %s → %s", membersText(n.group(0)), membersText(n.group(1)))
	case experiment.FaultLatency:
		var parts []string
		if n.Delay > 0 || n.Jitter > 0 {
			d := n.Delay.String()
			if n.Jitter > 0 {
				d += " ± " + n.Jitter.String()
			}
			parts = append(parts, d)
		}
		if n.Bandwidth > 0 {
			parts = append(parts, experiment.Bandwidth(n.Bandwidth).String())
		}
		return "latency " + strings.Join(parts, ", ") + " on " + linksText(n.Links)
	case experiment.FaultReset:
		return "reset " + linksText(n.Links)
	}
	return f.Kind
}

func (n *Net) group(k int) []experiment.NodeSelector {
	if k < len(n.Groups) {
		return n.Groups[k]
	}
	return nil
}

func groupsText(groups [][]experiment.NodeSelector) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = "[" + joinMembers(g) + "]"
	}
	return strings.Join(parts, " | ")
}

// membersText writes one member bare and several in brackets.
func membersText(g []experiment.NodeSelector) string {
	if len(g) == 1 {
		return g[0].String()
	}
	return "[" + joinMembers(g) + "]"
}

func joinMembers(g []experiment.NodeSelector) string {
	parts := make([]string, len(g))
	for i, s := range g {
		parts[i] = s.String()
	}
	return strings.Join(parts, " ")
}

func linksText(links []experiment.LinkSpec) string {
	if len(links) == 0 {
		return "all peer links"
	}
	parts := make([]string, len(links))
	for i, l := range links {
		parts[i] = l.String()
	}
	return strings.Join(parts, ", ")
}

// checkNet is ReadSchedule's check of a network fault's shape.
func checkNet(f Fault) string {
	n := f.Net
	switch {
	case n == nil:
		return fmt.Sprintf("%s fault without its net section", f.Kind)
	case f.Node != 0:
		return fmt.Sprintf("%s fault names node %d", f.Kind, f.Node)
	case f.Kind == experiment.FaultReset && f.For < 0, f.Kind != experiment.FaultReset && f.For <= 0:
		return fmt.Sprintf("duration %v is not valid for a %s", f.For, f.Kind)
	case f.Kind == experiment.FaultPartition && len(n.Groups) < 2,
		(f.Kind == experiment.FaultBridge || f.Kind == experiment.FaultOneWay) && len(n.Groups) != 2:
		return fmt.Sprintf("%s with %d groups", f.Kind, len(n.Groups))
	case f.Kind == experiment.FaultBridge && n.Via == 0:
		return "bridge without via"
	case f.Kind == experiment.FaultLatency && n.Delay <= 0 && n.Jitter <= 0 && n.Bandwidth <= 0:
		return "latency without delay or bandwidth"
	case f.Selector != "" && f.Selector != experiment.CoordinatorName:
		return fmt.Sprintf("unknown selector %q", f.Selector)
	case n.namesCoordinator() && f.Selector != experiment.CoordinatorName:
		return "names the coordinator without its selector"
	}
	return ""
}
