package netfault

import (
	"fmt"
	"time"
)

// Fault is one network fault: Partition, Bridge, OneWay, Latency or Reset.
// A fault only describes; Compute turns a set of them into a Plan, and
// Network.Apply makes one active.
type Fault interface {
	// Kind is the fault's name in schedules and logs: "partition", "bridge",
	// "one-way", "latency", "reset".
	Kind() string
	validate(t Topology) error
	shape(t Topology, p *Plan)
}

// Partition splits the nodes into groups: every flow between two nodes of
// different groups is held, both ways. Clients[k] lists the clients placed on
// the side of Groups[k]: a placed client reaches only nodes of its own group
// (and nodes named in no group). Nodes named in no group and clients not
// placed are on no side and reach everybody, as in Jepsen's complete grudge.
type Partition struct {
	Groups  [][]int
	Clients [][]int
}

// Kind is "partition".
func (Partition) Kind() string { return "partition" }

func (f Partition) validate(t Topology) error {
	if len(f.Groups) < 2 {
		return fmt.Errorf("partition: %d groups, want at least 2: %w", len(f.Groups), ErrBadFault)
	}
	if len(f.Clients) > len(f.Groups) {
		return fmt.Errorf("partition: clients on %d sides but %d groups: %w", len(f.Clients), len(f.Groups), ErrBadFault)
	}
	seen := map[Endpoint]bool{}
	check := func(groups [][]int, mk func(int) Endpoint, emptyOK bool) error {
		for k, g := range groups {
			if len(g) == 0 && !emptyOK {
				return fmt.Errorf("partition: group %d is empty: %w", k+1, ErrBadFault)
			}
			if err := checkIDs("partition", t, seen, g, mk); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(f.Groups, Node, false); err != nil {
		return err
	}
	return check(f.Clients, Client, true)
}

func (f Partition) shape(t Topology, p *Plan) {
	side := map[Endpoint]int{}
	for k, g := range f.Groups {
		for _, id := range g {
			side[Node(id)] = k
		}
	}
	for k, g := range f.Clients {
		for _, id := range g {
			side[Client(id)] = k
		}
	}
	for _, fl := range t.flows() {
		a, okA := side[fl.From]
		b, okB := side[fl.To]
		if okA && okB && a != b {
			p.hold(fl)
		}
	}
}

// Bridge cuts the nodes of A from the nodes of B, both ways, while Via
// reaches both sides: Jepsen's bridge, with A = [1], B = [2], Via = 3 on
// three nodes. Nodes named nowhere are not cut either; clients reach all.
type Bridge struct {
	A, B []int
	Via  int
}

// Kind is "bridge".
func (Bridge) Kind() string { return "bridge" }

func (f Bridge) validate(t Topology) error {
	if len(f.A) == 0 || len(f.B) == 0 {
		return fmt.Errorf("bridge: both sides need a node: %w", ErrBadFault)
	}
	seen := map[Endpoint]bool{}
	for _, ids := range [][]int{f.A, f.B, {f.Via}} {
		if err := checkIDs("bridge", t, seen, ids, Node); err != nil {
			return err
		}
	}
	return nil
}

func (f Bridge) shape(_ Topology, p *Plan) {
	for _, a := range f.A {
		for _, b := range f.B {
			p.hold(Flow{Node(a), Node(b)})
			p.hold(Flow{Node(b), Node(a)})
		}
	}
}

// OneWay holds every flow from a node of From to a node of To, while the
// flows back flow: To still hears nothing from From, From still hears To.
// The held bytes are held on both connections of each pair (From's link to
// To, direction Up, and To's link to From, direction Down).
type OneWay struct {
	From, To []int
}

// Kind is "one-way".
func (OneWay) Kind() string { return "one-way" }

func (f OneWay) validate(t Topology) error {
	if len(f.From) == 0 || len(f.To) == 0 {
		return fmt.Errorf("one-way: from and to need a node: %w", ErrBadFault)
	}
	seen := map[Endpoint]bool{}
	for _, ids := range [][]int{f.From, f.To} {
		if err := checkIDs("one-way", t, seen, ids, Node); err != nil {
			return err
		}
	}
	return nil
}

func (f OneWay) shape(_ Topology, p *Plan) {
	for _, a := range f.From {
		for _, b := range f.To {
			p.hold(Flow{Node(a), Node(b)})
		}
	}
}

// Latency delays the chosen flows by Delay ± Jitter and, if Bandwidth > 0,
// paces them at Bandwidth bytes per second per connection. No Flows means
// every node → node flow (the peer links, both ways; not the clients').
type Latency struct {
	Delay, Jitter time.Duration
	Bandwidth     int64
	Flows         []Flow
}

// Kind is "latency".
func (Latency) Kind() string { return "latency" }

func (f Latency) validate(t Topology) error {
	switch {
	case f.Delay < 0 || f.Jitter < 0 || f.Bandwidth < 0:
		return fmt.Errorf("latency: negative delay, jitter or bandwidth: %w", ErrBadFault)
	case f.Delay == 0 && f.Jitter == 0 && f.Bandwidth == 0:
		return fmt.Errorf("latency: no delay, jitter or bandwidth: %w", ErrBadFault)
	}
	return checkFlows("latency", t, f.Flows)
}

func (f Latency) shape(t Topology, p *Plan) {
	flows := f.Flows
	if len(flows) == 0 {
		flows = t.peerFlows()
	}
	for _, fl := range flows {
		p.add(fl, Gate{Delay: f.Delay, Jitter: f.Jitter, Bandwidth: f.Bandwidth})
	}
}

// Reset resets the connections between the ends of each chosen flow (in
// either direction, on either end's proxy) at once, idle ones too: both ends
// see ECONNRESET. While the fault stays active, new connections between them
// are reset as they arrive; remove it at once for a one-shot reset. No Flows
// means every peer link.
type Reset struct {
	Flows []Flow
}

// Kind is "reset".
func (Reset) Kind() string { return "reset" }

func (f Reset) validate(t Topology) error { return checkFlows("reset", t, f.Flows) }

func (f Reset) shape(t Topology, p *Plan) {
	for _, pr := range f.pairs(t) {
		p.refused[pr] = true
	}
}

// pairs is the set of endpoint pairs whose connections the reset cuts.
func (f Reset) pairs(t Topology) []pair {
	flows := f.Flows
	if len(flows) == 0 {
		flows = t.peerFlows()
	}
	out := make([]pair, 0, len(flows))
	for _, fl := range flows {
		out = append(out, pairOf(fl.From, fl.To))
	}
	return out
}

// checkIDs checks that every id is known and named once across the calls
// sharing seen.
func checkIDs(kind string, t Topology, seen map[Endpoint]bool, ids []int, mk func(int) Endpoint) error {
	for _, id := range ids {
		e := mk(id)
		if !t.has(e) {
			return fmt.Errorf("%s: %s: %w: %w", kind, e, ErrUnknownNode, ErrBadFault)
		}
		if seen[e] {
			return fmt.Errorf("%s: %s named twice: %w", kind, e, ErrBadFault)
		}
		seen[e] = true
	}
	return nil
}

func checkFlows(kind string, t Topology, flows []Flow) error {
	for _, fl := range flows {
		if err := t.checkFlow(fl); err != nil {
			return fmt.Errorf("%s: %w: %w", kind, err, ErrBadFault)
		}
	}
	return nil
}
