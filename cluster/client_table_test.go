package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"
	"stegocloud/cluster/client"
	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// The client's table calls against nodes in this process: an image
// encrypted with quota 2, viewed until exhausted, by a stranger, an image
// no node can read; register, online, unregister. Every answer names the
// node that answered and the coordinator that applied it.
func TestClientTableCalls(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 3, nil)
	defer tc.stopAll()
	tc.startAll()
	coord := tc.waitAgree(5 * time.Second)
	cl := tc.client(ClientConfig{Timeout: 2 * time.Second})
	ctx := context.Background()
	enc, err := cl.Encrypt(ctx, []byte("IMG-cover"), stego.Metadata{Usernames: []string{"alice", "bob"}, Quota: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(enc.Meta.ID) != 32 {
		t.Fatalf("Encrypt without an id returned metadata %+v, want a drawn 32-digit id", enc.Meta)
	}
	want := []table.ViewResult{{Granted: true, Remaining: 1}, {Granted: true, Remaining: 0}, {Remaining: 0, Reason: table.ReasonExhausted}}
	var lastSeq uint64
	for i, w := range want {
		v, err := cl.View(ctx, enc.Image, "alice")
		if err != nil {
			t.Fatalf("view %d: %v", i, err)
		}
		if got := (table.ViewResult{Granted: v.Granted, Remaining: v.Remaining, Reason: v.Reason}); got != w {
			t.Fatalf("view %d = %+v, want %+v", i, got, w)
		}
		if v.Applier != coord || v.Node == 0 || v.Seq <= lastSeq || v.Attempts != 1 || v.ID == "" {
			t.Fatalf("view %d outcome %+v, want applied by coordinator %d after seq %d", i, v.Outcome, coord, lastSeq)
		}
		lastSeq = v.Seq
	}
	if v, err := cl.View(ctx, enc.Image, "mallory"); err != nil || v.Granted || v.Reason != table.ReasonNotAuthorized {
		t.Fatalf("view by mallory = %+v, %v; want not authorized", v, err)
	}
	_, err = cl.View(ctx, []byte("IMG-without-metadata"), "alice")
	if !errors.Is(err, ErrRejected) || !client.NotApplied(err) {
		t.Fatalf("view of an image without metadata: %v, want ErrRejected (not applied)", err)
	}
	if r, err := cl.Register(ctx, "alice", "127.0.0.1:9001"); err != nil || !r.Changed || r.Applier != coord {
		t.Fatalf("register alice = %+v, %v", r, err)
	}
	if r, err := cl.Register(ctx, "bob", "127.0.0.1:9002"); err != nil || !r.Changed {
		t.Fatalf("register bob = %+v, %v", r, err)
	}
	if r, err := cl.Unregister(ctx, "alice"); err != nil || !r.Changed {
		t.Fatalf("unregister alice = %+v, %v", r, err)
	}
	if r, err := cl.Unregister(ctx, "alice"); err != nil || r.Changed {
		t.Fatalf("unregister alice again = %+v, %v; want unchanged", r, err)
	}
	on, err := cl.Online(ctx)
	if err != nil || !slices.Equal(on.Peers, []Peer{{User: "bob", Addr: "127.0.0.1:9002"}}) || on.Applier != coord {
		t.Fatalf("online = %+v, %v; want bob, answered from coordinator %d's table", on, err, coord)
	}
	for _, bad := range []func() error{
		func() error { _, err := cl.View(ctx, nil, "alice"); return err },
		func() error { _, err := cl.View(ctx, enc.Image, ""); return err },
		func() error { _, err := cl.Register(ctx, "alice", ""); return err },
		func() error { _, err := cl.Unregister(ctx, "bad\nname"); return err },
	} {
		if err := bad(); !errors.Is(err, ErrRejected) {
			t.Errorf("a request no node accepts: %v, want ErrRejected before sending", err)
		}
	}
	// The updates reach the followers after the answers (the coordinator
	// answers discovery ops itself): wait for them.
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		statuses, behind := tc.statuses(), ""
		for id, st := range statuses {
			if st.Table != statuses[coord].Table {
				behind = fmt.Sprintf("node %d's table at %+v, the coordinator's at %+v", id, st.Table, statuses[coord].Table)
			}
		}
		if behind == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("2s after the last op, %s", behind)
		}
	}
}

