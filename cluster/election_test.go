package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestNextEpochIsUniquePerInitiatorAndOrdered(t *testing.T) {
	cases := []struct {
		name string
		term uint64
		id   int
		want uint64
	}{
		{"first election", 0, 3, 1<<8 | 3},
		{"after own epoch", 1<<8 | 3, 3, 2<<8 | 3},
		{"after a higher initiator in the same round", 1<<8 | 9, 2, 2<<8 | 2},
		{"max id", 5<<8 | 1, 255, 6<<8 | 255},
		{"last accepted round", maxRound<<8 | 7, 1, (maxRound+1)<<8 | 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := nextEpoch(c.term, c.id)
			if !ok || got != c.want || got <= c.term || EpochInitiator(got) != c.id {
				t.Errorf("nextEpoch(%d, %d) = %d, %v, want %d (> term, initiator %d)", c.term, c.id, got, ok, c.want, c.id)
			}
		})
	}
	// Past the last round there is no next epoch: it would wrap below term.
	for _, term := range []uint64{(maxRound+1)<<8 | 255, math.MaxUint64} {
		if got, ok := nextEpoch(term, 1); ok {
			t.Errorf("nextEpoch(%d, 1) = %d, true; want no epoch (it would wrap)", term, got)
		}
	}
}

func TestSaneEpochBounds(t *testing.T) {
	m, err := NewMachine(simConfig(1, 3), simEpoch, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.term = 10<<8 | 2
	cases := []struct {
		e    uint64
		want bool
	}{
		{0, true},
		{1<<8 | 3, true},
		{(10+roundWindow)<<8 | 255, true},
		{(11 + roundWindow) << 8, false},
		{math.MaxUint64, false},
	}
	for _, c := range cases {
		if got := m.saneEpoch(c.e); got != c.want {
			t.Errorf("term round 10: saneEpoch(round %d) = %v, want %v", EpochRound(c.e), got, c.want)
		}
	}
	// The ceiling holds whatever the node has seen.
	m.term = maxRound << 8
	if m.saneEpoch((maxRound + 1) << 8) {
		t.Errorf("an epoch past the last round was accepted")
	}
}

func TestStartupElectsLowestLoad(t *testing.T) {
	cases := []struct {
		name  string
		bases map[int]float64
		want  int
	}{
		{"middle id lowest", map[int]float64{1: 0.9, 2: 0.5, 3: 0.7}, 2},
		{"highest id lowest", map[int]float64{1: 0.9, 2: 0.8, 3: 0.1}, 3},
		{"tie goes to lowest id", map[int]float64{1: 0.6, 2: 0.5, 3: 0.5}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, 3, 1, withBases(c.bases))
			s.advance(time.Second)
			coord, _ := s.mustAgree("after startup")
			if coord != c.want {
				t.Errorf("bases %v: coordinator %d, want %d%s", c.bases, coord, c.want, s.describe())
			}
			results := s.eventsOf(EvElectionResult)
			if len(results) != 1 {
				t.Fatalf("bases %v: %d election results, want 1 (one startup election)", c.bases, len(results))
			}
			if got := results[0].Loads; len(got) != 3 || got[c.want] != c.bases[c.want] {
				t.Errorf("result loads %v, want all three with node %d at %v", got, c.want, c.bases[c.want])
			}
		})
	}
}

func TestConcurrentInitiatorsConverge(t *testing.T) {
	for _, first := range []int{1, 3} {
		t.Run(fmt.Sprintf("node %d first", first), func(t *testing.T) {
			s := newSim(t, 3, 2, withBases(map[int]float64{1: 0.7, 2: 0.6, 3: 0.5}))
			s.advance(time.Second)
			s.mustAgree("before")
			before := len(s.eventsOf(EvElectionResult))
			// Two initiators in the same instant, before either hears the other.
			other := 4 - first
			s.ms[first].startElection(s.now, "test")
			s.collect(first)
			s.ms[other].startElection(s.now, "test")
			s.collect(other)
			e1, e3 := s.ms[1].term, s.ms[3].term
			s.deliver()
			coord, epoch := s.mustAgree("after concurrent elections")
			if coord != 3 || epoch != max(e1, e3) {
				t.Errorf("agreed on %d@%d, want 3@%d (the higher epoch wins)%s", coord, epoch, max(e1, e3), s.describe())
			}
			results := s.eventsOf(EvElectionResult)[before:]
			if len(results) != 1 || results[0].Epoch != max(e1, e3) {
				t.Errorf("results %+v, want exactly one, for epoch %d (the lower one abandoned)", results, max(e1, e3))
			}
		})
	}
}

