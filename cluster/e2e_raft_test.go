package cluster_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// newRaftCluster is a procCluster of n nodes with election raft, their
// state (and Raft logs) under one state directory.
func newRaftCluster(t testing.TB, n int) *procCluster {
	dir := t.TempDir()
	return newProcCluster(t, n, func(c *cluster.Config) {
		c.Election = cluster.ElectionRaft
		c.StateDir = filepath.Join(dir, "state")
	})
}

// raftView views img as alice and checks the result.
func raftView(t *testing.T, cl *cluster.Client, img []byte, what string, want table.ViewResult) cluster.ViewResult {
	t.Helper()
	v, err := cl.View(context.Background(), img, "alice")
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if got := (table.ViewResult{Granted: v.Granted, Remaining: v.Remaining, Reason: v.Reason}); got != want {
		t.Fatalf("%s = %+v, want %+v", what, got, want)
	}
	return v
}

func raftImage(t *testing.T, cl *cluster.Client, id string, quota int) []byte {
	t.Helper()
	enc, err := cl.Encrypt(context.Background(), e2eCover(1), stego.Metadata{ID: id, Usernames: []string{"alice"}, Quota: quota})
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	return enc.Image
}

// TestE2ERaftViews: three raft nodes agree on the Raft leader as
// coordinator (epoch = term), an image's quota is spent exactly, the leader
// applies every view, and no Bully election message or event appears.
func TestE2ERaftViews(t *testing.T) {
	pc := newRaftCluster(t, 3)
	pc.startAll()
	coord := pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 3 * time.Second, Retries: 2})
	img := raftImage(t, cl, "raft-views-1", 2)
	for i, w := range []table.ViewResult{{Granted: true, Remaining: 1}, {Granted: true}, {Reason: table.ReasonExhausted}} {
		v := raftView(t, cl, img, fmt.Sprint("view ", i+1), w)
		if v.Applier != coord {
			t.Fatalf("view %d applied by node %d, the leader is %d", i+1, v.Applier, coord)
		}
	}
	sts := pc.statuses()
	if !sts[coord].IsCoordinator || sts[coord].Table.Seq == 0 {
		t.Fatalf("leader %d's status %+v: not acting, or nothing applied", coord, sts[coord])
	}
	evs := pc.events()
	checkOneCoordinatorPerEpoch(t, evs)
	count := map[cluster.EventType]int{}
	for _, e := range evs {
		count[e.Type]++
	}
	if count[cluster.EvElectionStart]+count[cluster.EvElectionResult] != 0 || count[cluster.EvCoordinator] == 0 ||
		count[cluster.EvRaftLeader] == 0 || count[cluster.EvTableAnswer] != 3 {
		t.Fatalf("events %v: want no Bully election, coordinator and raft_leader events, 3 answers", count)
	}
	proposed := int64(0)
	for id, st := range sts {
		if n := st.Counters["sent.election"] + st.Counters["sent.coordinator"]; n != 0 || st.Counters["sent.raft"] == 0 {
			t.Fatalf("node %d sent %d election frames and %d raft frames", id, n, st.Counters["sent.raft"])
		}
		if st.Counters["raft.fsyncs"] == 0 || st.Counters["raft.applied"] < 3 {
			t.Fatalf("node %d's raft counters %v: no fsync, or fewer than the 3 views applied", id, st.Counters)
		}
		proposed += st.Counters["raft.proposed"]
	}
	if proposed < 3 {
		t.Fatalf("%d proposals for 3 views", proposed)
	}
}

// TestE2ERaftRestartFromDisk: every node is killed with SIGKILL and
// restarted; the table (an exhausted quota) and the term come back from
// the Raft logs on disk. The seed's store would restart empty and grant
// the views again.
func TestE2ERaftRestartFromDisk(t *testing.T) {
	pc := newRaftCluster(t, 3)
	pc.startAll()
	pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 3 * time.Second, Retries: 2})
	img := raftImage(t, cl, "raft-restart-1", 1)
	raftView(t, cl, img, "the first view", table.ViewResult{Granted: true})
	before := pc.statuses()
	for _, id := range pc.peers.IDs() {
		pc.kill(id)
	}
	pc.startAll()
	coord := pc.waitAgree(15 * time.Second)
	after := pc.statuses()
	for id, st := range after {
		if st.Epoch < before[id].Epoch || st.Table.Seq < before[id].Table.Seq {
			t.Fatalf("node %d restarted at term %d, applied %d; before the kill term %d, applied %d",
				id, st.Epoch, st.Table.Seq, before[id].Epoch, before[id].Table.Seq)
		}
	}
	v := raftView(t, cl, img, "the view after the restart", table.ViewResult{Reason: table.ReasonExhausted})
	if v.Applier != coord {
		t.Fatalf("view applied by %d, leader %d", v.Applier, coord)
	}
	recovered := 0
	for _, e := range pc.events() {
		if e.Type == cluster.EvRaftRecover && e.Seq > 0 {
			recovered++
		}
	}
	if recovered != 3 {
		t.Fatalf("%d raft_recover events with a log, want 3 (one per restart)", recovered)
	}
}