// What a table call's error says about its outcome: a node that takes the
// request and never answers leaves it unknown (ErrTimeout); a cluster no
// frame ever reached did not apply it (ErrNoNode).
func TestTableCallErrorsClassifyTheOutcome(t *testing.T) {
	defer goleak.VerifyNone(t)
	nw := NewInmemNetwork()
	ln, err := nw.Listen("hole:1")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // accepts, reads, never answers
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			go func() {
				buf := make([]byte, 4096)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
				}
			}()
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	defer func() { close(stop); ln.Close(); <-done }()
	for _, c := range []struct {
		addr       string
		want       error
		notApplied bool
	}{{"hole:1", ErrTimeout, false}, {"nowhere:1", ErrNoNode, true}} {
		cl, err := NewClient(ClientConfig{Nodes: Peers{1: c.addr}, Transport: nw, Timeout: 100 * time.Millisecond, Retries: 1, Backoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.View(context.Background(), []byte("IMG"), "alice")
		if !errors.Is(err, c.want) || client.NotApplied(err) != c.notApplied {
			t.Errorf("%s: view error %v (not applied: %v), want %v (not applied: %v)", c.addr, err, client.NotApplied(err), c.want, c.notApplied)
		}
		cl.Close()
	}
}

// The message counts cluster/doc.go states, counted by the nodes: per view,
// n request copies, n−1 assigns, a table_op unless the coordinator revealed
// it, n−1 updates and one response; per register, no assign; per online,
// no assign and no update.
func TestTableMessageCounts(t *testing.T) {
	defer goleak.VerifyNone(t)
	// Round-robin, so that followers reveal two views in three.
	tc := newTestCluster(t, 3, func(c *Config) { c.Balancer = BalancerRoundRobin })
	defer tc.stopAll()
	tc.startAll()
	coord := tc.waitAgree(5 * time.Second)
	cl := tc.client(ClientConfig{Timeout: 2 * time.Second})
	ctx := context.Background()
	enc, err := cl.Encrypt(ctx, []byte("IMG-cover"), stego.Metadata{Usernames: []string{"alice"}, Quota: 1000})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // frames are counted when written, after the answer
	sum := func() map[string]int64 {
		out := map[string]int64{}
		for _, st := range tc.statuses() {
			for k, v := range st.Counters {
				out[k] += v
			}
		}
		return out
	}
	const k = 30
	steps := []struct {
		name string
		call func() error
		want map[string]int64 // per call
	}{
		{"view", func() error { _, err := cl.View(ctx, enc.Image, "alice"); return err },
			map[string]int64{"sent.assign": 2, "sent.table_update": 2, "sent.response": 1, "sent.table_result": 0, "sent.done": 0}},
		{"register", func() error { _, err := cl.Register(ctx, "alice", "a:1"); return err },
			map[string]int64{"sent.assign": 0, "sent.table_op": 0, "sent.table_update": 2, "sent.response": 1, "sent.done": 0}},
		{"online", func() error { _, err := cl.Online(ctx); return err },
			map[string]int64{"sent.assign": 0, "sent.table_op": 0, "sent.table_update": 0, "sent.response": 1, "sent.done": 0}},
	}
	for _, s := range steps {
		before := sum()
		for range k {
			if err := s.call(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		time.Sleep(100 * time.Millisecond) // the last answers' counters
		after := sum()
		// A copy still queued for a slow link when the answer came is
		// skipped by the client, so up to n copies per call.
		if got := after["recv.request"] - before["recv.request"]; got > 3*k || got < k {
			t.Errorf("%d %s calls: %d request copies arrived, want between 1 and 3 per call", k, s.name, got)
		}
		for key, per := range s.want {
			if got := after[key] - before[key]; got != per*k {
				t.Errorf("%d %s calls: %s = %d, want %d", k, s.name, key, got, per*k)
			}
		}
		if s.name == "view" {
			ops := after["sent.table_op"] - before["sent.table_op"]
			if ops < k/2 || ops > k {
				t.Errorf("%d views sent %d table_ops to coordinator %d, want one per view a follower revealed", k, ops, coord)
			}
			t.Logf("per view: %.2f table_op (views revealed by a follower)", float64(ops)/k)
		}
	}
}

// relabellingCodec reveals the metadata hidden with another image id, as a
// node that relabels images would.
type relabellingCodec struct{ fakeCodec }

func (c relabellingCodec) Reveal(img, key []byte) (stego.Metadata, error) {
	m, err := c.fakeCodec.Reveal(img, key)
	m.ID += "-other"
	return m, err
}

// Encrypt checks the image id too: an answer carrying the usernames and
// quota sent under another id is invalid.
func TestEncryptVerifiesTheImageID(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 1, nil)
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	meta := stego.Metadata{ID: "img-1", Usernames: []string{"alice"}, Quota: 3}
	if r, err := tc.client(ClientConfig{Timeout: time.Second}).Encrypt(context.Background(), []byte("IMG"), meta); err != nil || r.Meta.ID != "img-1" {
		t.Fatalf("Encrypt with an honest codec = %+v, %v", r.Meta, err)
	}
	cl := tc.client(ClientConfig{Timeout: 300 * time.Millisecond, Codec: relabellingCodec{}})
	_, err := cl.Encrypt(context.Background(), []byte("IMG"), meta)
	if !errors.Is(err, ErrInvalidResponse) || cl.Stats().Invalid == 0 {
		t.Fatalf("Encrypt whose answer reveals another id: %v (%d invalid), want ErrInvalidResponse", err, cl.Stats().Invalid)
	}
}
