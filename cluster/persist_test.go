package cluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// decidedBy returns the epochs node decided (its election_result events),
// failing the test if it decided one twice.
func decidedBy(t *testing.T, evs []Event, node int) []uint64 {
	t.Helper()
	seen := map[uint64]int{}
	var out []uint64
	for _, e := range evs {
		if e.Type != EvElectionResult || e.Node != node {
			continue
		}
		if prev, ok := seen[e.Epoch]; ok {
			t.Errorf("node %d decided epoch %d twice: for %d, then for %d", node, e.Epoch, prev, e.Coordinator)
		}
		seen[e.Epoch] = e.Coordinator
		out = append(out, e.Epoch)
	}
	return out
}

// Issue 12, defect 6: node 3 decides the first epoch (round 1, won by node
// 1), crashes and restarts while its peers are paused. It cannot sync, goes
// Active with term 0 and, without persistent state, decides round 1 again,
// for itself: two acting coordinators of one epoch. With its state restored
// it elects above everything it ever initiated.
func TestRestartedInitiatorNeverReusesAnEpoch(t *testing.T) {
	s := newSim(t, 3, 31, func(c *Config) {
		c.LoadBase = map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}[c.ID]
		c.StateDir = "sim" // the sim keeps the state in s.disk
	})
	s.ms[3].startElection(s.now, "test")
	s.collect(3)
	s.deliver()
	s.advance(time.Second)
	if c, e := s.mustAgree("before"); c != 1 || EpochInitiator(e) != 3 {
		t.Fatalf("agreed on %d@%d, want node 1 elected by node 3", c, e)
	}
	before := decidedBy(t, s.events, 3)
	if s.disk[3].Epoch < before[len(before)-1] {
		t.Fatalf("node 3 persisted epoch %d, below the %d it decided", s.disk[3].Epoch, before[len(before)-1])
	}
	s.crash(3)
	s.pause(1)
	s.pause(2)
	s.restart(3, 32, nil)
	s.advance(3 * time.Second)
	if !s.ms[3].acting() {
		t.Fatalf("the restarted node 3 did not elect itself alone: %s", s.ms[3])
	}
	s.resume(1)
	s.resume(2)
	s.advance(2 * time.Second)
	after := decidedBy(t, s.events, 3)
	if len(after) <= len(before) {
		t.Fatalf("node 3 decided no election after its restart")
	}
	for _, e := range after[len(before):] {
		if e <= before[len(before)-1] {
			t.Errorf("after the restart node 3 decided epoch %d, not above the %d it decided before", e, before[len(before)-1])
		}
	}
	s.mustAgree("after the peers woke")
}

// The epoch is persisted once per reserveRounds rounds, never per heartbeat,
// and always covers the current term.
func TestPersistenceIsBatched(t *testing.T) {
	s := newSim(t, 3, 33, func(c *Config) { c.StateDir = "sim" })
	s.advance(time.Second)
	const elections = 48
	for i := range elections {
		id := 1 + i%3
		s.ms[id].startElection(s.now, "test")
		s.collect(id)
		s.deliver()
		s.advance(200 * time.Millisecond)
	}
	writes := map[int]int{}
	for id, n := range s.writes {
		writes[id] = n
	}
	s.advance(5 * time.Second) // heartbeats only
	rounds := EpochRound(s.ms[1].term)
	for _, id := range s.ids {
		if got := EpochRound(s.disk[id].Epoch); got < rounds {
			t.Errorf("node %d persisted round %d, below the current %d", id, got, rounds)
		}
		if n := writes[id]; n < 1 || n > int(rounds)/reserveRounds+1 {
			t.Errorf("node %d persisted %d times over %d rounds, want 1..%d", id, n, rounds, int(rounds)/reserveRounds+1)
		}
		if s.writes[id] != writes[id] {
			t.Errorf("node %d persisted %d times during 5s of heartbeats, want 0", id, s.writes[id]-writes[id])
		}
	}
}

