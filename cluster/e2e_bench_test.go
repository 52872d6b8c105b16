package cluster_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/stego"
)

// BenchmarkE2EViews measures granted views on 3 real node processes, with
// the seed's coordinator store (election=bully) and with the Raft store
// (election=raft: every view through the log, fsync on), in the same run:
// closed-loop clients, each with its own connections, view small images
// (32×24 PNGs, real reveal) whose quota never runs out. It reports granted
// views/s and the latency percentiles; run it with a fixed count, since
// each run starts a cluster:
//
//	go test -run '^$' -bench E2EViews -benchtime 4000x -count 5 ./cluster/
func BenchmarkE2EViews(b *testing.B) {
	for _, clients := range []int{8, 32} {
		for _, election := range []string{cluster.ElectionBully, cluster.ElectionRaft} {
			b.Run(fmt.Sprintf("clients=%d/election=%s", clients, election), func(b *testing.B) {
				benchViews(b, clients, election)
			})
		}
	}
}

func benchViews(b *testing.B, clients int, election string) {
	dir := b.TempDir()
	pc := newProcCluster(b, 3, func(c *cluster.Config) {
		c.Election = election
		if election == cluster.ElectionRaft {
			c.StateDir = dir
		}
	})
	pc.startAll()
	pc.waitAgree(10 * time.Second)
	ctx := context.Background()
	cls := make([]*cluster.Client, clients)
	for i := range cls {
		cls[i] = pc.client(cluster.ClientConfig{Timeout: 5 * time.Second, Retries: 2, Name: fmt.Sprint("b", i)})
	}
	images := make([][]byte, 16)
	for i := range images {
		r, err := cls[0].Encrypt(ctx, e2eCover(i), stego.Metadata{ID: fmt.Sprint("bench-", i), Usernames: []string{"alice"}, Quota: 1 << 30})
		if err != nil {
			b.Fatalf("Encrypt: %v", err)
		}
		images[i] = r.Image
	}
	var next, granted, failed atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range clients {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				t0 := time.Now()
				v, err := cls[w].View(ctx, images[int(i)%len(images)], "alice")
				switch {
				case err != nil:
					failed.Add(1)
				case v.Granted:
					granted.Add(1)
					lat[w] = append(lat[w], time.Since(t0))
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() > 0 || granted.Load() != int64(b.N) {
		b.Fatalf("%d of %d views granted, %d failed", granted.Load(), b.N, failed.Load())
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(granted.Load())/elapsed.Seconds(), "views/s")
	b.ReportMetric(float64(percentile(all, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(all, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
	suspects := 0
	for _, e := range pc.events() {
		if e.Type == cluster.EvSuspect && e.Time >= start.UnixNano() {
			suspects++
		}
	}
	b.ReportMetric(float64(suspects), "suspects") // a loaded machine makes peers miss heartbeats
	if election == cluster.ElectionRaft {
		var fsyncs, timeouts int64
		for _, st := range pc.statuses() {
			fsyncs += st.Counters["raft.fsyncs"]
			timeouts += st.Counters["raft.timeouts"]
		}
		b.ReportMetric(float64(fsyncs)/float64(b.N), "fsyncs/view") // every node's, setup included
		b.ReportMetric(float64(timeouts), "raft-timeouts")
	}
}
