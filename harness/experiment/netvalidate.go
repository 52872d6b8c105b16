package experiment

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// HasNetworkFaults reports whether the experiment can inject a network
// fault: an explicit entry of a network kind, or the random network model
// with a chance above zero (the random models are off with a schedule).
func (e *Experiment) HasNetworkFaults() bool {
	f := &e.Faults
	if len(f.Schedule) > 0 {
		return slices.ContainsFunc(f.Schedule, func(s ScheduledFault) bool { return IsNetworkKind(s.Kind) })
	}
	return f.Network.Kinds.Total() > 0
}

// Proxied reports whether the run puts fault proxies on its links:
// cluster.proxies true, or auto with a network fault to inject.
func (e *Experiment) Proxied() bool {
	switch e.Cluster.Proxies {
	case ToggleOn:
		return true
	case ToggleOff:
		return false
	}
	return e.Cluster.Launch == LaunchLocal && e.HasNetworkFaults()
}

// netFields are the network fields of a schedule entry, the kinds that take
// each, and whether the entry sets it.
var netFields = []struct {
	name  string
	kinds []string
	set   func(s *ScheduledFault) bool
}{
	{"groups", []string{FaultPartition}, func(s *ScheduledFault) bool { return len(s.Groups) > 0 }},
	{"clients", []string{FaultPartition}, func(s *ScheduledFault) bool { return len(s.Clients) > 0 }},
	{"nodes", []string{FaultBridge}, func(s *ScheduledFault) bool { return len(s.Nodes) > 0 }},
	{"via", []string{FaultBridge}, func(s *ScheduledFault) bool { return s.Via != 0 }},
	{"from", []string{FaultOneWay}, func(s *ScheduledFault) bool { return s.From != 0 }},
	{"to", []string{FaultOneWay}, func(s *ScheduledFault) bool { return s.To != 0 }},
	{"delay", []string{FaultLatency}, func(s *ScheduledFault) bool { return s.Delay != 0 }},
	{"jitter", []string{FaultLatency}, func(s *ScheduledFault) bool { return s.Jitter != 0 }},
	{"bandwidth", []string{FaultLatency}, func(s *ScheduledFault) bool { return s.Bandwidth != 0 }},
	{"links", []string{FaultLatency, FaultReset}, func(s *ScheduledFault) bool { return !s.Links.IsZero() }},
}

// rejectForeignFields reports every network field set on an entry whose kind
// does not take it.
func rejectForeignFields(fe *fieldErrors, path, kind string, s *ScheduledFault) {
	for _, f := range netFields {
		if f.set(s) && !slices.Contains(f.kinds, kind) {
			fe.addf(path+"."+f.name, "only for kind: %s, not %s", strings.Join(f.kinds, " or "), kind)
		}
	}
}

// validateNetworkEntry checks one explicit network fault.
func (e *Experiment) validateNetworkEntry(fe *fieldErrors, path string, s *ScheduledFault) {
	nodes := e.Cluster.Nodes
	nonNegative(fe, path+".at", s.At)
	switch {
	case s.Kind == FaultReset:
		nonNegative(fe, path+".for", s.For)
	case s.For == 0:
		fe.addf(path+".for", "required: how long the %s lasts, e.g. for: 4s", s.Kind)
	default:
		positive(fe, path+".for", s.For)
	}
	if s.Node != 0 {
		fe.addf(path+".node", "a %s fault takes no node; %s", s.Kind, netNodesHint[s.Kind])
	}
	rejectForeignFields(fe, path, s.Kind, s)
	switch s.Kind {
	case FaultPartition:
		validateGroups(fe, path, s.Groups, nodes)
		validateClientSides(fe, path, s.Clients, len(s.Groups), e.Workload.ClientGroups)
	case FaultBridge:
		validateBridge(fe, path, s, nodes)
	case FaultOneWay:
		validateOneWay(fe, path, s, nodes)
	case FaultLatency:
		validateDelay(fe, path, s.Delay, s.Jitter, s.Bandwidth, true)
		validateLinks(fe, path+".links", s.Links, nodes)
	case FaultReset:
		validateLinks(fe, path+".links", s.Links, nodes)
	}
}

var netNodesHint = map[string]string{
	FaultPartition: "name its sides in groups, e.g. groups: [[coordinator], [others]]",
	FaultBridge:    "name the two cut nodes in nodes and the bridge in via, e.g. nodes: [1, 2], via: 3",
	FaultOneWay:    "name the ends in from and to",
	FaultLatency:   "name its links, e.g. links: all or links: [1-2]",
	FaultReset:     "name its links, e.g. links: all or links: [1-2]",
}

