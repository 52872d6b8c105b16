package raftstore

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkViews measures granted views per second through three in-process
// stores (real files in a temporary directory), with fsync on and off, with
// `conc` closed-loop proposers at the leader, and their latency. b.N is the
// number of views. Ticks every 50 ms, the node's heartbeat.
//
//	go test -run '^$' -bench Views -count 5 ./cluster/raftstore/
func BenchmarkViews(b *testing.B) {
	for _, fsync := range []bool{true, false} {
		for _, conc := range []int{1, 64} {
			name := fmt.Sprintf("fsync=%v/conc=%d", fsync, conc)
			b.Run(name, func(b *testing.B) { benchViews(b, fsync, conc, false, 0) })
		}
	}
	b.Run("fsync=true/conc=64/at-follower", func(b *testing.B) { benchViews(b, true, 64, true, 0) })
	// The snapshot pause: a snapshot every 2,000 entries instead of 10,000.
	b.Run("fsync=true/conc=64/snapshot-every=2000", func(b *testing.B) { benchViews(b, true, 64, false, 2000) })
}

func benchViews(b *testing.B, fsync bool, conc int, atFollower bool, snapEvery uint64) {
	ds := startDrivers(b, 3, b.TempDir(), fsync, 50*time.Millisecond, func(c *Config) {
		if snapEvery > 0 {
			c.SnapshotEvery, c.CatchUpEntries = snapEvery, snapEvery/2
		}
	})
	target := ds[1]
	if atFollower {
		target = ds[2]
	}
	fsync0 := fsyncs(ds)
	var next atomic.Int64
	lat := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	var failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := next.Add(1) - 1
				if k >= int64(b.N) {
					return
				}
				t0 := time.Now()
				r, err := target.do(view(fmt.Sprint("v", k), fmt.Sprint("img", w), b.N+1), false)
				if err != nil || r.View == nil || !r.View.Granted {
					failed.Add(1)
					continue
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d views failed or were refused", f, b.N)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	q := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))]) / 1e6 }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "views/s")
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(fsyncs(ds)-fsync0)/float64(b.N), "fsyncs/view")
	var snaps uint64
	for _, d := range ds {
		snaps += d.Stats().SnapshotsCreated
	}
	b.ReportMetric(float64(snaps), "snapshots")
}

// fsyncs sums the stores' fsync counters.
func fsyncs(ds map[uint64]*driver) uint64 {
	var n uint64
	for _, d := range ds {
		n += d.Stats().Fsyncs
	}
	return n
}

// BenchmarkOnline compares the two linearizable ways to answer online():
// Raft's ReadIndex (no log entry, no fsync; a heartbeat round) and an entry
// through the log (an fsync on a majority), 64 concurrent readers at the
// leader, fsync on, 50 users registered.
func BenchmarkOnline(b *testing.B) {
	for _, mode := range []string{"readindex", "log"} {
		b.Run(mode, func(b *testing.B) {
			ds := startDrivers(b, 3, b.TempDir(), true, 50*time.Millisecond, nil)
			for i := range 50 {
				if _, err := ds[1].do(register(fmt.Sprint("r", i), fmt.Sprint("user", i)), false); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			var failed atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range 64 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						r, err := ds[1].do(online, mode == "readindex")
						if err != nil || len(r.Peers) != 51 {
							failed.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "reads/s")
			if f := failed.Load(); f > 0 {
				b.Fatalf("%d of %d reads failed", f, b.N)
			}
		})
	}
}
