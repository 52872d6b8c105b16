package fault

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"stegocloud/harness/experiment"
)

// Schedule computes a run's faults up front, as a pure function of the
// experiment, the horizon and the seed: same inputs, same schedule.
//
// Periodic model (faults.kind set, no faults.schedule): at every `every` from
// load start (every, 2×every, … before horizon), each node that is up fails
// with `probability`, staying down for a time drawn uniformly from `down`. A
// node counts as up again only after its down time plus sync_delay (the
// seed's Failed → Recovering → Active), and a fault that would leave fewer
// than min_alive nodes up is kept in the schedule with Suppressed set instead
// of being injected.
//
// Explicit schedule: the entries, sorted by time (file order on ties), with
// the same min_alive rule; an entry for a node that is still down is
// suppressed too. `node: coordinator` entries keep Node 0 and Selector set
// until Resolve picks the node at run time.
func Schedule(e *experiment.Experiment, horizon time.Duration, seed int64) ([]Fault, error) {
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("scheduling faults: %w", err)
	}
	if horizon < 0 {
		return nil, fmt.Errorf("scheduling faults: %w: horizon %v < 0", experiment.ErrBadValue, horizon)
	}
	f := &e.Faults
	if len(f.Schedule) > 0 {
		return explicitFaults(f, e.Cluster.Nodes), nil
	}
	out := nodeFaults(e, horizon, seed)
	if net := networkFaults(e, horizon, seed); len(net) > 0 {
		out = append(out, net...)
		slices.SortStableFunc(out, func(a, b Fault) int { return cmp.Compare(a.At, b.At) })
	}
	return out, nil
}

// nodeFaults draws the periodic model of node faults.
func nodeFaults(e *experiment.Experiment, horizon time.Duration, seed int64) []Fault {
	f := &e.Faults
	out := []Fault{}
	if f.Kind == experiment.FaultNone || f.Probability == 0 {
		return out
	}
	rng := rand.New(rand.NewPCG(uint64(seed), experiment.SubSeed(seed, "faults")))
	up := newUptime(e.Cluster.Nodes, f.MinAlive, f.SyncDelay)
	for t := f.Every; t < horizon; t += f.Every {
		for id := 1; id <= e.Cluster.Nodes; id++ {
			if !up.isUp(id, t) || rng.Float64() >= f.Probability {
				continue
			}
			d := f.Down.Min
			if spread := f.Down.Max - f.Down.Min; spread > 0 {
				d += time.Duration(rng.Int64N(int64(spread) + 1))
			}
			out = append(out, up.take(Fault{At: t, Node: id, Kind: f.Kind, For: d}))
		}
	}
	return out
}

func explicitFaults(f *experiment.Faults, nodes int) []Fault {
	entries := slices.Clone(f.Schedule)
	slices.SortStableFunc(entries, func(a, b experiment.ScheduledFault) int { return cmp.Compare(a.At, b.At) })
	up := newUptime(nodes, f.MinAlive, f.SyncDelay)
	out := make([]Fault, 0, len(entries))
	for _, s := range entries {
		fault := Fault{At: s.At, Kind: cmp.Or(s.Kind, f.Kind), For: s.For}
		if fault.IsNetwork() {
			out = append(out, explicitNet(fault, s, nodes))
			continue
		}
		if s.Node == experiment.SelectCoordinator {
			fault.Selector = experiment.CoordinatorName
		} else {
			fault.Node = int(s.Node)
		}
		out = append(out, up.take(fault))
	}
	return out
}

// explicitNet is an explicit network fault as planned: others expanded now
// unless the coordinator is named too (then Resolve does both when the fault
// is due). Network faults take no node down, so min_alive does not apply.
func explicitNet(f Fault, s experiment.ScheduledFault, nodes int) Fault {
	f.Net = netOf(s)
	if f.Net.namesCoordinator() {
		f.Selector = experiment.CoordinatorName
		return f
	}
	if err := f.Net.resolve(0, nodes); err != nil {
		f.Suppressed = err.Error() // validation makes this unreachable
	}
	return f
}

// uptime tracks which nodes are down (or still recovering) so that faults can
// respect min_alive.
type uptime struct {
	minAlive int
	sync     time.Duration
	until    []time.Duration // node id → unavailable before this time
	extra    []time.Duration // ends of coordinator-selected faults (node unknown)
}

func newUptime(nodes, minAlive int, sync time.Duration) *uptime {
	return &uptime{minAlive: minAlive, sync: sync, until: make([]time.Duration, nodes+1)}
}

func (u *uptime) isUp(id int, t time.Duration) bool { return t >= u.until[id] }

func (u *uptime) downAt(t time.Duration) int {
	n := 0
	for id := 1; id < len(u.until); id++ {
		if !u.isUp(id, t) {
			n++
		}
	}
	for _, end := range u.extra {
		if t < end {
			n++
		}
	}
	return n
}

// take marks f's node down unless that breaks min_alive or the node is
// already down, in which case f comes back with Suppressed set.
func (u *uptime) take(f Fault) Fault {
	nodes := len(u.until) - 1
	down := u.downAt(f.At)
	switch {
	case f.Node > 0 && !u.isUp(f.Node, f.At):
		f.Suppressed = fmt.Sprintf("node %d is still down or recovering until %v", f.Node, u.until[f.Node])
	case nodes-down-1 < u.minAlive:
		f.Suppressed = fmt.Sprintf("min_alive %d: %d of %d nodes are already down", u.minAlive, down, nodes)
	case f.Node > 0:
		u.until[f.Node] = f.End() + u.sync
	default:
		u.extra = append(u.extra, f.End()+u.sync)
	}
	return f
}

// Horizon is how long the fault schedule must cover: an open loop's duration;
// for a closed loop, twice the time its clients need at the configured service
// delay (plus 10 ms per request for the real work), at least 30 s, and never
// beyond max_duration.
func Horizon(e *experiment.Experiment) time.Duration {
	w := &e.Workload
	if w.Mode() == experiment.ModeOpen {
		return min(w.Duration, w.MaxDuration)
	}
	perRequest := e.Cluster.Service.Delay + 10*time.Millisecond
	est := 2 * time.Duration(w.RequestsPerClient) * perRequest
	return min(max(est, 30*time.Second), w.MaxDuration)
}

// Resolve fixes the node of a coordinator-selected fault to the node that
// coordinates now, in a cluster of nodes 1..nodes; faults that name their
// nodes come back unchanged. A network fault gets a copy of its Net with the
// coordinator named and `others` expanded; one that then names a node twice
// fails with ErrUnresolvable. The selector stays set so that the record shows
// how the node was chosen.
func Resolve(f Fault, coordinator, nodes int) (Fault, error) {
	if f.Selector == "" {
		return f, nil
	}
	if f.Selector != experiment.CoordinatorName {
		return f, fmt.Errorf("resolving fault at %v: %w: unknown selector %q", f.At, ErrBadSchedule, f.Selector)
	}
	if coordinator < 1 {
		return f, fmt.Errorf("resolving fault at %v: %w", f.At, ErrNoCoordinator)
	}
	if f.Net == nil {
		f.Node = coordinator
		return f, nil
	}
	n := f.Net.clone()
	if err := n.resolve(experiment.NodeSelector(coordinator), nodes); err != nil {
		return f, fmt.Errorf("resolving %s at %v with node %d coordinating: %w: %v", f.Kind, f.At, coordinator, ErrUnresolvable, err)
	}
	f.Net = n
	return f, nil
}