// TestE2ERaftFiveNodesTwoCrashed: a five-node raft cluster keeps serving
// views, quota exact, with two nodes (the leader among them) killed.
func TestE2ERaftFiveNodesTwoCrashed(t *testing.T) {
	pc := newRaftCluster(t, 5)
	pc.startAll()
	coord := pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 3 * time.Second, Retries: 3})
	img := raftImage(t, cl, "raft-five-1", 3)
	raftView(t, cl, img, "view 1", table.ViewResult{Granted: true, Remaining: 2})
	other := coord%5 + 1
	pc.kill(coord)
	pc.kill(other)
	next := pc.waitAgree(15 * time.Second)
	if next == coord || next == other {
		t.Fatalf("a dead node %d leads", next)
	}
	raftView(t, cl, img, "view 2", table.ViewResult{Granted: true, Remaining: 1})
	raftView(t, cl, img, "view 3", table.ViewResult{Granted: true})
	raftView(t, cl, img, "view 4", table.ViewResult{Reason: table.ReasonExhausted})
	checkOneCoordinatorPerEpoch(t, pc.events())
}

// TestE2ERaftIsolatedLeaderGrantsNothing: the leader's followers are
// stopped (SIGSTOP: the leader is cut off from a quorum, like a minority
// side of a partition); a view sent to it is not granted, and the leader
// steps down (CheckQuorum). After SIGCONT the cluster serves again and the
// quota is still exact.
func TestE2ERaftIsolatedLeaderGrantsNothing(t *testing.T) {
	pc := newRaftCluster(t, 3)
	pc.startAll()
	coord := pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 3 * time.Second, Retries: 2})
	img := raftImage(t, cl, "raft-isolated-1", 2)
	raftView(t, cl, img, "view 1", table.ViewResult{Granted: true, Remaining: 1})
	followers := others(pc.peers.IDs(), coord)
	for _, id := range followers {
		pc.signal(id, syscall.SIGSTOP)
	}
	short := pc.client(cluster.ClientConfig{Timeout: 500 * time.Millisecond, Retries: 1})
	if v, err := short.View(context.Background(), img, "alice"); err == nil {
		t.Fatalf("the isolated leader answered a view: %+v", v)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := pc.status(coord)
		if err == nil && !st.IsCoordinator {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the isolated leader still acts: %+v (%v)", st, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, id := range followers {
		pc.signal(id, syscall.SIGCONT)
	}
	pc.waitAgree(15 * time.Second)
	// The view that timed out may have committed after SIGCONT (its retry
	// is deduplicated): one more view is granted at most.
	v, err := cl.View(context.Background(), img, "alice")
	if err != nil {
		t.Fatalf("view after the heal: %v", err)
	}
	if v.Granted && v.Remaining != 0 {
		t.Fatalf("view after the heal = %+v: more than the quota left", v)
	}
	raftView(t, cl, img, "the last view", table.ViewResult{Reason: table.ReasonExhausted})
	checkOneCoordinatorPerEpoch(t, pc.events())
}

// TestE2ERaftSilentFailureOfTheLeader: the leader fails silently (the
// harness's silent fault); the others elect a new leader in a higher term
// that serves views from the same table, and the failed node recovers,
// follows it and serves again.
func TestE2ERaftSilentFailureOfTheLeader(t *testing.T) {
	pc := newRaftCluster(t, 3)
	pc.startAll()
	coord := pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 3 * time.Second, Retries: 2})
	img := raftImage(t, cl, "raft-silent-1", 3)
	raftView(t, cl, img, "view 1", table.ViewResult{Granted: true, Remaining: 2})
	before, _ := pc.status(coord)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := pc.ctl.FailFor(ctx, pc.peers[coord], 2*time.Second); err != nil {
		t.Fatalf("FailFor: %v", err)
	}
	next := pc.waitAgree(10*time.Second, coord)
	if st, _ := pc.status(next); next == coord || st.Epoch <= before.Epoch {
		t.Fatalf("after the leader %d failed: coordinator %d at term %d (was %d)", coord, next, st.Epoch, before.Epoch)
	}
	if v := raftView(t, cl, img, "view 2", table.ViewResult{Granted: true, Remaining: 1}); v.Applier != next {
		t.Fatalf("view 2 applied by %d, the leader is %d", v.Applier, next)
	}
	pc.waitAgree(15 * time.Second)
	raftView(t, cl, img, "view 3", table.ViewResult{Granted: true})
	raftView(t, cl, img, "view 4", table.ViewResult{Reason: table.ReasonExhausted})
	checkOneCoordinatorPerEpoch(t, pc.events())
}