func TestHardStateFile(t *testing.T) {
	dir := t.TempDir()
	if hs, err := LoadHardState(dir, 3); err != nil || hs != (HardState{Node: 3}) {
		t.Fatalf("missing file: %+v, %v; want a fresh state", hs, err)
	}
	want := HardState{Node: 3, Epoch: 17<<8 | 0xff}
	for range 2 { // a second save replaces the first
		if err := SaveHardState(dir, want); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := LoadHardState(dir, 3); err != nil || got != want {
		t.Errorf("round trip: %+v, %v; want %+v", got, err, want)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d files in the state dir, want 1 (no temporary left): %v", len(files), files)
	}
	bad := []struct {
		name, content string
		id            int
	}{
		{"corrupt", "{\"node\":3,\"epo", 3},
		{"another node's", `{"node":2,"epoch":5}`, 3},
	}
	for _, c := range bad {
		if err := os.WriteFile(StatePath(dir, c.id), []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadHardState(dir, c.id); !errors.Is(err, ErrState) {
			t.Errorf("%s file: error %v, want ErrState (starting from zero could reuse epochs)", c.name, err)
		}
	}
	if err := SaveHardState(filepath.Join(dir, "missing"), want); !errors.Is(err, ErrState) {
		t.Errorf("saving into a missing directory: %v, want ErrState", err)
	}
}

// The driver restores the state at start and persists it before the epoch
// it covers goes out; a state dir it cannot use stops the node.
func TestNodePersistsAndRestoresTheEpoch(t *testing.T) {
	dirs := map[int]string{}
	tc := newTestCluster(t, 3, func(c *Config) {
		if dirs[c.ID] == "" {
			dirs[c.ID] = t.TempDir()
		}
		c.StateDir = dirs[c.ID]
	})
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	var highest uint64
	for _, id := range tc.peers.IDs() {
		for _, e := range tc.logs[id].events(t) {
			if e.Type == EvElectionStart && e.Epoch > highest {
				highest = e.Epoch
			}
		}
	}
	for _, id := range tc.peers.IDs() {
		hs, err := LoadHardState(dirs[id], id)
		if err != nil || hs.Epoch < highest {
			t.Errorf("node %d state %+v, %v; want an epoch ≥ %d, the highest started", id, hs, err, highest)
		}
	}
	// Restart node 3 while its peers cannot answer its sync: it elects alone,
	// above what it persisted.
	tc.stop(3)
	persisted, _ := LoadHardState(dirs[3], 3)
	for _, id := range []int{1, 2} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if err := tc.ctl.FailFor(ctx, tc.peers[id], 3*time.Second); err != nil {
			t.Fatal(err)
		}
		cancel()
	}
	cfg := tc.cfgs[3]
	cfg.StartRecovering = true
	tc.cfgs[3] = cfg
	tc.logs[3] = &syncBuffer{}
	tc.start(3)
	deadline := time.Now().Add(5 * time.Second)
	var started []uint64
	for len(started) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		for _, e := range tc.logs[3].events(t) {
			if e.Type == EvElectionStart {
				started = append(started, e.Epoch)
			}
		}
	}
	if len(started) == 0 {
		t.Fatalf("the restarted node 3 started no election within 5s")
	}
	if started[0] <= persisted.Epoch {
		t.Errorf("restarted node 3 elected at epoch %d, not above its persisted %d", started[0], persisted.Epoch)
	}
	tc.waitAgree(10 * time.Second)
}

func TestNodeWithUnusableStateDirRefusesToRun(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Peers = Peers{1: "node1:1"}
	cfg.StateDir = file
	n, err := NewNode(cfg, NodeOptions{Transport: NewInmemNetwork(), Service: CodecService{Codec: fakeCodec{}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := n.Run(ctx); !errors.Is(err, ErrState) {
		t.Errorf("Run with a file as state dir: %v, want ErrState", err)
	}
}
