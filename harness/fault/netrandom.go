package fault

import (
	"math/rand/v2"
	"slices"
	"time"

	"stegocloud/harness/experiment"
)

// networkFaults draws the random network model's faults (faults.network)
// before horizon, from their own stream of the seed ("netfaults"), so that
// the node faults of the same seed are the ones the model without network
// faults draws. At every `every` one draw picks a kind by its chance (or
// none); a round that comes while the last drawn fault is active is skipped.
//
// What each kind cuts, for n nodes:
//   - partition: a random minority of 1..⌊n/2⌋ nodes from the rest;
//   - bridge: a random node reaching two random halves of the others, which
//     are cut from each other;
//   - one-way: a random node's traffic to every other node held;
//   - latency: delay ± jitter on every peer link;
//   - reset: every peer connection reset once (lasting 0).
func networkFaults(e *experiment.Experiment, horizon time.Duration, seed int64) []Fault {
	m := &e.Faults.Network
	if m.Kinds.Total() == 0 || m.Every <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(uint64(seed), experiment.SubSeed(seed, "netfaults")))
	nodes := e.Cluster.Nodes
	var out []Fault
	busy := time.Duration(0)
	for t := m.Every; t < horizon; t += m.Every {
		if t < busy {
			continue
		}
		kind := pickKind(m.Kinds, rng.Float64())
		if kind == "" {
			continue
		}
		f := Fault{At: t, Kind: kind, Net: randomNet(rng, kind, nodes, m)}
		if kind != experiment.FaultReset {
			f.For = m.For.Min
			if spread := m.For.Max - m.For.Min; spread > 0 {
				f.For += time.Duration(rng.Int64N(int64(spread) + 1))
			}
		}
		busy = f.End()
		out = append(out, f)
	}
	return out
}

// pickKind maps u in [0, 1) onto the kinds' chances, in NetworkKinds order;
// "" when u falls past their sum.
func pickKind(c experiment.NetworkChances, u float64) string {
	acc := 0.0
	for _, k := range experiment.NetworkKinds {
		acc += c.Of(k)
		if u < acc {
			return k
		}
	}
	return ""
}

func randomNet(rng *rand.Rand, kind string, nodes int, m *experiment.NetworkModel) *Net {
	ids := func(xs []int) []experiment.NodeSelector {
		out := make([]experiment.NodeSelector, len(xs))
		for i, x := range xs {
			out[i] = experiment.NodeSelector(x + 1)
		}
		slices.Sort(out)
		return out
	}
	switch kind {
	case experiment.FaultPartition:
		perm := rng.Perm(nodes)
		k := 1 + rng.IntN(max(nodes/2, 1))
		return &Net{Groups: [][]experiment.NodeSelector{ids(perm[:k]), ids(perm[k:])}}
	case experiment.FaultBridge:
		perm := rng.Perm(nodes)
		rest := perm[1:]
		half := len(rest) / 2
		return &Net{Groups: [][]experiment.NodeSelector{ids(rest[:half]), ids(rest[half:])}, Via: experiment.NodeSelector(perm[0] + 1)}
	case experiment.FaultOneWay:
		from := rng.IntN(nodes)
		var to []int
		for i := range nodes {
			if i != from {
				to = append(to, i)
			}
		}
		return &Net{Groups: [][]experiment.NodeSelector{ids([]int{from}), ids(to)}}
	case experiment.FaultLatency:
		return &Net{Delay: m.Delay, Jitter: m.Jitter}
	}
	return &Net{} // reset: every peer link
}
