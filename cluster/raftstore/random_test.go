package raftstore

import (
	"fmt"
	"reflect"
	"testing"

	"stegocloud/cluster/table"
)

// request is one client view, retried with the same id until it has a result.
type request struct {
	op       table.Op
	node     uint64 // where the current attempt waits (0: none)
	gen      int    // in which life of that node
	pid      uint64 // its proposal id there
	retryAt  int    // tick of the next attempt when node is 0
	results  []table.Result
	attempts int
}

// checkGrants is the quota_safety property over a finished run: every
// answer to a request id is the same, an image's granted requests never
// exceed its quota, and its remaining views account for them exactly.
func checkGrants(quota map[string]int, reqs map[string]*request, remaining map[string]int) error {
	granted := map[string]int{}
	for id, r := range reqs {
		if len(r.results) == 0 {
			return fmt.Errorf("request %s never answered", id)
		}
		for _, res := range r.results[1:] {
			if !reflect.DeepEqual(res, r.results[0]) {
				return fmt.Errorf("request %s answered %+v and %+v", id, *r.results[0].View, *res.View)
			}
		}
		if v := r.results[0].View; v != nil && v.Granted {
			granted[r.op.View.Image]++
		}
	}
	for img, q := range quota {
		if granted[img] > q {
			return fmt.Errorf("image %s: %d views granted, quota %d", img, granted[img], q)
		}
		if left, seen := remaining[img]; seen && left != q-granted[img] {
			return fmt.Errorf("image %s: %d granted of %d, but %d remain", img, granted[img], q, left)
		}
	}
	return nil
}

func TestCheckGrantsFails(t *testing.T) {
	mk := func(img string, res ...table.Result) *request {
		return &request{op: view("x", img, 2), results: res}
	}
	g := func(left int) table.Result {
		return table.Result{View: &table.ViewResult{Granted: true, Remaining: left}}
	}
	ex := table.Result{View: &table.ViewResult{Reason: table.ReasonExhausted}}
	quota := map[string]int{"a": 2}
	ok := map[string]*request{"1": mk("a", g(1), g(1)), "2": mk("a", g(0)), "3": mk("a", ex)}
	if err := checkGrants(quota, ok, map[string]int{"a": 0}); err != nil {
		t.Fatalf("a clean run failed: %v", err)
	}
	bad := map[string]map[string]*request{
		"over-grant":    {"1": mk("a", g(1)), "2": mk("a", g(0)), "3": mk("a", g(0))},
		"two answers":   {"1": mk("a", g(1), g(0)), "2": mk("a", ex)},
		"unanswered":    {"1": mk("a")},
		"bad remaining": {"1": mk("a", g(1))},
	}
	for name, reqs := range bad {
		if err := checkGrants(quota, reqs, map[string]int{"a": 0}); err == nil {
			t.Errorf("%s: checkGrants passed", name)
		}
	}
}

// TestRandomFaultsNeverOverGrant runs seeded random schedules on 3 and 5
// stores — random partitions (minority leaders included), lost messages,
// stopped and restarted stores — while clients view images with small
// quotas at random nodes and retry timed-out views with the same id
// elsewhere. Checked: one leader per term and one op per index throughout
// (the sim), then every request answered consistently, no image over its
// quota, exact accounting, and identical tables.
func TestRandomFaultsNeverOverGrant(t *testing.T) {
	seeds := 40
	switch {
	case testing.Short():
		seeds = 8
	case raceEnabled:
		seeds = 20
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { randomSchedule(t, seed) })
	}
}

