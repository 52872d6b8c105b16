package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"stegocloud/stego"
)

// sim is a deterministic cluster of Machines for tests: a fake clock, a
// message queue delivered in order (or shuffled by a seeded source), and
// fault switches. Like etcd-io/raft's rafttest network, but message by message.
type sim struct {
	t       testing.TB
	now     time.Time
	tick    time.Duration
	ids     []int
	ms      map[int]*Machine
	queue   []simMsg
	dead    map[int]bool        // crashed: no ticks, no delivery, no output
	paused  map[int]bool        // stopped: no ticks; deliveries wait in held
	held    map[int][]simMsg    // messages for paused nodes
	drop    func(m simMsg) bool // lose a message
	shuffle *rand.Rand          // non-nil: deliver in random order
	events  []Event
	coordOf map[uint64]int // epoch → coordinator named by coordinator events

	serveDelay time.Duration
	serving    []simServe
	served     map[string][]int       // request id → nodes that finished serving it
	orders     map[string][]int       // request id → nodes ordered to serve it
	disk       map[int]HardState      // what each node persisted, for restarts
	writes     map[int]int            // how often each node persisted
	answers    map[string][]simAnswer // request id → table answers sent to its client
}

// simAnswer is a table op's answer a node sent its client.
type simAnswer struct {
	node int
	msg  Message
}

type simMsg struct {
	from, to int
	msg      Message
}

type simServe struct {
	node  int
	id    string
	due   time.Time
	kind  string
	cover []byte
}

var simEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func simConfig(id, n int) Config {
	cfg := DefaultConfig()
	cfg.ID = id
	for i := 1; i <= n; i++ {
		cfg.Peers[i] = fmt.Sprintf("127.0.0.1:%d", 7000+i)
	}
	cfg.ReelectEvery = 0
	return cfg
}

// newSim starts n machines at the same instant; tweak adjusts each config.
func newSim(t testing.TB, n int, seed uint64, tweak func(*Config)) *sim {
	s := &sim{
		t: t, now: simEpoch, tick: 10 * time.Millisecond,
		ms: map[int]*Machine{}, dead: map[int]bool{}, paused: map[int]bool{}, held: map[int][]simMsg{},
		coordOf: map[uint64]int{}, served: map[string][]int{}, orders: map[string][]int{},
		disk: map[int]HardState{}, writes: map[int]int{}, answers: map[string][]simAnswer{},
	}
	for id := 1; id <= n; id++ {
		s.ids = append(s.ids, id)
		cfg := simConfig(id, n)
		if tweak != nil {
			tweak(&cfg)
		}
		m, err := NewMachine(cfg, s.now, rand.New(rand.NewPCG(seed, uint64(id))))
		if err != nil {
			t.Fatalf("NewMachine(node %d): %v", id, err)
		}
		s.ms[id] = m
		s.collect(id)
	}
	return s
}

// collect takes a machine's outputs: events are checked and kept, messages
// queued, serve orders scheduled.
func (s *sim) collect(id int) {
	rd := s.ms[id].Ready()
	if rd.HardState != nil && !s.dead[id] {
		s.disk[id] = *rd.HardState // before its messages go out, as a driver must
		s.writes[id]++
	}
	for _, e := range rd.Events {
		s.events = append(s.events, e)
		if e.Type == EvCoordinator && e.Coordinator != 0 { // 0: a raft node that knows no leader
			if prev, ok := s.coordOf[e.Epoch]; ok && prev != e.Coordinator {
				s.t.Fatalf("two coordinators for epoch %d: %d and %d (node %d)", e.Epoch, prev, e.Coordinator, e.Node)
			}
			s.coordOf[e.Epoch] = e.Coordinator
		}
	}
	if s.dead[id] {
		return
	}
	for _, env := range rd.Messages {
		if env.To != 0 {
			s.queue = append(s.queue, simMsg{from: id, to: env.To, msg: env.Msg})
			continue
		}
		for _, to := range s.ids {
			if to != id {
				s.queue = append(s.queue, simMsg{from: id, to: to, msg: env.Msg})
			}
		}
	}
	if rd.Abandon {
		s.serving = slices.DeleteFunc(s.serving, func(sv simServe) bool { return sv.node == id })
	}
	for _, o := range rd.Serve {
		s.orders[o.ID] = append(s.orders[o.ID], id)
		s.serving = append(s.serving, simServe{node: id, id: o.ID, due: s.now.Add(s.serveDelay), kind: o.Kind, cover: o.Cover})
	}
	for _, a := range rd.Answers {
		s.answers[a.Msg.ID] = append(s.answers[a.Msg.ID], simAnswer{node: id, msg: a.Msg})
	}
}

// deliver empties the queue, including everything sent in reaction.
func (s *sim) deliver() {
	for guard := 0; len(s.queue) > 0; guard++ {
		if guard > 1_000_000 {
			s.t.Fatalf("message storm: %d messages still queued", len(s.queue))
		}
		i := 0
		if s.shuffle != nil {
			i = s.shuffle.IntN(len(s.queue))
		}
		m := s.queue[i]
		s.queue = slices.Delete(s.queue, i, i+1)
		switch {
		case s.dead[m.to], s.drop != nil && s.drop(m):
		case s.paused[m.to]:
			s.held[m.to] = append(s.held[m.to], m)
		default:
			s.ms[m.to].Step(s.now, m.msg)
			s.collect(m.to)
		}
	}
}