// members tracks the nodes a network fault names, so that a node named
// twice, a second coordinator or an `others` with nobody left is reported.
type members struct {
	fe          *fieldErrors
	nodes       int
	ids         map[int]string // id → path that named it
	coordinator string         // path that named the coordinator
	others      string         // path that named others
}

// add checks one member at path; allowOthers says whether `others` may
// stand there.
func (m *members) add(path string, s NodeSelector, allowOthers bool) {
	switch {
	case s == SelectCoordinator:
		if m.coordinator != "" {
			m.fe.addf(path, "the coordinator is already named at %s", m.coordinator)
			return
		}
		m.coordinator = path
	case s == SelectOthers:
		switch {
		case !allowOthers:
			m.fe.addf(path, "others names several nodes; here a node id or %s is due", CoordinatorName)
		case m.others != "":
			m.fe.addf(path, "others is already named at %s", m.others)
		default:
			m.others = path
		}
	case s < 1 || int(s) > m.nodes:
		m.fe.addf(path, "must be a node id in 1..%d, %s or %s, got %d", m.nodes, CoordinatorName, OthersName, int(s))
	default:
		if first, dup := m.ids[int(s)]; dup {
			m.fe.addf(path, "node %d is already named at %s", int(s), first)
			return
		}
		m.ids[int(s)] = path
	}
}

// checkOthers reports an `others` that would name no node: every node is
// named elsewhere (counting the coordinator as one more node).
func (m *members) checkOthers() {
	if m.others == "" {
		return
	}
	named := len(m.ids)
	if m.coordinator != "" {
		named++
	}
	if named >= m.nodes {
		m.fe.addf(m.others, "names no node: the fault already names %d of the %d nodes", named, m.nodes)
	}
}

func newMembers(fe *fieldErrors, nodes int) *members {
	return &members{fe: fe, nodes: nodes, ids: map[int]string{}}
}

func validateGroups(fe *fieldErrors, path string, groups [][]NodeSelector, nodes int) {
	if len(groups) < 2 {
		fe.addf(path+".groups", "a partition needs at least two groups, e.g. [[coordinator], [others]] or [[1], [2, 3]]; got %d", len(groups))
		return
	}
	m := newMembers(fe, nodes)
	for k, g := range groups {
		gp := path + ".groups[" + strconv.Itoa(k) + "]"
		if len(g) == 0 {
			fe.addf(gp, "group %d is empty", k+1)
		}
		for j, s := range g {
			if s == SelectOthers && len(g) > 1 {
				fe.addf(gp, "others stands alone in its group: it is every node the other groups do not name")
			}
			m.add(gp+"["+strconv.Itoa(j)+"]", s, true)
		}
	}
	m.checkOthers()
}

func validateClientSides(fe *fieldErrors, path string, sides [][]int, groups, clientGroups int) {
	if len(sides) == 0 {
		return
	}
	if len(sides) > groups {
		fe.addf(path+".clients", "places clients on %d sides, but the partition has %d groups", len(sides), groups)
	}
	seen := map[int]string{}
	for k, side := range sides {
		for j, c := range side {
			cp := path + ".clients[" + strconv.Itoa(k) + "][" + strconv.Itoa(j) + "]"
			switch first, dup := seen[c]; {
			case c < 1 || c > clientGroups:
				fe.addf(cp, "must be a client group in 1..workload.client_groups (%d), got %d", clientGroups, c)
			case dup:
				fe.addf(cp, "client group %d is already placed at %s", c, first)
			default:
				seen[c] = cp
			}
		}
	}
}

func validateBridge(fe *fieldErrors, path string, s *ScheduledFault, nodes int) {
	if nodes < 3 {
		fe.addf(path+".kind", "a bridge needs at least 3 nodes (two cut from each other, one reaching both); cluster.nodes is %d", nodes)
		return
	}
	m := newMembers(fe, nodes)
	if len(s.Nodes) != 2 {
		fe.addf(path+".nodes", "a bridge cuts exactly two nodes from each other, e.g. nodes: [1, 2]; got %d", len(s.Nodes))
	}
	for j, n := range s.Nodes {
		m.add(path+".nodes["+strconv.Itoa(j)+"]", n, false)
	}
	if s.Via == 0 {
		fe.addf(path+".via", "required: the node that still reaches both, e.g. via: 3 or via: %s", CoordinatorName)
		return
	}
	m.add(path+".via", s.Via, false)
}

