package raftstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"stegocloud/cluster/table"
)

// sim is a deterministic in-memory network of stores, driven tick by tick
// from one goroutine (etcd-io/raft's rafttest style): messages are queued,
// delivered in seeded order, held across a partition (and delivered late on
// heal, as the harness's fault proxy does) or dropped. It checks invariants
// on every step: at most one leader per term, and the same op at the same
// log index on every replica.
type sim struct {
	t      testing.TB
	rng    *rand.Rand
	ids    []uint64
	cfg    func(id uint64) Config
	st     map[uint64]*Store // nil: stopped
	queue  []simMsg
	held   []simMsg
	group  map[uint64]int // partition side per node; nil: connected
	drop   float64        // probability a delivered message is lost
	bridge uint64         // with a partition: this node reaches every side
	gen    map[uint64]int // process lives per node (proposal ids restart with each)

	// lenient turns invariant violations and store failures into a
	// simViolation panic that the test recovers (for runs that inject the
	// anomaly a check must catch), instead of failing the test.
	lenient bool

	leaders leaderLog
	order   applyLog
	done    map[uint64]map[uint64]Done // node → proposal id → Done
	// reapplied: request id → the log indexes it was committed at (more
	// than one: a retry of a committed op, answered by the table's dedup)
	reapplied map[string]map[uint64]bool
	events    map[uint64][]Event
}

type simMsg struct {
	from, to uint64
	data     []byte
}

// newSim opens n stores (ids 1..n) in fresh directories. Without sync they
// still write real files, only skipping fsync.
func newSim(t testing.TB, n int, seed uint64, sync bool, tune func(*Config)) *sim {
	t.Helper()
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	root := t.TempDir()
	s := &sim{t: t, rng: rand.New(rand.NewPCG(seed, 1)), ids: ids, st: map[uint64]*Store{}, gen: map[uint64]int{},
		leaders: leaderLog{}, order: applyLog{}, done: map[uint64]map[uint64]Done{}, reapplied: map[string]map[uint64]bool{}, events: map[uint64][]Event{}}
	s.cfg = func(id uint64) Config {
		c := DefaultConfig(id, ids, filepath.Join(root, fmt.Sprint(id)))
		c.NoSync = !sync
		if tune != nil {
			tune(&c)
		}
		return c
	}
	for _, id := range ids {
		s.start(id)
	}
	t.Cleanup(func() {
		for _, st := range s.st {
			if st != nil {
				st.Close()
			}
		}
	})
	return s
}

func (s *sim) start(id uint64) {
	s.t.Helper()
	st, err := Open(s.cfg(id))
	if err != nil {
		s.fatalf("open store %d: %v", id, err)
	}
	st.onApply = func(index uint64, op table.Op, r table.Result) {
		if op.ID != "" {
			if s.reapplied[op.ID] == nil {
				s.reapplied[op.ID] = map[uint64]bool{}
			}
			s.reapplied[op.ID][index] = true
		}
		if err := s.order.add(id, index, op); err != nil {
			s.fatalf("%v", err)
		}
	}
	s.st[id] = st
	s.gen[id]++
	s.done[id] = map[uint64]Done{}
	s.process(id)
}

// stop closes a store as a crash would (nothing flushed beyond what Process
// wrote); messages to it are lost until it restarts.
func (s *sim) stop(id uint64) {
	s.st[id].Close()
	s.st[id] = nil
}

// process runs Process on one store and routes its output.
func (s *sim) process(id uint64) {
	s.t.Helper()
	st := s.st[id]
	if st == nil {
		return
	}
	out, err := st.Process()
	if err != nil {
		s.fatalf("store %d: Process: %v", id, err)
	}
	for _, m := range out.Messages {
		s.queue = append(s.queue, simMsg{from: id, to: m.To, data: m.Data})
	}
	if s.done[id] == nil {
		s.done[id] = map[uint64]Done{}
	}
	for _, d := range out.Done {
		s.done[id][d.ID] = d
	}
	s.events[id] = append(s.events[id], out.Events...)
	if st.IsLeader() {
		if err := s.leaders.add(st.Term(), id); err != nil {
			s.fatalf("%v", err)
		}
	}
}

func (s *sim) connected(a, b uint64) bool {
	if s.group == nil || a == s.bridge || b == s.bridge {
		return true
	}
	return s.group[a] == s.group[b]
}

// deliverAll delivers queued messages in a seeded random order until the
// network is quiet (messages that replies produce included).
func (s *sim) deliverAll() {
	s.t.Helper()
	for n := 0; len(s.queue) > 0; n++ {
		if n > 1_000_000 {
			s.fatalf("network never went quiet")
		}
		i := s.rng.IntN(len(s.queue))
		m := s.queue[i]
		s.queue = slices.Delete(s.queue, i, i+1)
		switch {
		case s.st[m.to] == nil:
		case !s.connected(m.from, m.to):
			s.held = append(s.held, m)
		case s.drop > 0 && s.rng.Float64() < s.drop:
		default:
			if err := s.st[m.to].Step(m.data); err != nil {
				s.fatalf("store %d: Step from %d: %v", m.to, m.from, err)
			}
			s.process(m.to)
		}
	}
}

// tick advances every running store by one tick and lets the network settle.
func (s *sim) tick() {
	s.t.Helper()
	for _, id := range s.ids {
		if st := s.st[id]; st != nil {
			st.Tick()
			s.process(id)
		}
	}
	s.deliverAll()
}