// advance moves the clock by d in ticks: each tick finishes due services,
// ticks every running machine and delivers everything.
func (s *sim) advance(d time.Duration) {
	for end := s.now.Add(d); s.now.Before(end); {
		s.now = s.now.Add(s.tick)
		s.finishServes()
		for _, id := range s.ids {
			if !s.dead[id] && !s.paused[id] {
				s.ms[id].Tick(s.now)
				s.collect(id)
			}
		}
		s.deliver()
	}
}

func (s *sim) finishServes() {
	running := s.serving
	s.serving = nil // collect appends the services started in reaction
	for _, sv := range running {
		if sv.due.After(s.now) || s.dead[sv.node] || s.paused[sv.node] {
			s.serving = append(s.serving, sv)
			continue
		}
		s.served[sv.id] = append(s.served[sv.id], sv.node)
		s.ms[sv.node].Served(s.now, sv.id, simServeResult(sv, s.serveDelay))
		s.collect(sv.node)
	}
	s.deliver()
}

// fixedBalancer always picks one node, for tests that need a given assignee.
type fixedBalancer struct{ id int }

func (b fixedBalancer) Pick(cands []Candidate, _ int) int {
	for _, c := range cands {
		if c.ID == b.id {
			return b.id
		}
	}
	return cands[0].ID
}

// crash kills node id; its peers see the connection drop at once.
func (s *sim) crash(id int) {
	s.dead[id] = true
	for _, p := range s.ids {
		if p != id && !s.dead[p] && !s.paused[p] {
			s.ms[p].PeerLost(s.now, id)
			s.collect(p)
		}
	}
	s.deliver()
}

// restart replaces crashed node id with a fresh process of the same
// configuration (tweak may change it) that starts Recovering, restored from
// what the old one persisted.
func (s *sim) restart(id int, seed uint64, tweak func(*Config)) {
	cfg := s.ms[id].cfg
	cfg.StartRecovering = true
	if tweak != nil {
		tweak(&cfg)
	}
	m, err := NewMachine(cfg, s.now, rand.New(rand.NewPCG(seed, uint64(id))))
	if err != nil {
		s.t.Fatalf("restarting node %d: %v", id, err)
	}
	m.Restore(s.disk[id])
	s.ms[id] = m
	s.dead[id] = false
	s.collect(id)
}

func (s *sim) pause(id int) { s.paused[id] = true }

// resume wakes a paused node: it reads what was sent meanwhile, then ticks.
func (s *sim) resume(id int) {
	s.paused[id] = false
	for _, m := range s.held[id] {
		s.ms[id].Step(s.now, m.msg)
		s.collect(id)
	}
	s.held[id] = nil
	s.deliver()
}

// request multicasts a client request to the given nodes (all when none).
func (s *sim) request(id string, attempt int, to ...int) {
	if len(to) == 0 {
		to = s.ids
	}
	meta := stego.Metadata{Usernames: []string{"alice"}, Quota: 3}
	for _, n := range to {
		if s.dead[n] || s.paused[n] {
			continue
		}
		s.ms[n].ClientRequest(s.now, Message{Type: MsgRequest, ID: id, Attempt: attempt, Meta: &meta, Body: []byte("cover")}, n)
		s.collect(n)
	}
	s.deliver()
}

// live returns the ids of nodes neither crashed nor paused.
func (s *sim) live() []int {
	var out []int
	for _, id := range s.ids {
		if !s.dead[id] && !s.paused[id] {
			out = append(out, id)
		}
	}
	return out
}

// agreed returns the coordinator and epoch every live Active node follows,
// or ok=false when they differ.
func (s *sim) agreed() (coord int, epoch uint64, ok bool) {
	first := true
	for _, id := range s.live() {
		m := s.ms[id]
		if m.state != StateActive {
			continue
		}
		if m.term != m.coordEpoch || m.coordinator == 0 {
			return 0, 0, false
		}
		if first {
			coord, epoch, first = m.coordinator, m.coordEpoch, false
		} else if m.coordinator != coord || m.coordEpoch != epoch {
			return 0, 0, false
		}
	}
	return coord, epoch, !first
}

// mustAgree fails unless every live Active node follows the same live coordinator.
func (s *sim) mustAgree(context string) (int, uint64) {
	s.t.Helper()
	c, e, ok := s.agreed()
	if !ok || s.dead[c] {
		s.t.Fatalf("%s: nodes do not agree on a live coordinator: %s", context, s.describe())
	}
	return c, e
}

func (s *sim) describe() string {
	out := ""
	for _, id := range s.ids {
		tag := ""
		if s.dead[id] {
			tag = " (dead)"
		} else if s.paused[id] {
			tag = " (paused)"
		}
		out += "\n  " + s.ms[id].String() + tag
	}
	return out
}

// eventsOf returns the events of one type, in order.
func (s *sim) eventsOf(t EventType) []Event {
	var out []Event
	for _, e := range s.events {
		if e.Type == t {
			out = append(out, e)
		}
	}
	return out
}

// withBases gives each node its own load base.
func withBases(bases map[int]float64) func(*Config) {
	return func(c *Config) { c.LoadBase = bases[c.ID] }
}
