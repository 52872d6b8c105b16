package analyze

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"stegocloud/cluster"
)

// Decision is one load-balancing decision: the coordinator assigned a request
// to a node, seeing these loads.
type Decision struct {
	At          time.Duration
	Request     string
	Coordinator int
	Node        int
	Loads       []NodeLoad // by node id
}

// NodeLoad is one node's load as a decision saw it.
type NodeLoad struct {
	Node int
	Load float64
}

// String is the seed's format: "Selected Node 2: loads = [(1, 0.75), (2, 0.50), (3, 0.90)]".
func (d Decision) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Selected Node %d: loads = [", d.Node)
	for i, l := range d.Loads {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, %.2f)", l.Node, l.Load)
	}
	b.WriteString("]")
	return b.String()
}

// sampler keeps an evenly spaced sample of assign events in bounded
// memory, without randomness: it keeps every stride-th event and, when it
// holds twice what it must return, drops every other one and doubles the
// stride.
type sampler struct {
	keep   int
	stride int
	n      int
	kept   []Decision
}

func (s *sampler) add(z *Analyzer, e *cluster.Event) {
	if s.stride == 0 {
		s.stride = 1
	}
	if s.n%s.stride == 0 {
		d := Decision{At: z.at(e.Time), Request: e.Request, Coordinator: e.Node, Node: e.Assignee}
		for _, id := range slices.Sorted(maps.Keys(e.Loads)) {
			d.Loads = append(d.Loads, NodeLoad{Node: id, Load: e.Loads[id]})
		}
		s.kept = append(s.kept, d)
	}
	s.n++
	if len(s.kept) >= 2*s.keep {
		half := s.kept[:0]
		for i := 0; i < len(s.kept); i += 2 {
			half = append(half, s.kept[i])
		}
		clear(s.kept[len(half):])
		s.kept, s.stride = half, s.stride*2
	}
}

// result is at most keep decisions spread evenly over the log.
func (s *sampler) result() []Decision {
	if len(s.kept) <= s.keep {
		return s.kept
	}
	out := make([]Decision, s.keep)
	for i := range out {
		out[i] = s.kept[i*len(s.kept)/s.keep]
	}
	return out
}
