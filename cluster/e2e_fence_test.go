package cluster_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/stego"
)

// openLoad sends one request every period, spread over clients, until ctx
// ends or max requests were sent; it returns how many were sent and how many
// failed once every request has ended.
func openLoad(ctx context.Context, t *testing.T, clients []*cluster.Client, period time.Duration, max int) func() (sent, failed int) {
	var wg sync.WaitGroup
	var nsent, nfailed atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(period)
		defer tick.Stop()
		for i := 0; i < max; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			nsent.Add(1)
			wg.Go(func() {
				m := stego.Metadata{Usernames: []string{fmt.Sprintf("u%d", i)}, Quota: i}
				if _, err := clients[i%len(clients)].Encrypt(context.Background(), e2eCover(i), m); err != nil {
					nfailed.Add(1)
				}
			})
		}
	}()
	return func() (int, int) {
		<-done
		wg.Wait()
		return int(nsent.Load()), int(nfailed.Load())
	}
}

// staleAssigns counts the assign and reassign events node wrote in the
// second after it woke with an epoch below the newest decision another node
// followed before it woke (the single-coordinator anomaly of issue 11). Later
// races of a few microseconds between a coordinator and an election it has
// not seen yet are inherent to the protocol and left out.
func staleAssigns(evs []cluster.Event, node int, woke time.Time) (stale, total int) {
	var current uint64
	for _, e := range evs {
		if e.Type == cluster.EvCoordinator && e.Node != node && e.Time < woke.UnixNano() && e.Epoch > current {
			current = e.Epoch
		}
	}
	for _, e := range evs {
		if e.Node != node || e.Time < woke.UnixNano() || e.Time >= woke.Add(time.Second).UnixNano() ||
			(e.Type != cluster.EvAssign && e.Type != cluster.EvReassign) {
			continue
		}
		total++
		if e.Epoch < current {
			stale++
		}
	}
	return stale, total
}

// The SIGSTOP case of issue 11: a coordinator paused under open-loop load
// (here 5 times 1.5s) woke with its old epoch and logged ~40 assigns in it
// while another node already led a newer one. Now it assigns nothing in a
// superseded epoch.
func TestE2EPausedCoordinatorUnderLoadAssignsNothingStale(t *testing.T) {
	// Periodic elections every second give the leadership back to node 1
	// (lowest load) between pauses.
	pc := newProcCluster(t, 3, func(c *cluster.Config) {
		c.LoadBase = map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}[c.ID]
		c.ReelectEvery = time.Second
	})
	pc.startAll()
	pc.waitAgree(10 * time.Second)
	clients := make([]*cluster.Client, 4)
	for i := range clients {
		clients[i] = pc.client(cluster.ClientConfig{Name: fmt.Sprintf("c%d", i), Timeout: 5 * time.Second, Retries: 3})
	}
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	wait := openLoad(ctx, t, clients, 10*time.Millisecond, 2000)
	// The order in which a woken process reads its connections is up to the
	// scheduler: pause the coordinator of the moment several times.
	type wake struct {
		node int
		at   time.Time
	}
	var wakes []wake
	for range 5 {
		time.Sleep(1200 * time.Millisecond)
		coord := pc.waitAgree(10 * time.Second)
		pc.signal(coord, syscall.SIGSTOP)
		time.Sleep(1500 * time.Millisecond)
		pc.signal(coord, syscall.SIGCONT)
		wakes = append(wakes, wake{coord, time.Now()})
	}
	time.Sleep(500 * time.Millisecond)
	stopLoad()
	sent, failed := wait()
	pc.waitAgree(10 * time.Second)
	evs := pc.events()
	checkOneCoordinatorPerEpoch(t, evs)
	for i, w := range wakes {
		stale, total := staleAssigns(evs, w.node, w.at)
		t.Logf("pause %d: node %d woke and assigned %d requests in the next second, %d of them in a superseded epoch", i+1, w.node, total, stale)
		if stale != 0 {
			t.Errorf("pause %d: the woken coordinator %d assigned %d requests in a superseded epoch, want 0", i+1, w.node, stale)
		}
		stalls := 0
		for _, e := range evs {
			if e.Type == cluster.EvStall && e.Node == w.node && e.Time >= w.at.Add(-100*time.Millisecond).UnixNano() &&
				e.Time < w.at.Add(time.Second).UnixNano() {
				stalls++
			}
		}
		// At least the pause itself; a starved machine (CI under load) may
		// stall the process again within the second, which is noticed too.
		if stalls < 1 {
			t.Errorf("pause %d: no stall event by node %d after it woke, want one", i+1, w.node)
		}
	}
	t.Logf("%d requests, %d failed", sent, failed)
	if failed != 0 {
		t.Errorf("%d of %d requests failed", failed, sent)
	}
}
