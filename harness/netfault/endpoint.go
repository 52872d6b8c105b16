package netfault

import (
	"cmp"
	"fmt"
	"slices"
)

// Endpoint is one end of the traffic the proxies carry: a node, by its id, or
// a client, by its id (1..Config.Clients).
type Endpoint struct {
	Client bool
	ID     int
}

// Node is the endpoint of node id.
func Node(id int) Endpoint { return Endpoint{ID: id} }

// Client is the endpoint of client id.
func Client(id int) Endpoint { return Endpoint{Client: true, ID: id} }

func (e Endpoint) String() string {
	if e.Client {
		return fmt.Sprintf("client %d", e.ID)
	}
	return fmt.Sprintf("node %d", e.ID)
}

// cmp orders endpoints: nodes before clients, then by id.
func (e Endpoint) cmp(o Endpoint) int {
	if e.Client != o.Client {
		if e.Client {
			return 1
		}
		return -1
	}
	return cmp.Compare(e.ID, o.ID)
}

// Flow is one direction of traffic: the bytes From sends to To, whichever
// connection they travel on.
type Flow struct{ From, To Endpoint }

func (f Flow) String() string { return f.From.String() + " → " + f.To.String() }

// Both returns the two flows between a and b.
func Both(a, b Endpoint) []Flow { return []Flow{{a, b}, {b, a}} }

// pair is an unordered pair of endpoints, smaller first.
type pair struct{ a, b Endpoint }

func pairOf(x, y Endpoint) pair {
	if y.cmp(x) < 0 {
		x, y = y, x
	}
	return pair{x, y}
}

// Dir is a direction on a Link: Up carries what the dialer sends, Down what
// the node answers on the same connection.
type Dir int

const (
	Up   Dir = iota // dialer → node
	Down            // node → dialer
)

func (d Dir) String() string {
	if d == Up {
		return "up"
	}
	return "down"
}

// Link is one proxy: the connections that From dials to node To. Every
// directed peer link i→j and every client link c→j has its own.
type Link struct {
	From Endpoint
	To   int
}

// Flow is the flow that direction d of the link carries.
func (l Link) Flow(d Dir) Flow {
	if d == Up {
		return Flow{l.From, Node(l.To)}
	}
	return Flow{Node(l.To), l.From}
}

func (l Link) String() string { return fmt.Sprintf("%s ⇢ node %d", l.From, l.To) }

// Topology is what the faults are checked against: the node ids and the
// client ids 1..Clients.
type Topology struct {
	Nodes   []int // increasing
	Clients int
}

func (t Topology) has(e Endpoint) bool {
	if e.Client {
		return e.ID >= 1 && e.ID <= t.Clients
	}
	_, ok := slices.BinarySearch(t.Nodes, e.ID)
	return ok
}

// Links lists every proxy of the topology: node i ⇢ j for i ≠ j, then
// client c ⇢ j, in increasing order.
func (t Topology) Links() []Link {
	var out []Link
	for _, i := range t.Nodes {
		for _, j := range t.Nodes {
			if i != j {
				out = append(out, Link{Node(i), j})
			}
		}
	}
	for c := 1; c <= t.Clients; c++ {
		for _, j := range t.Nodes {
			out = append(out, Link{Client(c), j})
		}
	}
	return out
}

// peerFlows lists every node → node flow.
func (t Topology) peerFlows() []Flow {
	var out []Flow
	for _, i := range t.Nodes {
		for _, j := range t.Nodes {
			if i != j {
				out = append(out, Flow{Node(i), Node(j)})
			}
		}
	}
	return out
}

// flows lists every flow a proxy carries: node ↔ node and client ↔ node.
func (t Topology) flows() []Flow {
	out := t.peerFlows()
	for c := 1; c <= t.Clients; c++ {
		for _, j := range t.Nodes {
			out = append(out, Flow{Client(c), Node(j)}, Flow{Node(j), Client(c)})
		}
	}
	return out
}

// checkFlow reports whether a proxy carries f: both ends known, at least one
// a node, not a node to itself.
func (t Topology) checkFlow(f Flow) error {
	for _, e := range []Endpoint{f.From, f.To} {
		if !t.has(e) {
			return fmt.Errorf("%s: %w", e, ErrUnknownNode)
		}
	}
	if f.From == f.To || (f.From.Client && f.To.Client) {
		return fmt.Errorf("flow %s: no proxy carries it", f)
	}
	return nil
}