func TestLostRepliesDecideAtTimeout(t *testing.T) {
	s := newSim(t, 3, 3, withBases(map[int]float64{1: 0.5, 2: 0.6, 3: 0.1}))
	s.advance(time.Second)
	s.mustAgree("before")
	// Node 3 stays alive (heartbeats flow) but its election replies are lost.
	s.drop = func(m simMsg) bool { return m.from == 3 && m.msg.Type == MsgOK }
	start := s.now
	s.ms[1].startElection(s.now, "test")
	s.collect(1)
	s.deliver()
	if s.ms[1].ballot == nil {
		t.Fatalf("node 1 decided before its timeout although node 3 did not answer")
	}
	s.advance(s.ms[1].cfg.ElectionTimeout)
	res := s.eventsOf(EvElectionResult)
	last := res[len(res)-1]
	if last.Epoch != s.ms[1].term || last.Coordinator != 1 {
		t.Fatalf("last result %+v, want node 1's epoch %d won by node 1 (node 3's lower load was never heard)", last, s.ms[1].term)
	}
	if _, ok := last.Loads[3]; ok {
		t.Errorf("result loads %v include node 3, whose reply was lost", last.Loads)
	}
	if took := time.Unix(0, last.Time).Sub(start); took < s.ms[1].cfg.ElectionTimeout {
		t.Errorf("decided after %v, want the election timeout %v", took, s.ms[1].cfg.ElectionTimeout)
	}
	s.mustAgree("after")
}

func TestCoordinatorCrashElectsSurvivor(t *testing.T) {
	s := newSim(t, 3, 4, withBases(map[int]float64{1: 0.7, 2: 0.5, 3: 0.6}))
	s.advance(time.Second)
	old, oldEpoch := s.mustAgree("before")
	s.crash(old)
	s.advance(50 * time.Millisecond)
	coord, epoch := s.mustAgree("after crash")
	if coord != 3 || epoch <= oldEpoch {
		t.Errorf("after crash of %d: %d@%d, want 3 at an epoch above %d%s", old, coord, epoch, oldEpoch, s.describe())
	}
	causes := map[string]int{}
	for _, e := range s.eventsOf(EvElectionStart) {
		causes[e.Cause]++
	}
	if causes[CauseCoordinatorLost] == 0 {
		t.Errorf("election causes %v, want %s", causes, CauseCoordinatorLost)
	}
}

func TestSilentCoordinatorSuspectedThenReplaced(t *testing.T) {
	s := newSim(t, 3, 5, withBases(map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}))
	s.advance(time.Second)
	s.mustAgree("before")
	s.ms[1].Fail(s.now)
	s.collect(1)
	failedAt := s.now
	var agreedAt time.Time
	for s.now.Sub(failedAt) < time.Second {
		s.advance(s.tick)
		if c, _, ok := s.agreed(); ok && c == 2 {
			agreedAt = s.now
			break
		}
	}
	if agreedAt.IsZero() {
		t.Fatalf("no agreement on node 2 within 1s of node 1 failing silently%s", s.describe())
	}
	cfg := s.ms[2].cfg
	if took := agreedAt.Sub(failedAt); took <= cfg.SuspectAfter-cfg.Heartbeat || took > cfg.SuspectAfter+cfg.ElectionTimeout {
		t.Errorf("failover took %v, want between suspect-after−heartbeat (%v) and suspect-after+election-timeout (%v)",
			took, cfg.SuspectAfter-cfg.Heartbeat, cfg.SuspectAfter+cfg.ElectionTimeout)
	}
}

