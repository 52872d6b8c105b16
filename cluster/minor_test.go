package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// dialClient opens a raw client connection to addr and says hello.
func dialClient(t *testing.T, tr Transport, addr string) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := tr.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if err := WriteFrame(c, &Message{Type: MsgHello, Role: RoleClient}); err != nil {
		t.Fatal(err)
	}
	return c
}

// A client whose first connection broke retries on a new one while the
// node is still serving the first attempt: the answer must come on the new
// connection, the one the latest attempt came by.
func TestRetryOnANewConnectionIsAnsweredThere(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 1, nil)
	tc.svc = CodecService{Codec: fakeCodec{}, Delay: 400 * time.Millisecond}
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	req := Message{Type: MsgRequest, ID: "r-1", Attempt: 1, Meta: &testMeta, Body: []byte("IMG-cover")}
	first := dialClient(t, tc.tr, tc.peers[1])
	if err := WriteFrame(first, &req); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the service is running
	first.Close()
	second := dialClient(t, tc.tr, tc.peers[1])
	defer second.Close()
	req.Attempt = 2
	if err := WriteFrame(second, &req); err != nil {
		t.Fatal(err)
	}
	resp, err := NewFrameReader(second, 1<<20).Read()
	if err != nil || resp.ID != "r-1" || resp.Error != "" {
		t.Fatalf("on the retry's connection: %+v, %v; want the response to r-1", resp, err)
	}
}

// A client that does not read must not hold up answers: a response queued
// behind one stuck in the network is accepted at once, not after the stuck
// write's 10 s timeout.
func TestStalledClientDoesNotBlockTheNextAnswer(t *testing.T) {
	defer goleak.VerifyNone(t)
	n := &Node{count: newCounters(), log: slog.New(slog.DiscardHandler)}
	ours, theirs := net.Pipe() // synchronous: nothing is written until read
	cc := newClientConn(ours, &inConn{conn: ours}, 1<<20, n)
	big := &Message{Type: MsgResponse, From: 1, ID: "a", Body: make([]byte, 64<<10)}
	small := &Message{Type: MsgResponse, From: 1, ID: "b"}
	if err := cc.send(big); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cc.send(small); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the second answer waited %v behind a client that does not read", took)
	}
	theirs.Close() // the stuck write fails, the queued answer is dropped
	n.wg.Wait()
	if got := n.count.snapshot()["drop.response"]; got != 2 {
		t.Errorf("drop.response = %d, want 2 (the stuck one and the queued one)", got)
	}
}

// cuttable wraps a transport so that a test can cut one node's outgoing
// connections to an address and refuse new ones until healed.
type cuttable struct {
	Transport
	mu    sync.Mutex
	cut   map[string]bool
	conns map[string][]net.Conn
}

func (c *cuttable) Dial(ctx context.Context, addr string) (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cut[addr] {
		return nil, errors.New("cut")
	}
	conn, err := c.Transport.Dial(ctx, addr)
	if err == nil {
		c.conns[addr] = append(c.conns[addr], conn)
	}
	return conn, err
}

func (c *cuttable) set(addr string, cut bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cut[addr] = cut
	if cut {
		for _, conn := range c.conns[addr] {
			conn.Close()
		}
		c.conns[addr] = nil
	}
}

// The heartbeat that carried a finished id to a peer was dropped (the link
// to it was down for a moment): the peer must still learn that the request
// is done, not hold it, cover and all, until its 30 s TTL.
func TestDoneMissedByAPeerIsRedelivered(t *testing.T) {
	defer goleak.VerifyNone(t)
	// Node 1 coordinates and assigns round-robin: the first request to
	// itself, the second to node 2, whose link to node 3 is then cut.
	// Node 3 must not suspect node 2 during the short cut: a suspected
	// assignee's requests are re-reported to the coordinator, which answers
	// with the done id — another path than the one under test.
	tc := newTestCluster(t, 3, func(c *Config) {
		c.Balancer = BalancerRoundRobin
		c.SuspectAfter = 2 * time.Second
	})
	tc.svc = CodecService{Codec: fakeCodec{}, Delay: 300 * time.Millisecond}
	cut := &cuttable{Transport: tc.tr, cut: map[string]bool{}, conns: map[string][]net.Conn{}}
	tc.opts = func(id int, o *NodeOptions) {
		if id == 2 {
			o.Transport = cut
		}
	}
	defer tc.stopAll()
	tc.startAll()
	if c := tc.waitAgree(5 * time.Second); c != 1 {
		t.Fatalf("coordinator %d, want 1", c)
	}
	cl := tc.client(ClientConfig{Timeout: 5 * time.Second})
	if r, err := cl.Encrypt(context.Background(), []byte("IMG"), testMeta); err != nil || r.Node != 1 {
		t.Fatalf("first request: served by %d, %v; want node 1", r.Node, err)
	}
	done := make(chan Reply, 1)
	go func() {
		r, err := cl.Encrypt(context.Background(), []byte("IMG"), testMeta)
		if err != nil {
			t.Errorf("second request: %v", err)
		}
		done <- r
	}()
	time.Sleep(100 * time.Millisecond) // node 2 serves; node 3 holds the copy
	cut.set(tc.peers[3], true)         // node 2's frames to node 3 are dropped
	if r := <-done; r.Node != 2 {
		t.Fatalf("second request served by node %d, want 2", r.Node)
	}
	// Node 3 may learn that the request is done before the link is back:
	// having seen node 2's connection close, it suspects node 2 and reports
	// the request to the coordinator, which answers with the done id.
	// Either way it must not keep the request until its TTL.
	time.Sleep(200 * time.Millisecond) // the done heartbeat came and went
	cut.set(tc.peers[3], false)
	deadline := time.Now().Add(3 * time.Second)
	for {
		st := tc.statuses()[3]
		if st.Pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("node 3 still holds %d request(s) 3s after the link came back: the done id never reached it", st.Pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The ids a peer missed are kept per peer, in order, bounded, and handed
// out once.
func TestLostDoneKeepsAndBoundsMissedIDs(t *testing.T) {
	var l lostDone
	l.add(2, nil)
	if got := l.take(2); got != nil {
		t.Fatalf("take after adding nothing = %v", got)
	}
	l.add(2, []string{"a", "b"})
	l.add(3, []string{"x"})
	l.add(2, []string{"c"})
	if got := l.take(2); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("take(2) = %v, want [a b c]", got)
	}
	if got := l.take(2); got != nil {
		t.Fatalf("second take(2) = %v, want nothing", got)
	}
	many := make([]string, maxLostDone+5)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	l.add(3, many)
	got := l.take(3)
	if len(got) != maxLostDone || got[len(got)-1] != many[len(many)-1] {
		t.Fatalf("after %d ids kept %d ending %q, want the newest %d", len(many)+1, len(got), got[len(got)-1], maxLostDone)
	}
}
