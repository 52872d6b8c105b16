package raftstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// crash stops a store as a power cut would: bytes it wrote but did not fsync
// may be lost, here a seeded random part of them (possibly mid-record). With
// loseSynced it also loses synced bytes — a disk that lied, which Raft
// cannot survive on a majority (the durability check below must notice).
func (s *sim) crash(id uint64, loseSynced bool) {
	s.t.Helper()
	st := s.st[id]
	seg := filepath.Join(st.cfg.Dir, segmentName(st.wal.seq))
	synced, size := st.wal.synced, st.wal.size
	s.stop(id)
	keep := synced + s.rng.Int64N(size-synced+1)
	if loseSynced {
		keep = s.rng.Int64N(synced/2 + 1)
	}
	if err := os.Truncate(seg, keep); err != nil {
		s.t.Fatal(err)
	}
}

// TestRestartRecovers closes every store and reopens it from its directory:
// term, log and table come back, and the cluster goes on.
func TestRestartRecovers(t *testing.T) {
	s := newSim(t, 3, 10, true, func(c *Config) { c.SnapshotEvery, c.CatchUpEntries = 25, 5 })
	lead := s.waitLeader(100)
	for i := range 60 {
		if _, err := s.do(lead, view(fmt.Sprint("r", i), fmt.Sprint("img", i%3), 50)); err != nil {
			t.Fatal(err)
		}
	}
	s.run(5)
	type state struct {
		term, last, applied uint64
		table               string
	}
	before := map[uint64]state{}
	for _, id := range s.ids {
		st := s.st[id]
		last, _ := st.ms.LastIndex()
		before[id] = state{st.Term(), last, st.Applied(), string(st.tab.Snapshot())}
		s.stop(id)
	}
	for _, id := range s.ids {
		s.start(id) // start runs Process: committed entries after the snapshot are re-applied
		st := s.st[id]
		last, _ := st.ms.LastIndex()
		if got := (state{st.Term(), last, st.Applied(), string(st.tab.Snapshot())}); got != before[id] {
			t.Fatalf("store %d after restart: term %d last %d applied %d, before: term %d last %d applied %d (tables equal: %v)",
				id, got.term, got.last, got.applied, before[id].term, before[id].last, before[id].applied, got.table == before[id].table)
		}
		var rec *Event
		for i, ev := range s.events[id] {
			if ev.Type == EventRecover {
				rec = &s.events[id][i]
			}
		}
		if rec == nil || rec.Term != before[id].term || rec.Snapshot == 0 {
			t.Fatalf("store %d: recover event %+v", id, rec)
		}
	}
	lead = s.waitLeader(100)
	if r, err := s.do(lead, view("after", "img0", 50)); err != nil || !r.View.Granted || r.View.Remaining != 29 {
		t.Fatalf("after restart: %+v %v", r.View, err)
	}
	// Retries of ids granted before the restart are still recognised.
	if r, err := s.do(lead, view("r0", "img0", 50)); err != nil || r.View.Remaining != 49 {
		t.Fatalf("retry after restart: %+v %v", r.View, err)
	}
	s.run(5)
	s.converged()
}

// TestCrashLosesOnlyUnsynced crashes the whole cluster repeatedly, each
// store losing a random part of its unsynced bytes: every op whose result a
// client received survives. The same check, when the crash also eats synced
// bytes on every store, must fail — it can tell.
func TestCrashLosesOnlyUnsynced(t *testing.T) {
	// run returns the acknowledged registrations missing at the end, or the
	// invariant the run broke.
	run := func(t *testing.T, seed uint64, loseSynced bool) (acked int, lost []string, violation string) {
		s := newSim(t, 3, seed, true, func(c *Config) { c.SnapshotEvery, c.CatchUpEntries = 1000, 100 })
		var users []string
		violation = s.catch(func() {
			for round := range 4 {
				lead := s.waitLeader(200)
				for i := range 10 {
					user := fmt.Sprintf("u%d-%d", round, i)
					if _, err := s.do(lead, register(user, user)); err == nil {
						users = append(users, user)
					}
				}
				for _, id := range s.ids {
					s.crash(id, loseSynced)
				}
				for _, id := range s.ids {
					s.start(id)
				}
			}
			lead := s.waitLeader(200)
			id, err := s.st[lead].Read(online)
			if err != nil {
				s.fatalf("read: %v", err)
			}
			s.process(lead)
			s.run(3)
			online := map[string]bool{}
			for _, p := range s.done[lead][id].Result.Peers {
				online[p.User] = true
			}
			for _, u := range users {
				if !online[u] {
					lost = append(lost, u)
				}
			}
		})
		return len(users), lost, violation
	}
	for seed := range uint64(5) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			acked, lost, violation := run(t, 20+seed, false)
			if violation != "" || len(lost) > 0 || acked < 35 {
				t.Fatalf("%d acknowledged, lost after crashes: %v; violation: %s", acked, lost, violation)
			}
		})
	}
	t.Run("lying disk", func(t *testing.T) {
		acked, lost, violation := run(t, 30, true)
		if len(lost) == 0 && violation == "" {
			t.Fatalf("losing synced bytes on every store went unnoticed (%d acknowledged): the checks cannot fail", acked)
		}
		t.Logf("caught: lost %v; violation: %s", lost, violation)
	})
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig(1, []uint64{1, 2, 3}, dir)
	st, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(cfg); !errors.Is(err, ErrLocked) {
		t.Fatalf("second open of a directory in use: %v, want ErrLocked", err)
	}
	st.Close()
	// A bad record before the last segment is corruption.
	os.WriteFile(filepath.Join(dir, segmentName(0)), []byte("not a record"), 0o644)
	if _, err := Open(cfg); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open with a corrupt older segment: %v, want ErrCorrupt", err)
	}
	bad := []func(*Config){
		func(c *Config) { c.ID = 0 },
		func(c *Config) { c.ID = 4 },
		func(c *Config) { c.Peers = []uint64{1, 1, 2} },
		func(c *Config) { c.Dir = "" },
		func(c *Config) { c.ElectionTick, c.HeartbeatTick = 2, 2 },
		func(c *Config) { c.SnapshotEvery, c.CatchUpEntries = 10, 20 },
		func(c *Config) { c.DedupWindow = -1 },
	}
	for i, f := range bad {
		c := DefaultConfig(1, []uint64{1, 2, 3}, t.TempDir())
		f(&c)
		if _, err := Open(c); !errors.Is(err, ErrConfig) {
			t.Errorf("bad config %d: %v, want ErrConfig", i, err)
		}
	}
}

// TestOpenOtherCluster: a directory holding a snapshot of another membership
// is refused.
func TestOpenOtherCluster(t *testing.T) {
	s := newSim(t, 3, 11, false, func(c *Config) { c.SnapshotEvery, c.CatchUpEntries = 5, 1 })
	lead := s.waitLeader(100)
	for i := range 10 {
		s.do(lead, view(fmt.Sprint("r", i), "img", 20))
	}
	dir := s.st[1].cfg.Dir
	s.stop(1)
	if _, err := Open(DefaultConfig(1, []uint64{1, 2, 3, 4, 5}, dir)); !errors.Is(err, ErrConfig) {
		t.Fatalf("open with other peers: %v, want ErrConfig", err)
	}
}