func TestInitiatorDiesMidElection(t *testing.T) {
	s := newSim(t, 3, 6, withBases(map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}))
	s.advance(time.Second)
	s.mustAgree("before")
	// Node 3 announces an election and dies before deciding; the connection
	// drop is not noticed (say it was silent).
	s.drop = func(m simMsg) bool { return m.from == 3 && m.msg.Type != MsgElection }
	s.ms[3].startElection(s.now, "test")
	s.collect(3)
	s.deliver()
	s.dead[3] = true
	if s.ms[1].term <= s.ms[1].coordEpoch {
		t.Fatalf("node 1 did not see the election: %s", s.ms[1])
	}
	s.advance(time.Second)
	coord, _ := s.mustAgree("after the initiator died")
	if coord != 1 {
		t.Errorf("coordinator %d, want 1 (lowest load among survivors)%s", coord, s.describe())
	}
}

func TestPausedCoordinatorWakesAndStepsDown(t *testing.T) {
	s := newSim(t, 3, 7, withBases(map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}))
	s.advance(time.Second)
	old, oldEpoch := s.mustAgree("before")
	if old != 1 {
		t.Fatalf("coordinator %d, want 1", old)
	}
	s.pause(1)
	s.advance(time.Second)
	coord, epoch := s.mustAgree("while paused")
	if coord == 1 || epoch <= oldEpoch {
		t.Fatalf("while node 1 is paused: %d@%d, want a survivor above epoch %d", coord, epoch, oldEpoch)
	}
	if !s.ms[1].acting() {
		t.Fatalf("the paused node should still believe it is coordinator: %s", s.ms[1])
	}
	elections := len(s.eventsOf(EvElectionStart))
	s.resume(1)
	s.advance(s.tick)
	if s.ms[1].acting() || s.ms[1].coordEpoch < epoch {
		t.Errorf("woken node did not step down: %s, want to follow epoch ≥ %d", s.ms[1], epoch)
	}
	s.advance(time.Second)
	if got := len(s.eventsOf(EvElectionStart)); got != elections {
		t.Errorf("%d elections after waking, want none: the woken node reads its peers before acting", got-elections)
	}
	if c, _ := s.mustAgree("after waking"); c != coord {
		t.Errorf("after waking: coordinator %d, want %d unchanged", c, coord)
	}
}

func TestStaleMessagesIgnored(t *testing.T) {
	s := newSim(t, 3, 8, nil)
	s.advance(time.Second)
	coord, epoch := s.mustAgree("before")
	m := s.ms[2]
	stale := []Message{
		{Type: MsgElection, From: 3, Epoch: epoch - 1},
		{Type: MsgCoordinator, From: 3, Epoch: epoch - 1, CoordEpoch: epoch - 1, Coordinator: 3},
		{Type: MsgAssign, From: 3, CoordEpoch: epoch - 1, ID: "x", Assignee: 2, Attempt: 1},
		{Type: MsgHeartbeat, From: 3, Epoch: epoch - 1, CoordEpoch: epoch - 1, Coordinator: 3, State: StateActive},
	}
	for _, msg := range stale {
		m.Step(s.now, msg)
		rd := m.Ready()
		if m.coordinator != coord || m.coordEpoch != epoch || m.term != epoch {
			t.Errorf("after stale %s: %s, want %d@%d unchanged", msg.Type, m, coord, epoch)
		}
		for _, env := range rd.Messages {
			if env.Msg.Type == MsgOK || env.Msg.Type == MsgAssign {
				t.Errorf("stale %s answered with %s", msg.Type, env.Msg.Type)
			}
		}
		if len(rd.Serve) > 0 {
			t.Errorf("stale %s made node 2 serve %v", msg.Type, rd.Serve)
		}
	}
}