func (s *sim) run(ticks int) {
	s.t.Helper()
	for range ticks {
		s.tick()
	}
}

// partition splits the nodes into groups; nodes not named are on their own.
func (s *sim) partition(groups ...[]uint64) {
	s.group, s.bridge = map[uint64]int{}, 0
	for _, id := range s.ids {
		s.group[id] = -int(id)
	}
	for g, ids := range groups {
		for _, id := range ids {
			s.group[id] = g + 1
		}
	}
}

// heal reconnects everyone; held messages arrive late.
func (s *sim) heal() {
	s.group, s.bridge = nil, 0
	s.queue = append(s.queue, s.held...)
	s.held = nil
	s.deliverAll()
}

// leader returns the one leader the running connected stores agree on, or 0.
func (s *sim) leader() uint64 {
	var lead uint64
	for _, id := range s.ids {
		if st := s.st[id]; st != nil && st.IsLeader() {
			if lead != 0 {
				return 0
			}
			lead = id
		}
	}
	return lead
}

// waitLeader ticks until a leader is elected (fails after max ticks).
func (s *sim) waitLeader(max int) uint64 {
	s.t.Helper()
	for range max {
		if l := s.leader(); l != 0 {
			return l
		}
		s.tick()
	}
	s.fatalf("no leader after %d ticks", max)
	return 0
}

// do proposes op at node id and runs until its Done arrives.
func (s *sim) do(id uint64, op table.Op) (table.Result, error) {
	s.t.Helper()
	pid, err := s.st[id].Propose(op)
	if err != nil {
		return table.Result{}, err
	}
	s.process(id)
	s.deliverAll()
	for range 1000 {
		if d, ok := s.done[id][pid]; ok {
			return d.Result, d.Err
		}
		s.tick()
	}
	s.fatalf("proposal %d at %d never ended", pid, id)
	return table.Result{}, nil
}

// converged fails unless every running store applied the same index and
// holds the same table.
func (s *sim) converged() {
	s.t.Helper()
	var ref uint64
	var refTab string
	for _, id := range s.ids {
		st := s.st[id]
		if st == nil {
			continue
		}
		if ref == 0 {
			ref, refTab = id, string(st.tab.Snapshot())
			continue
		}
		if a, b := s.st[ref].Applied(), st.Applied(); a != b {
			s.fatalf("store %d applied %d, store %d applied %d", ref, a, id, b)
		}
		if tab := string(st.tab.Snapshot()); tab != refTab {
			s.fatalf("tables differ:\nstore %d: %.300s\nstore %d: %.300s", ref, refTab, id, tab)
		}
	}
}

// simViolation is what a lenient sim panics with.
type simViolation string

func (s *sim) fatalf(format string, args ...any) {
	s.t.Helper()
	if s.lenient {
		panic(simViolation(fmt.Sprintf(format, args...)))
	}
	s.t.Fatalf(format, args...)
}

// catch runs f on a lenient sim and returns the violation it hit, if any.
func (s *sim) catch(f func()) (violation string) {
	s.lenient = true
	defer func() {
		s.lenient = false
		if r := recover(); r != nil {
			v, ok := r.(simViolation)
			if !ok {
				panic(r)
			}
			violation = string(v)
		}
	}()
	f()
	return ""
}

// leaderLog checks Raft's election safety over a whole run: one leader per term.
type leaderLog map[uint64]uint64

func (l leaderLog) add(term, id uint64) error {
	if other, ok := l[term]; ok && other != id {
		return fmt.Errorf("two leaders in term %d: %d and %d", term, other, id)
	}
	l[term] = id
	return nil
}

// applyLog checks that every replica applies the same op at the same index.
type applyLog map[uint64]string

func (l applyLog) add(node, index uint64, op table.Op) error {
	b, _ := json.Marshal(op)
	if prev, ok := l[index]; ok && prev != string(b) {
		return fmt.Errorf("store %d applied %s at index %d, another store applied %s", node, b, index, prev)
	}
	l[index] = string(b)
	return nil
}

func TestSimCheckersFail(t *testing.T) {
	l := leaderLog{}
	if err := l.add(3, 1); err != nil {
		t.Fatal(err)
	}
	if err := l.add(3, 1); err != nil {
		t.Fatalf("the same leader twice in a term: %v", err)
	}
	if err := l.add(3, 2); err == nil {
		t.Fatal("leaderLog accepted two leaders in term 3")
	}
	a := applyLog{}
	if err := a.add(1, 7, view("r", "img", 1)); err != nil {
		t.Fatal(err)
	}
	if err := a.add(2, 7, view("r", "img", 1)); err != nil {
		t.Fatal(err)
	}
	if err := a.add(3, 7, view("s", "img", 1)); err == nil {
		t.Fatal("applyLog accepted two ops at index 7")
	}
}

func view(id, image string, quota int) table.Op {
	return table.Op{ID: id, View: &table.View{Image: image, User: "alice", Quota: quota, Authorized: true}}
}

func register(id, user string) table.Op {
	return table.Op{ID: id, Register: &table.Register{User: user, Addr: user + ":1"}}
}

var online = table.Op{Online: &table.Online{}}

func isTimeout(err error) bool { return errors.Is(err, ErrTimeout) }
