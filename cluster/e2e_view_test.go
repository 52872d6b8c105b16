package cluster_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// TestE2EViewWalkthrough is the README's walkthrough with real processes:
// three nodes, an image encrypted with quota 2, viewed three times by an
// authorized user (granted, granted, quota exhausted) and once by a
// stranger (not authorized); the coordinator is killed with SIGKILL and the
// next view is still refused (the table survived in the followers' copies);
// the killed node restarts and copies the table in its sync. Once in
// plaintext, once with mutual TLS and sealed metadata (the nodes' --key).
func TestE2EViewWalkthrough(t *testing.T) {
	for _, secure := range []bool{false, true} {
		name := "plaintext"
		if secure {
			name = "tls+sealed"
		}
		t.Run(name, func(t *testing.T) { viewWalkthrough(t, secure) })
	}
}

func viewWalkthrough(t *testing.T, secure bool) {
	var key []byte
	pc := newProcCluster(t, 3, nil)
	if secure {
		pc.useTLS()
		key = bytes.Repeat([]byte{9}, stego.KeySize)
		keyFile := filepath.Join(pc.dir, "seal.key")
		if err := os.WriteFile(keyFile, key, 0o600); err != nil {
			t.Fatal(err)
		}
		for id, cfg := range pc.cfgs {
			cfg.Key = keyFile
			pc.cfgs[id] = cfg
		}
	}
	pc.startAll()
	coord := pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 3 * time.Second, Retries: 2, Key: key})
	ctx := context.Background()
	enc, err := cl.Encrypt(ctx, e2eCover(3), stego.Metadata{ID: "walkthrough-1", Usernames: []string{"alice", "bob"}, Quota: 2})
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	if secure {
		if _, err := stego.Reveal(enc.Image, nil); err == nil {
			t.Fatalf("the sealed image reveals its metadata without the key")
		}
	}
	view := func(what, user string, want table.ViewResult) cluster.ViewResult {
		t.Helper()
		v, err := cl.View(ctx, enc.Image, user)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := (table.ViewResult{Granted: v.Granted, Remaining: v.Remaining, Reason: v.Reason}); got != want {
			t.Fatalf("%s = %+v, want %+v", what, got, want)
		}
		return v
	}
	for i, w := range []table.ViewResult{{Granted: true, Remaining: 1}, {Granted: true}, {Reason: table.ReasonExhausted}} {
		if v := view(fmt.Sprint("view ", i+1), "alice", w); v.Applier != coord {
			t.Fatalf("view applied by node %d, the coordinator is %d", v.Applier, coord)
		}
	}
	view("a stranger's view", "mallory", table.ViewResult{Reason: table.ReasonNotAuthorized})

	time.Sleep(300 * time.Millisecond) // the nodes flush their events every 100ms; SIGKILL loses what is queued
	pc.kill(coord)
	next := pc.waitAgree(10 * time.Second)
	v := view("the view after the coordinator died", "alice", table.ViewResult{Reason: table.ReasonExhausted})
	if v.Applier != next || v.Applier == coord {
		t.Fatalf("view after the failover applied by node %d, want the new coordinator %d", v.Applier, next)
	}

	pc.start(coord) // restarts Recovering, with an empty table
	pc.waitAgree(10 * time.Second)
	sts := pc.statuses()
	for id, st := range sts {
		if st.Table != sts[next].Table || st.Table.Seq == 0 {
			t.Fatalf("node %d's table at %+v, the coordinator's (node %d) at %+v", id, st.Table, next, sts[next].Table)
		}
	}
	evs := pc.events()
	count := map[cluster.EventType]int{}
	recovered := false
	for _, e := range evs {
		count[e.Type]++
		if e.Type == cluster.EvTableSync && e.Node == coord && e.Reason == "recovery" {
			recovered = true
		}
	}
	// 5 views applied, one by the new coordinator; 2 followers × 4 updates
	// before the kill and 1 × 1 after it.
	if count[cluster.EvTableApply] != 5 || count[cluster.EvTableUpdate] != 9 || count[cluster.EvTableAnswer] != 5 || !recovered {
		t.Fatalf("events: %d table_apply, %d table_update, %d table_answer, recovery sync %v; want 5, 9, 5, true",
			count[cluster.EvTableApply], count[cluster.EvTableUpdate], count[cluster.EvTableAnswer], recovered)
	}
}
