package cluster

import (
	"context"
	"errors"
	"testing"
	"time"

	"stegocloud/cluster/raftstore"
	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// newRaftSim is a sim of n machines with election raft, each over its own
// raft store (fsync on) in a temporary directory.
func newRaftSim(t *testing.T, n int) *sim {
	dir := t.TempDir()
	s := newSim(t, n, 1, func(c *Config) { c.Election, c.StateDir = ElectionRaft, dir })
	for _, id := range s.ids {
		rs, err := OpenRaft(s.ms[id].cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rs.Close() })
		s.ms[id].UseRaft(rs)
		s.collect(id)
	}
	return s
}

// acting returns the nodes that act as coordinator.
func (s *sim) acting() []int {
	var out []int
	for _, id := range s.live() {
		if s.ms[id].acting() {
			out = append(out, id)
		}
	}
	return out
}

// TestRaftSimLeaderCoordinates: with election raft the Raft leader is the
// only acting coordinator (epoch = its term), no Bully election runs, and
// views spend the quota exactly.
func TestRaftSimLeaderCoordinates(t *testing.T) {
	s := newRaftSim(t, 3)
	s.advance(3 * time.Second)
	coord, epoch := s.mustAgree("after startup")
	if got := s.acting(); len(got) != 1 || got[0] != coord {
		t.Fatalf("acting %v, want only the leader %d", got, coord)
	}
	if epoch != s.ms[coord].raft.rs.Term() || !s.ms[coord].raft.rs.IsLeader() {
		t.Fatalf("coordinator %d at epoch %d; its raft term %d, leader %v", coord, epoch,
			s.ms[coord].raft.rs.Term(), s.ms[coord].raft.rs.IsLeader())
	}
	img := stego.Metadata{ID: "img", Usernames: []string{"alice"}, Quota: 1}
	if v := s.viewAnswer("v1", img, "alice"); !v.Granted {
		t.Fatalf("first view %+v, want granted", v)
	}
	if v := s.viewAnswer("v2", img, "alice"); v.Granted || v.Reason != table.ReasonExhausted {
		t.Fatalf("second view %+v, want exhausted", v)
	}
	if n := len(s.eventsOf(EvElectionStart)) + len(s.eventsOf(EvElectionResult)); n != 0 {
		t.Fatalf("%d Bully election events with election raft", n)
	}
}

// TestRaftSimPartitionedLeaderGrantsNothing: the leader cut off from both
// followers stops acting (its lease) before the majority elects a new one,
// and steps down (CheckQuorum); a view sent only to it is not
// answered, the majority elects a new leader (a higher term) and grants
// from the quota; after the heal the minority's view is answered from the
// one table, and the grants never exceed the quota. The seed's store
// grants on both sides (TestPartitionOverGrantsTheQuota).
func TestRaftSimPartitionedLeaderGrantsNothing(t *testing.T) {
	s := newRaftSim(t, 3)
	s.advance(3 * time.Second)
	old, oldEpoch := s.mustAgree("after startup")
	img := stego.Metadata{ID: "img", Usernames: []string{"alice"}, Quota: 2}
	if v := s.viewAnswer("v1", img, "alice"); !v.Granted {
		t.Fatalf("first view %+v, want granted", v)
	}
	s.drop = func(m simMsg) bool { return (m.from == old) != (m.to == old) }
	s.view("v-minority", 1, img, "alice", old)
	for range 300 { // 3 s, never two coordinators acting at once (the lease)
		s.advance(10 * time.Millisecond)
		if a := s.acting(); len(a) > 1 {
			t.Fatalf("at %v (sim time; cut at 3s), nodes %v act as coordinators: %s", s.now.Sub(simEpoch), a, s.describe())
		}
	}
	if len(s.answers["v-minority"]) != 0 {
		t.Fatalf("the cut-off leader answered: %+v", s.answers["v-minority"][0].msg.Result)
	}
	if s.ms[old].acting() {
		t.Fatalf("the cut-off leader %d still acts: %s", old, s.ms[old])
	}
	majority := without(s.ids, old)
	next := s.ms[majority[0]].coordinator
	if next == 0 || next == old || s.ms[majority[1]].coordinator != next || s.ms[next].coordEpoch <= oldEpoch {
		t.Fatalf("the majority follows %d and %d (old leader %d at %d): %s", next, s.ms[majority[1]].coordinator, old, oldEpoch, s.describe())
	}
	if v := s.viewAnswer("v-majority", img, "alice", majority...); !v.Granted || v.Remaining != 0 {
		t.Fatalf("the majority's view %+v, want granted, 0 left", v)
	}
	s.drop = nil
	s.advance(5 * time.Second)
	s.mustAgree("after the heal")
	if as := s.answers["v-minority"]; len(as) > 0 && as[0].msg.Result.View.Granted {
		t.Fatalf("the minority's view was granted after the heal: over the quota of 2")
	}
}

// without returns ids without not.
func without(ids []int, not int) []int {
	var out []int
	for _, id := range ids {
		if id != not {
			out = append(out, id)
		}
	}
	return out
}

// TestRaftNodeWithUnusableDirRefusesToRun: a raft node whose Raft directory
// cannot be opened (held by another store: a second process on the same
// state dir) does not run.
func TestRaftNodeWithUnusableDirRefusesToRun(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Peers = Peers{1: "node1:1"}
	cfg.Election, cfg.StateDir = ElectionRaft, t.TempDir()
	held, err := OpenRaft(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	n, err := NewNode(cfg, NodeOptions{Transport: NewInmemNetwork(), Service: CodecService{Codec: fakeCodec{}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := n.Run(ctx); !errors.Is(err, ErrState) || !errors.Is(err, raftstore.ErrLocked) {
		t.Errorf("Run on a held raft directory: %v, want ErrState and raftstore.ErrLocked", err)
	}
}

// TestRaftSimReplacesALostLeaderEarly: the failure detector's verdict
// starts the election, not Raft's randomised timeout (10–20 heartbeats,
// 500–1000 ms): a crashed leader (its connections break) is replaced within
// a few heartbeats, a silent one after twice suspect-after; each time one
// node campaigns (an election_start, cause coordinator-lost).
func TestRaftSimReplacesALostLeaderEarly(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lose   func(s *sim, id int)
		within time.Duration
	}{
		{"crash", (*sim).crash, 150 * time.Millisecond},
		{"silent", (*sim).pause, 2*DefaultConfig().SuspectAfter + 150*time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newRaftSim(t, 3)
			s.advance(3 * time.Second)
			old, epoch := s.mustAgree("after startup")
			starts := len(s.eventsOf(EvElectionStart))
			tc.lose(s, old)
			lost := s.now
			for {
				s.advance(10 * time.Millisecond)
				if c, e, ok := s.agreed(); ok && c != old && e > epoch {
					break
				}
				if s.now.Sub(lost) > tc.within {
					t.Fatalf("no new leader %v after the leader was lost: %s", tc.within, s.describe())
				}
			}
			if n := len(s.eventsOf(EvElectionStart)) - starts; n != 1 {
				t.Fatalf("%d election_start events, want 1 (one campaign)", n)
			}
		})
	}
}
