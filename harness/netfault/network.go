package netfault

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"reflect"
	"slices"
	"sync"
	"time"
)

// Config describes the endpoints a Network connects.
type Config struct {
	// Nodes maps each node id (≥ 1) to the address the node really listens on.
	Nodes map[int]string
	// Clients is the number of client endpoints, ids 1..Clients; each gets
	// its own proxy to every node.
	Clients int
	// Host is the address the proxies listen on, each on a free port;
	// default 127.0.0.1.
	Host string
	// Seed seeds the jitter samples.
	Seed uint64
	// DialTimeout bounds a proxy's connect to a node; default 1 s.
	DialTimeout time.Duration
}

// FaultID names an active fault for Remove.
type FaultID uint64

type activeFault struct {
	id FaultID
	f  Fault
}

// Network is the set of proxies between the endpoints of one cluster, and
// the faults active on them. Its methods are safe for concurrent use.
type Network struct {
	topo        Topology
	real        map[int]string
	dialTimeout time.Duration
	proxies     map[Link]*proxy

	ctx    context.Context // cancelled by Close: aborts pending dials
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	active []activeFault
	plan   Plan
	nextID FaultID
	closed bool

	rngMu sync.Mutex
	rng   *rand.Rand
}

// New opens a listener for every link of cfg's topology and starts
// forwarding; no fault is active. Close releases everything.
func New(cfg Config) (*Network, error) {
	topo, err := cfg.topology()
	if err != nil {
		return nil, err
	}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Network{
		topo: topo, real: maps.Clone(cfg.Nodes), dialTimeout: cfg.DialTimeout,
		proxies: map[Link]*proxy{}, ctx: ctx, cancel: cancel,
		plan: Plan{gates: map[Flow]Gate{}, refused: map[pair]bool{}},
		rng:  rand.New(rand.NewPCG(cfg.Seed, 0x6e6574666175)),
	}
	for _, l := range topo.Links() {
		ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, "0"))
		if err != nil {
			_ = n.Close()
			return nil, fmt.Errorf("listen for %s: %w: %w", l, err, ErrBadConfig)
		}
		n.proxies[l] = newProxy(n, l, cfg.Nodes[l.To], ln)
	}
	for _, p := range n.proxies {
		n.wg.Go(p.serve)
	}
	return n, nil
}

func (cfg Config) topology() (Topology, error) {
	if len(cfg.Nodes) == 0 {
		return Topology{}, fmt.Errorf("no nodes: %w", ErrBadConfig)
	}
	if cfg.Clients < 0 {
		return Topology{}, fmt.Errorf("clients %d < 0: %w", cfg.Clients, ErrBadConfig)
	}
	for id, addr := range cfg.Nodes {
		if id < 1 {
			return Topology{}, fmt.Errorf("node id %d < 1: %w", id, ErrBadConfig)
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return Topology{}, fmt.Errorf("node %d address %q: %w: %w", id, addr, err, ErrBadConfig)
		}
	}
	return Topology{Nodes: slices.Sorted(maps.Keys(cfg.Nodes)), Clients: cfg.Clients}, nil
}

// Topology is the nodes and clients the Network was built for.
func (n *Network) Topology() Topology {
	return Topology{Nodes: slices.Clone(n.topo.Nodes), Clients: n.topo.Clients}
}

// PeerAddrs is the --peers map node id must be started with: for every
// other node j the proxy of the link id ⇢ j, for id itself its real address.
func (n *Network) PeerAddrs(id int) (map[int]string, error) {
	if err := n.check(Node(id)); err != nil {
		return nil, err
	}
	out := map[int]string{id: n.real[id]}
	for _, j := range n.topo.Nodes {
		if j != id {
			out[j] = n.proxies[Link{Node(id), j}].addr()
		}
	}
	return out, nil
}

// ClientAddrs is the node address map client c must use: for every node j
// the proxy of the link client c ⇢ j.
func (n *Network) ClientAddrs(c int) (map[int]string, error) {
	if err := n.check(Client(c)); err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, j := range n.topo.Nodes {
		out[j] = n.proxies[Link{Client(c), j}].addr()
	}
	return out, nil
}

