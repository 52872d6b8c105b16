package raftstore

import (
	"fmt"
	"os"
	"testing"
)

// dirBytes sums the sizes of the files in dir.
func dirBytes(t testing.TB, dir string) int64 {
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, de := range des {
		if fi, err := de.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// TestDiskAndMemoryBounded pushes 100,000 views (20,000 with -short or
// -race) through three stores (real files, fsync off for speed) and checks that snapshots and compaction keep
// each data directory and each in-memory log bounded while the bytes
// written grow with the run.
func TestDiskAndMemoryBounded(t *testing.T) {
	ops := 100_000
	if testing.Short() || raceEnabled {
		ops = 20_000
	}
	const every, catchUp, batch = 10_000, 5_000, 500
	s := newSim(t, 3, 12, false, func(c *Config) { c.SnapshotEvery, c.CatchUpEntries = every, catchUp })
	s.order = nil // 100k ops: skip the per-index op log (the other tests check it)
	for _, st := range s.st {
		st.onApply = nil
	}
	lead := s.waitLeader(100)
	var maxDir int64
	var maxMem uint64
	for done := 0; done < ops; done += batch {
		for i := range batch {
			k := done + i
			if _, err := s.st[lead].Propose(view(fmt.Sprint("r", k), fmt.Sprint("img", k%1000), 1_000_000)); err != nil {
				t.Fatalf("op %d: %v", k, err)
			}
		}
		s.process(lead)
		s.tick()
		for _, id := range s.ids {
			st := s.st[id]
			maxDir = max(maxDir, dirBytes(t, st.cfg.Dir))
			first, _ := st.ms.FirstIndex()
			last, _ := st.ms.LastIndex()
			maxMem = max(maxMem, last-first+1)
		}
	}
	s.run(5)
	s.converged()
	st := s.st[lead]
	if left, _ := st.tab.Remaining("img0"); left != 1_000_000-ops/1000 {
		t.Fatalf("img0 remaining %d, want %d", left, 1_000_000-ops/1000)
	}
	stats := st.Stats()
	snapBytes := int64(len(st.tab.Snapshot()))
	// Bound: one table snapshot plus at most every+batch WAL entries of
	// ~150 bytes, with slack for the snapshot being rewritten.
	bound := 3*snapBytes + int64(every+2*batch)*200
	t.Logf("%d ops: max data dir %d B (bound %d), final %d B, WAL bytes written %d, snapshots %d, WAL rewrites %d, max in-memory entries %d, table snapshot %d B",
		ops, maxDir, bound, dirBytes(t, st.cfg.Dir), stats.WALBytesWritten, stats.SnapshotsCreated, stats.WALRewrites, maxMem, snapBytes)
	if maxDir > bound {
		t.Fatalf("data directory reached %d bytes, bound %d", maxDir, bound)
	}
	if maxMem > every+catchUp+2*batch {
		t.Fatalf("in-memory log reached %d entries, bound %d", maxMem, every+catchUp+2*batch)
	}
	if want := uint64(ops / every); stats.SnapshotsCreated < want || stats.WALRewrites < want {
		t.Fatalf("%d snapshots and %d rewrites for %d ops, want ≥ %d", stats.SnapshotsCreated, stats.WALRewrites, ops, want)
	}
	if ops >= 100_000 && int64(stats.WALBytesWritten) < 3*maxDir {
		t.Fatalf("wrote %d WAL bytes but the directory peaked at %d: the run is too small to show compaction", stats.WALBytesWritten, maxDir)
	}
}