// TestOneCoordinatorPerEpochUnderChaos drives many seeded runs with lost and
// reordered messages, crashes, pauses and silent failures; the sim fails the
// test the moment two coordinator events name different nodes for one epoch.
// After the faults stop, the live nodes must agree again.
func TestOneCoordinatorPerEpochUnderChaos(t *testing.T) {
	runs := 60
	if testing.Short() {
		runs = 15
	}
	for seed := uint64(1); seed <= uint64(runs); seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		s := newSim(t, 5, seed, func(c *Config) {
			c.LoadBase = 0.1 * float64(c.ID)
			c.ReelectEvery = 700 * time.Millisecond
			c.SyncDelay = 100 * time.Millisecond
		})
		s.shuffle = rand.New(rand.NewPCG(seed, 7))
		s.drop = func(simMsg) bool { return rng.Float64() < 0.1 }
		for step := 0; step < 40; step++ {
			id := 1 + rng.IntN(5)
			switch rng.IntN(6) {
			case 0:
				if !s.dead[id] && !s.paused[id] {
					s.ms[id].Fail(s.now)
					s.collect(id)
				}
			case 1:
				s.ms[id].Recover(s.now)
				s.collect(id)
			case 2:
				if !s.paused[id] {
					s.pause(id)
				} else {
					s.resume(id)
				}
			case 3:
				if !s.dead[id] && len(s.live()) > 2 {
					s.crash(id)
				}
			}
			s.advance(time.Duration(rng.IntN(300)) * time.Millisecond)
		}
		// Calm: no loss, everyone not crashed back up and recovered.
		s.drop = nil
		for _, id := range s.ids {
			if s.paused[id] {
				s.resume(id)
			}
			if !s.dead[id] {
				s.ms[id].Recover(s.now)
				s.collect(id)
			}
		}
		s.advance(3 * time.Second)
		if _, _, ok := s.agreed(); !ok {
			t.Fatalf("seed %d: no agreement 3s after the faults stopped:%s", seed, s.describe())
		}
	}
}

func TestPersistentlySlowTicksStillElect(t *testing.T) {
	// Every tick is late (150ms apart, more than half of suspect-after):
	// the stall guard must not postpone the startup election forever.
	s := newSim(t, 3, 12, nil)
	s.tick = 150 * time.Millisecond
	s.advance(3 * time.Second)
	s.mustAgree("with slow ticks")
}

// The seed's rule lets a recovering node, idle and so the lightest, win
// every recovery election; with Config.ElectionMargin a challenger must beat
// the sitting coordinator's load by more than the margin.
func TestElectionMarginKeepsTheSittingCoordinator(t *testing.T) {
	cases := []struct {
		name   string
		margin float64
		want   int
		reason string
	}{
		{"seed rule", 0, 3, ""},
		{"margin below the difference", 0.05, 3, ""},
		{"margin above the difference", 0.15, 1, "hysteresis"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, 3, 41, func(cfg *Config) {
				cfg.LoadBase = map[int]float64{1: 0.5, 2: 0.7, 3: 0.6}[cfg.ID]
				cfg.ElectionMargin = c.margin
				cfg.Balancer = BalancerCoordinator
			})
			s.serveDelay = 10 * time.Second
			s.advance(time.Second)
			if coord, _ := s.mustAgree("start"); coord != 1 {
				t.Fatalf("coordinator %d at start, want 1", coord)
			}
			s.ms[3].Fail(s.now)
			s.collect(3)
			s.advance(time.Second)
			s.request("r-1", 1, 1, 2)
			s.request("r-2", 1, 1, 2) // node 1 serves both: load 0.7, as node 2's
			s.ms[3].Recover(s.now)
			s.collect(3)
			s.advance(time.Second)
			coord, _ := s.mustAgree("after the recovery")
			res := s.eventsOf(EvElectionResult)
			last := res[len(res)-1]
			if coord != c.want || last.Cause != CauseRecovery || last.Reason != c.reason {
				t.Errorf("margin %v: coordinator %d after %+v, want %d (reason %q)", c.margin, coord, last, c.want, c.reason)
			}
			if last.Loads[1] != 0.7 || last.Loads[3] != 0.6 {
				t.Errorf("loads %v, want node 1 at 0.7 and node 3 at 0.6", last.Loads)
			}
		})
	}
}
