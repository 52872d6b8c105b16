package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"stegocloud/stego"
)

func TestClusterServesConcurrentClients(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 3, func(c *Config) { c.ServiceDelay = 5 * time.Millisecond })
	defer tc.stopAll()
	tc.startAll()
	if c := tc.waitAgree(5 * time.Second); c != 1 {
		t.Errorf("coordinator %d, want 1 (lowest base)", c)
	}
	cl := tc.client(ClientConfig{Timeout: 5 * time.Second})
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	nodes := make(chan int, 60)
	for i := range 60 {
		wg.Go(func() {
			m := stego.Metadata{Usernames: []string{fmt.Sprintf("user%d", i)}, Quota: i}
			r, err := cl.Encrypt(context.Background(), []byte("IMG-cover"), m)
			if err != nil {
				errs <- err
				return
			}
			got, err := fakeCodec{}.Reveal(r.Image, nil)
			if err != nil || got.Quota != i || got.Usernames[0] != m.Usernames[0] {
				errs <- fmt.Errorf("request %d: reply carries %+v (%v), want %+v", i, got, err, m)
			}
			nodes <- r.Node
		})
	}
	wg.Wait()
	close(errs)
	close(nodes)
	for err := range errs {
		t.Error(err)
	}
	served := map[int]int{}
	for n := range nodes {
		served[n]++
	}
	if len(served) < 2 {
		t.Errorf("served per node %v: lowest-load should spread 60 concurrent requests", served)
	}
	if st := cl.Stats(); st.OK != 60 || st.Requests != 60 || st.Invalid != 0 {
		t.Errorf("client stats %+v, want 60 requests, 60 ok, 0 invalid", st)
	}
	cl.Close()
	tc.stopAll()
	for id, log := range tc.logs {
		evs := log.events(t)
		if last := evs[len(evs)-1]; last.Type != EvStop || last.Counters["recv.request"] == 0 {
			t.Errorf("node %d: last event %+v, want stop with request counters", id, last)
		}
	}
}

func TestClientErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 2, func(c *Config) {
		if c.ID == 2 {
			c.ServiceDelay = 400 * time.Millisecond
		}
	})
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	cases := []struct {
		name  string
		cfg   ClientConfig
		nodes Peers // nil: the cluster
		cover string
		want  error
		tries int
	}{
		{"rejected cover", ClientConfig{Retries: 3}, nil, "JPEG?", ErrRejected, 1},
		{"forged response", ClientConfig{Codec: lyingCodec{}, Timeout: 200 * time.Millisecond, Retries: 1}, nil, "IMG", ErrInvalidResponse, 2},
		{"nobody listening", ClientConfig{Retries: 2, Backoff: time.Millisecond}, Peers{1: "nowhere:1", 2: "nowhere:2"}, "IMG", ErrNoNode, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.Nodes, cfg.Transport = tc.peers, tc.tr
			if c.nodes != nil {
				cfg.Nodes = c.nodes
			}
			if cfg.Codec == nil {
				cfg.Codec = fakeCodec{}
			}
			cl, err := NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			r, err := cl.Encrypt(context.Background(), []byte(c.cover), testMeta)
			var re *RequestError
			if !errors.Is(err, c.want) || !errors.As(err, &re) || re.Attempts != c.tries || r.Attempts != c.tries {
				t.Errorf("Encrypt = %+v, %v; want %v after %d attempt(s)", r, err, c.want, c.tries)
			}
		})
	}
	t.Run("timeout", func(t *testing.T) {
		// Coordinator balancer on node 1 with node 1 failed: node 2 (slow) serves.
		cl := tc.client(ClientConfig{Timeout: 50 * time.Millisecond, Retries: 1, Backoff: time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tc.ctl.FailFor(ctx, tc.peers[1], 2*time.Second); err != nil {
			t.Fatal(err)
		}
		_, err := cl.Encrypt(ctx, []byte("IMG"), testMeta)
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("Encrypt with a 50ms attempt timeout against a 400ms service: %v, want ErrTimeout", err)
		}
		time.Sleep(600 * time.Millisecond) // the late response arrives
		if st := cl.Stats(); st.LateDuplicates == 0 || st.Retries != 1 {
			t.Errorf("stats %+v, want a late response and one retry counted", st)
		}
	})
}

func TestNewClientRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  ClientConfig
	}{
		{"no nodes", ClientConfig{Codec: fakeCodec{}}},
		{"bad address", ClientConfig{Nodes: Peers{1: "nohost"}, Codec: fakeCodec{}}},
		{"negative retries", ClientConfig{Nodes: Peers{1: "a:1"}, Retries: -1, Codec: fakeCodec{}}},
	}
	for _, c := range cases {
		if _, err := NewClient(c.cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: NewClient error %v, want ErrConfig", c.name, err)
		}
	}
}

func TestControlFailStatusShutdown(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 3, nil)
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tc.ctl.FailFor(ctx, tc.peers[3], 300*time.Millisecond); err != nil {
		t.Fatalf("FailFor: %v", err)
	}
	st, err := tc.ctl.Status(ctx, tc.peers[3])
	if err != nil || st.State != StateFailed {
		t.Fatalf("status of a failed node: %+v, %v; want it to answer, state failed", st, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for st.State != StateActive && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		st, _ = tc.ctl.Status(ctx, tc.peers[3])
	}
	if st.State != StateActive {
		t.Fatalf("node 3 state %s 5s after a 300ms failure, want active", st.State)
	}
	if err := tc.ctl.Shutdown(ctx, tc.peers[2]); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	select {
	case err := <-tc.done[2]:
		if err != nil {
			t.Errorf("node 2 Run after shutdown: %v", err)
		}
		delete(tc.cancel, 2)
	case <-time.After(5 * time.Second):
		t.Fatal("node 2 still running 5s after shutdown")
	}
	tc.stop(3) // flushes its events
	evs := tc.logs[3].events(t)
	var states []string
	for _, e := range evs {
		if e.Type == EvState {
			states = append(states, e.From+">"+e.State)
		}
	}
	want := []string{"active>failed", "failed>recovering", "recovering>active"}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("node 3 state changes %v, want %v", states, want)
	}
	if _, err := tc.ctl.Status(ctx, "node9:1"); err == nil {
		t.Errorf("Status of a node that does not exist succeeded")
	}
}

func TestRequestIDsNeverRepeatAcrossClients(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 3, nil)
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	// Two clients with the same name, one after the other, like two runs of
	// 'stegocloud send': the second must not look like a late copy.
	for i := range 2 {
		cl := tc.client(ClientConfig{Name: "send", Timeout: 2 * time.Second})
		r, err := cl.Encrypt(context.Background(), []byte("IMG"), testMeta)
		if err != nil || r.Attempts != 1 {
			t.Errorf("client %d: %+v, %v; want served at the first attempt", i, r, err)
		}
		cl.Close()
	}
}