func (n *Network) check(e Endpoint) error {
	n.mu.Lock()
	closed := n.closed
	n.mu.Unlock()
	switch {
	case closed:
		return ErrClosed
	case !n.topo.has(e):
		return fmt.Errorf("%s: %w", e, ErrUnknownNode)
	}
	return nil
}

// Apply makes f active, composed with the faults already active, and
// returns its id for Remove. A Reset resets the connections it names at once.
func (n *Network) Apply(f Fault) (FaultID, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return 0, ErrClosed
	}
	all := append(n.faults(), f)
	plan, err := Compute(n.topo, all...)
	if err != nil {
		return 0, err
	}
	n.nextID++
	n.active = append(n.active, activeFault{n.nextID, f})
	n.install(plan)
	if r, ok := f.(interface{ pairs(Topology) []pair }); ok {
		n.reset(r.pairs(n.topo))
	}
	return n.nextID, nil
}

// Remove ends the fault id; bytes it held flow, late and in order.
func (n *Network) Remove(id FaultID) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return ErrClosed
	}
	i := slices.IndexFunc(n.active, func(a activeFault) bool { return a.id == id })
	if i < 0 {
		return fmt.Errorf("fault %d: %w", id, ErrUnknownFault)
	}
	n.active = slices.Delete(n.active, i, i+1)
	plan, err := Compute(n.topo, n.faults()...)
	if err != nil {
		return err // cannot happen: every remaining fault was valid when applied
	}
	n.install(plan)
	return nil
}

// Heal ends every active fault.
func (n *Network) Heal() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return ErrClosed
	}
	n.active = nil
	n.install(Plan{gates: map[Flow]Gate{}, refused: map[pair]bool{}})
	return nil
}

// Plan is the plan in force now.
func (n *Network) Plan() Plan {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.plan
}

// Stats counts every link, in Topology.Links order.
func (n *Network) Stats() []LinkStats {
	out := make([]LinkStats, 0, len(n.proxies))
	for _, l := range n.topo.Links() {
		out = append(out, n.proxies[l].stats())
	}
	return out
}

// Close stops every proxy, resets every connection and waits for every
// goroutine of the Network to end.
func (n *Network) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return ErrClosed
	}
	n.closed = true
	n.mu.Unlock()
	n.cancel()
	for _, p := range n.proxies {
		p.close()
	}
	n.wg.Wait()
	return nil
}

func (n *Network) faults() []Fault {
	out := make([]Fault, 0, len(n.active)+1)
	for _, a := range n.active {
		out = append(out, a.f)
	}
	return out
}

// install pushes plan to every proxy; the caller holds n.mu.
func (n *Network) install(plan Plan) {
	n.plan = plan
	for l, p := range n.proxies {
		up, down := plan.Gates(l)
		p.refused.Store(plan.Refused(l))
		p.dirs[Up].set(up)
		p.dirs[Down].set(down)
	}
}

func (n *Network) reset(pairs []pair) {
	cut := map[pair]bool{}
	for _, pr := range pairs {
		cut[pr] = true
	}
	for l, p := range n.proxies {
		if cut[pairOf(l.From, Node(l.To))] {
			p.resets.Add(int64(p.resetAll()))
		}
	}
}

// sample draws one chunk's delay under g.
func (n *Network) sample(g Gate) time.Duration {
	d := g.Delay
	if g.Jitter > 0 {
		n.rngMu.Lock()
		d += time.Duration(n.rng.Int64N(2*int64(g.Jitter)+1)) - g.Jitter
		n.rngMu.Unlock()
	}
	return max(d, 0)
}

// isNil reports a typed nil pointer inside a Fault, which Compute refuses.
func isNil(f Fault) bool {
	v := reflect.ValueOf(f)
	return f == nil || (v.Kind() == reflect.Pointer && v.IsNil())
}