func validateOneWay(fe *fieldErrors, path string, s *ScheduledFault, nodes int) {
	m := newMembers(fe, nodes)
	for _, end := range []struct {
		name string
		sel  NodeSelector
	}{{"from", s.From}, {"to", s.To}} {
		if end.sel == 0 {
			fe.addf(path+"."+end.name, "required: a node id, %s or %s", CoordinatorName, OthersName)
			continue
		}
		m.add(path+"."+end.name, end.sel, true)
	}
	m.checkOthers()
}

// validateDelay checks a latency's delay, jitter and bandwidth; needed says
// that they must slow something down.
func validateDelay(fe *fieldErrors, path string, d, j time.Duration, bw Bandwidth, needed bool) {
	switch {
	case d < 0:
		fe.addf(path+".delay", "must be ≥ 0, got %v", d)
	case j < 0:
		fe.addf(path+".jitter", "must be ≥ 0, got %v", j)
	case j > d:
		fe.addf(path+".jitter", "must not exceed delay (a chunk waits delay ± jitter, never less than 0)")
	case needed && d == 0 && bw == 0:
		// On the entry, not on delay: a malformed bandwidth is reported
		// on its own, and this one is then pruned as saying nothing new.
		fe.addf(path, "a latency fault needs a delay (and optionally jitter) or a bandwidth, e.g. delay: 100ms")
	}
	if bw < 0 {
		fe.addf(path+".bandwidth", "must be > 0")
	}
}

func validateLinks(fe *fieldErrors, path string, l Links, nodes int) {
	for i, ls := range l.List {
		for _, s := range ls {
			if s > 0 && int(s) > nodes {
				fe.addf(path+"["+strconv.Itoa(i)+"]", "link %s names node %d; node ids are 1..%d", ls, int(s), nodes)
				break
			}
		}
	}
}

// validateNetworkModel checks the random network model.
func (e *Experiment) validateNetworkModel(fe *fieldErrors) {
	n := &e.Faults.Network
	positive(fe, "faults.network.every", n.Every)
	for _, k := range NetworkKinds {
		if p := n.Kinds.Of(k); !(p >= 0 && p <= 1) {
			fe.addf("faults.network.kinds."+k, "must be in 0..1, got %v", p)
		}
	}
	if t := n.Kinds.Total(); t > 1+1e-9 {
		fe.addf("faults.network.kinds", "the chances add up to %v; at most one network fault starts per round, so they must add up to ≤ 1", t)
	}
	switch {
	case n.For.Min <= 0:
		fe.addf("faults.network.for", "min must be > 0, got %v", n.For.Min)
	case n.For.Max < n.For.Min:
		fe.addf("faults.network.for", "min %v is longer than max %v", n.For.Min, n.For.Max)
	}
	validateDelay(fe, "faults.network", n.Delay, n.Jitter, 0, n.Kinds.Latency > 0)
	if n.Kinds.Total() == 0 {
		return
	}
	nodes := e.Cluster.Nodes
	if nodes < 3 && n.Kinds.Bridge > 0 {
		fe.addf("faults.network.kinds.bridge", "a bridge needs at least 3 nodes; cluster.nodes is %d", nodes)
	}
	if nodes < 2 && n.Kinds.Partition+n.Kinds.OneWay > 0 {
		fe.addf("faults.network.kinds", "partitions and one-way cuts need at least 2 nodes; cluster.nodes is %d", nodes)
	}
	if len(e.Faults.Schedule) > 0 {
		fe.addf("faults.network.kinds", "the random models are off with an explicit schedule; list network faults in faults.schedule instead")
	}
}

// validateProxies checks cluster.proxies against the launch mode and the
// faults: network faults need proxies, and only local nodes can be proxied.
func (e *Experiment) validateProxies(fe *fieldErrors) {
	switch {
	case e.Cluster.Proxies == ToggleOn && e.Cluster.Launch != LaunchLocal:
		fe.addf("cluster.proxies", "proxies sit between nodes the harness starts (launch: local), not with launch: %s", e.Cluster.Launch)
	case e.Cluster.Proxies == ToggleOff && e.HasNetworkFaults():
		fe.addf("cluster.proxies", "network faults are injected by the proxies; remove proxies: false or the network faults")
	}
	if g := e.Workload.ClientGroups; g < 1 || g > max(e.Workload.Clients, 1) {
		fe.addf("workload.client_groups", "must be in 1..workload.clients (%d), got %d", e.Workload.Clients, g)
	}
}
