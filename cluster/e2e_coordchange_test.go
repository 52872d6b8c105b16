package cluster_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/stego"
)

// TestE2ERecoveryElectionKeepsGrants is the harness's quota run with real
// processes: clients view one image without pause while the coordinator
// (node 1, the lowest base load) fails silently for a second, node 2 takes
// over, node 1 recovers, waits its sync delay and wins its recovery
// election. Every grant a client was told must still be spent in the
// table: told grants ≤ quota − the remaining count the last view reports.
// Before the fix node 1 served from the copy it took at its sync and
// granted the views of that window again.
func TestE2ERecoveryElectionKeepsGrants(t *testing.T) {
	bases := map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}
	pc := newProcCluster(t, 3, func(c *cluster.Config) {
		c.LoadBase = bases[c.ID]
		c.SyncDelay = 500 * time.Millisecond
		c.RecoveryElection = true
	})
	pc.startAll()
	if c := pc.waitAgree(10 * time.Second); c != 1 {
		t.Fatalf("coordinator %d, want 1 (the lowest base)", c)
	}
	cl := pc.client(cluster.ClientConfig{Timeout: 2 * time.Second, Retries: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const quota = 100000
	enc, err := cl.Encrypt(ctx, e2eCover(1), stego.Metadata{ID: "quota-1", Usernames: []string{"alice"}, Quota: quota})
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	var (
		mu      sync.Mutex
		granted int
		wg      sync.WaitGroup
	)
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for i := 0; i < 5000; i++ { // bounded; stop ends it first
				select {
				case <-stop:
					return
				default:
				}
				time.Sleep(2 * time.Millisecond) // a steady stream, not a flood of the shared machine
				v, err := cl.View(ctx, enc.Image, "alice")
				if err == nil && v.Granted {
					mu.Lock()
					granted++
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	fctx, fcancel := context.WithTimeout(ctx, time.Second)
	err = pc.ctl.FailFor(fctx, pc.peers[1], time.Second)
	fcancel()
	if err != nil {
		t.Fatalf("FailFor node 1: %v", err)
	}
	time.Sleep(3 * time.Second) // silent 1s, takeover, recovery, 0.5s sync delay, election
	close(stop)
	wg.Wait()
	coord := pc.waitAgree(10 * time.Second)
	last, err := cl.View(ctx, enc.Image, "alice")
	if err != nil || !last.Granted {
		t.Fatalf("the last view: %+v, %v", last, err)
	}
	granted++
	won, syncs := false, map[string]int{}
	for _, e := range pc.events() {
		won = won || e.Type == cluster.EvElectionResult && e.Cause == cluster.CauseRecovery && e.Coordinator == 1
		if e.Type == cluster.EvTableSync {
			syncs[e.Reason]++
		}
	}
	t.Logf("%d grants told, %d left in the table; coordinator %d; node 1 won its recovery election: %v; table_sync by reason %v",
		granted, last.Remaining, coord, won, syncs)
	if spent := quota - last.Remaining; granted > spent {
		t.Fatalf("clients were told %d views granted, the table spent %d: %d grants lost", granted, spent, granted-spent)
	}
}
