package cluster

import (
	"testing"
	"time"
)

// bridge cuts nodes a and b from each other; both still reach everyone else.
func bridge(a, b int) func(simMsg) bool {
	return func(m simMsg) bool {
		return m.from == a && m.to == b || m.from == b && m.to == a
	}
}

// bridgeRun runs a 3-node cluster (node 1 coordinator, periodic elections
// every 15s), cuts 1 and 2 from each other for d, heals, and counts the
// elections started during the bridge and in the minute after it.
func bridgeRun(t *testing.T, d time.Duration, seed uint64) (during, after int, s *sim) {
	t.Helper()
	s = newSim(t, 3, seed, func(c *Config) {
		c.LoadBase = map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}[c.ID]
		c.ReelectEvery = 15 * time.Second
	})
	s.advance(time.Second)
	if c, _ := s.mustAgree("before the bridge"); c != 1 {
		t.Fatalf("coordinator %d before the bridge, want 1", c)
	}
	n0 := len(s.eventsOf(EvElectionStart))
	s.drop = bridge(1, 2)
	s.advance(d)
	n1 := len(s.eventsOf(EvElectionStart))
	s.drop = nil
	s.advance(time.Minute)
	n2 := len(s.eventsOf(EvElectionStart))
	return n1 - n0, n2 - n1, s
}

// Under a bridge, each cut node adopts the decision naming the node it
// cannot hear and re-elected at once: 97 elections in 5s (issue 12, defect
// 4). Repeated contested elections are now damped by a randomised
// exponential backoff; after the heal the periodic rate returns.
func TestBridgeElectionsAreDamped(t *testing.T) {
	for _, d := range []time.Duration{5 * time.Second, 20 * time.Second} {
		for seed := uint64(1); seed <= 3; seed++ {
			during, after, s := bridgeRun(t, d, seed)
			t.Logf("bridge %v seed %d: %d elections during, %d in the minute after the heal", d, seed, during, after)
			// The ladder: ElectionTimeout·2^k (randomised in [½,1]), capped at
			// ElectionBackoff, for each of the two cut nodes.
			if limit := 12 + 2*int(d/s.ms[1].cfg.ElectionBackoff); during > limit {
				t.Errorf("bridge %v seed %d: %d elections, want ≤ %d", d, seed, during, limit)
			}
			// The periodic rate: one per 15s, four in the minute (and one
			// more for the timer phase).
			if after > 5 {
				t.Errorf("bridge %v seed %d: %d elections in the minute after the heal, want ≤ 5 (periodic)", d, seed, after)
			}
			s.mustAgree("after the heal")
		}
	}
}