func randomSchedule(t *testing.T, seed uint64) {
	n := 3 + 2*int(seed%2)
	s := newSim(t, n, seed, false, func(c *Config) { c.SnapshotEvery, c.CatchUpEntries = 40, 10 })
	rng := s.rng
	quota := map[string]int{"img0": 3, "img1": 5, "img2": 8}
	reqs := map[string]*request{}
	stopped := map[uint64]int{} // node → restart tick
	attempt := func(tick int, r *request) {
		for range 3 {
			node := s.ids[rng.IntN(n)]
			if s.st[node] == nil {
				continue
			}
			pid, err := s.st[node].Propose(r.op)
			if err != nil {
				continue
			}
			r.node, r.gen, r.pid = node, s.gen[node], pid
			r.attempts++
			s.process(node)
			return
		}
		r.retryAt = tick + 1 + rng.IntN(5)
	}
	const faultTicks, maxTicks = 400, 2000
	for tick := 0; tick < maxTicks; tick++ {
		if tick < faultTicks && tick%15 == 0 {
			s.chaos(rng.IntN(6), stopped, tick)
		}
		if tick == faultTicks { // the end of faults: heal and restart everyone
			s.heal()
			s.drop = 0
			for id := range stopped {
				s.start(id)
				delete(stopped, id)
			}
		}
		for id, at := range stopped {
			if tick >= at {
				s.start(id)
				delete(stopped, id)
			}
		}
		if tick < faultTicks && rng.IntN(2) == 0 {
			img := fmt.Sprint("img", rng.IntN(3))
			id := fmt.Sprintf("q%d", len(reqs))
			r := &request{op: view(id, img, quota[img])}
			r.op.View.Authorized = rng.IntN(8) != 0
			reqs[id] = r
			attempt(tick, r)
		}
		s.tick()
		pending := 0
		for _, r := range reqs {
			if node := r.node; node != 0 {
				d, ok := s.done[node][r.pid]
				lost := s.st[node] == nil || s.gen[node] != r.gen // its node stopped: the answer is lost
				if ok && !lost {
					delete(s.done[node], r.pid)
					if d.Err == nil {
						r.results = append(r.results, d.Result)
					}
				}
				if ok || lost {
					r.node, r.retryAt = 0, tick+1
				}
			}
			if len(r.results) == 0 {
				pending++
				if r.node == 0 && tick >= r.retryAt {
					attempt(tick, r)
				}
			}
		}
		if tick > faultTicks && pending == 0 {
			break
		}
	}
	s.run(20)
	s.converged()
	remaining := map[string]int{}
	for img := range quota {
		if left, seen := s.st[s.ids[0]].tab.Remaining(img); seen {
			remaining[img] = left
		}
	}
	if err := checkGrants(quota, reqs, remaining); err != nil {
		t.Fatalf("seed %d (%d stores, %d requests): %v", seed, n, len(reqs), err)
	}
	var attempts, twice, snaps int
	for id, r := range reqs {
		attempts += r.attempts
		if len(s.reapplied[id]) > 1 {
			twice++
		}
	}
	for _, id := range s.ids {
		snaps += int(s.st[id].Stats().SnapshotsReceived)
	}
	t.Logf("%d stores: %d requests, %d attempts, %d committed twice (answered by dedup), %d terms with a leader, %d snapshots received, remaining %v",
		n, len(reqs), attempts, twice, len(s.leaders), snaps, remaining)
}

// chaos applies one random network or process fault.
func (s *sim) chaos(kind int, stopped map[uint64]int, tick int) {
	n := len(s.ids)
	switch kind {
	case 0:
		s.heal()
		s.drop = 0
	case 1: // isolate the leader (a minority leader, while it lasts)
		if l := s.leader(); l != 0 {
			s.partition([]uint64{l})
		}
	case 2: // a random split in two
		var a, b []uint64
		for _, id := range s.ids {
			if s.rng.IntN(2) == 0 {
				a = append(a, id)
			} else {
				b = append(b, id)
			}
		}
		s.partition(a, b)
	case 3:
		s.drop = 0.1
	case 4: // stop a node for a while, if a majority stays up
		id := s.ids[s.rng.IntN(n)]
		if s.st[id] != nil && len(stopped) < (n-1)/2 {
			s.stop(id)
			stopped[id] = tick + 5 + s.rng.IntN(40)
		}
	case 5: // a bridge: one node sees both halves (Jepsen's majorities ring)
		mid := s.ids[s.rng.IntN(n)]
		s.partition()
		for i, id := range s.ids {
			s.group[id] = i % 2
		}
		s.bridge = mid
	}
}
