package netfault

import (
	"fmt"
	"slices"
	"time"
)

// Gate is what happens to the bytes of one flow. The zero Gate passes them
// at once.
type Gate struct {
	// Hold keeps the bytes: the proxy stops reading them, so the sender's
	// socket buffers fill and it blocks; when Hold ends they are delivered,
	// late and in order. Hold wins over any delay while it lasts.
	Hold bool
	// Delay and Jitter delay every chunk by Delay ± Jitter (uniform, never
	// below zero); chunks are never reordered, so a chunk whose sample is
	// smaller than its predecessor's leaves right after it.
	Delay, Jitter time.Duration
	// Bandwidth paces the flow at this many bytes per second per connection;
	// 0 is unlimited.
	Bandwidth int64
}

// IsPass reports whether the gate lets bytes through untouched.
func (g Gate) IsPass() bool { return g == Gate{} }

// join composes two gates on the same flow: held if either holds, the larger
// delay and jitter, the smaller non-zero bandwidth. It is commutative and
// idempotent, so the order in which overlapping faults were applied does not
// matter and applying a fault twice changes nothing.
func (g Gate) join(o Gate) Gate {
	g.Hold = g.Hold || o.Hold
	g.Delay = max(g.Delay, o.Delay)
	g.Jitter = max(g.Jitter, o.Jitter)
	if g.Bandwidth == 0 || (o.Bandwidth != 0 && o.Bandwidth < g.Bandwidth) {
		g.Bandwidth = o.Bandwidth
	}
	return g
}

// Plan is the state of the network under a set of faults: a Gate for every
// flow and the endpoint pairs whose new connections are refused. It is a
// pure value; the Network turns it into proxy behaviour.
type Plan struct {
	gates   map[Flow]Gate
	refused map[pair]bool
}

// Compute is the plan of topology t under the active faults, in any order.
// It fails on the first fault that does not fit t.
func Compute(t Topology, faults ...Fault) (Plan, error) {
	p := Plan{gates: map[Flow]Gate{}, refused: map[pair]bool{}}
	for _, f := range faults {
		if isNil(f) {
			return Plan{}, fmt.Errorf("nil fault: %w", ErrBadFault)
		}
		if err := f.validate(t); err != nil {
			return Plan{}, err
		}
		f.shape(t, &p)
	}
	return p, nil
}

// Gate is the gate of flow f.
func (p Plan) Gate(f Flow) Gate { return p.gates[f] }

// Gates is the gate of each direction of link l. A one-way cut A→B holds Up
// on A's link to B and Down on B's link to A, because B's answers to A may
// travel on either connection.
func (p Plan) Gates(l Link) (up, down Gate) { return p.gates[l.Flow(Up)], p.gates[l.Flow(Down)] }

// Refused reports whether new connections on l are reset as they arrive.
func (p Plan) Refused(l Link) bool { return p.refused[pairOf(l.From, Node(l.To))] }

// Held lists the held flows, for logs and tests.
func (p Plan) Held() []Flow {
	var out []Flow
	for f, g := range p.gates {
		if g.Hold {
			out = append(out, f)
		}
	}
	sortFlows(out)
	return out
}

func (p *Plan) add(f Flow, g Gate) { p.gates[f] = p.gates[f].join(g) }

func (p *Plan) hold(f Flow) { p.add(f, Gate{Hold: true}) }

func sortFlows(fs []Flow) {
	slices.SortFunc(fs, func(a, b Flow) int {
		if c := a.From.cmp(b.From); c != 0 {
			return c
		}
		return a.To.cmp(b.To)
	})
}
