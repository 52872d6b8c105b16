package cluster

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// closedByNode reports whether the node closed c within d (a read sees the
// end of the stream).
func closedByNode(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := c.Read(make([]byte, 1))
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe)
}

func dialRole(t *testing.T, tr Transport, addr string, hello Message) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := tr.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	go func() { WriteFrame(c, &hello) }() // net.Pipe: the write waits for the node's read
	return c
}

func TestConnectionCapsPerRole(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 1, func(c *Config) { c.MaxClients, c.MaxControl = 3, 1 })
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	addr := tc.peers[1]
	var held []net.Conn
	for range 3 {
		held = append(held, dialRole(t, tc.tr, addr, Message{Type: MsgHello, Role: RoleClient}))
	}
	for i, c := range held {
		if closedByNode(c, 100*time.Millisecond) {
			t.Fatalf("client connection %d of 3 (cap 3) was closed", i+1)
		}
	}
	extra := dialRole(t, tc.tr, addr, Message{Type: MsgHello, Role: RoleClient})
	if !closedByNode(extra, 2*time.Second) {
		t.Errorf("a 4th client connection over a cap of 3 stayed open")
	}
	held[0].Close()
	time.Sleep(50 * time.Millisecond)
	again := dialRole(t, tc.tr, addr, Message{Type: MsgHello, Role: RoleClient})
	if closedByNode(again, 100*time.Millisecond) {
		t.Errorf("a client connection was refused after one of the 3 closed")
	}
	// One idle control connection fills a cap of 1: a status call is refused,
	// and served again once it closes.
	ctl := dialRole(t, tc.tr, addr, Message{Type: MsgHello, Role: RoleControl})
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := tc.ctl.Status(ctx, addr); err == nil {
		t.Errorf("a second control connection over a cap of 1 was served")
	}
	ctl.Close()
	time.Sleep(50 * time.Millisecond)
	st, err := tc.ctl.Status(ctx, addr)
	if err != nil {
		t.Fatalf("status once the control cap has room: %v", err)
	}
	if st.Counters["refused.connections"] != 2 {
		t.Errorf("refused.connections = %d, want 2", st.Counters["refused.connections"])
	}
	for _, c := range append(held, extra, again) {
		c.Close()
	}
}

func TestSmallFrameLimitsBeforeHelloAndOnControl(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 1, nil)
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	addr := tc.peers[1]
	big := Message{Type: MsgHello, Role: RoleClient, Error: strings.Repeat("x", 8<<10)}
	if c := dialRole(t, tc.tr, addr, big); !closedByNode(c, 2*time.Second) {
		t.Errorf("an 8 KiB hello was accepted (limit 4 KiB)")
	}
	ctl := dialRole(t, tc.tr, addr, Message{Type: MsgHello, Role: RoleControl})
	go WriteFrame(ctl, &Message{Type: MsgCtlStatus, Error: strings.Repeat("x", 100<<10)})
	if !closedByNode(ctl, 2*time.Second) {
		t.Errorf("a 100 KiB control frame was accepted (limit 64 KiB)")
	}
	var frameErrs int
	tc.stop(1) // flushes its events
	for _, e := range tc.logs[1].events(t) {
		if e.Type == EvProtocolError && strings.Contains(e.Reason, ErrFrameTooLarge.Error()) {
			frameErrs++
		}
	}
	if frameErrs != 2 {
		t.Errorf("%d frame-too-large protocol errors, want 2", frameErrs)
	}
}

// An idle client connection is closed after client-idle; one waiting for an
// answer that takes longer than that is not.
func TestIdleClientConnectionsAreClosed(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 1, func(c *Config) { c.ClientIdle = 200 * time.Millisecond })
	tc.svc = CodecService{Codec: fakeCodec{}, Delay: 600 * time.Millisecond}
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	idle := dialRole(t, tc.tr, tc.peers[1], Message{Type: MsgHello, Role: RoleClient})
	if !closedByNode(idle, 2*time.Second) {
		t.Errorf("an idle client connection was open 2s after a 200ms idle limit")
	}
	busy := dialClient(t, tc.tr, tc.peers[1])
	defer busy.Close()
	if err := WriteFrame(busy, &Message{Type: MsgRequest, ID: "slow-1", Attempt: 1, Meta: &testMeta, Body: []byte("IMG")}); err != nil {
		t.Fatal(err)
	}
	resp, err := NewFrameReader(busy, 1<<20).Read()
	if err != nil || resp.ID != "slow-1" {
		t.Errorf("a client waiting 600ms for its answer (idle limit 200ms): %+v, %v", resp, err)
	}
}

// A peer connection that stays silent for 10 × suspect-after is closed.
func TestSilentPeerConnectionIsClosed(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 2, func(c *Config) { c.SuspectAfter = 100 * time.Millisecond })
	defer tc.stopAll()
	tc.start(1) // node 2 never runs: the test speaks for it, then falls silent
	for deadline := time.Now().Add(5 * time.Second); len(tc.statuses()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("node 1 not answering")
		}
		time.Sleep(10 * time.Millisecond)
	}
	fake := dialRole(t, tc.tr, tc.peers[1], Message{Type: MsgHello, Role: RolePeer, From: 2})
	start := time.Now()
	if !closedByNode(fake, 3*time.Second) {
		t.Fatalf("a silent peer connection was open 3s after hello (limit 1s)")
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("a silent peer connection was closed after %v, before 10 × suspect-after", took)
	}
}

// The watchdog counts only time the node ran: a jump of the clock (the node
// was paused) adds at most a quarter of suspect-after, so a woken node does
// not drop its peers' connections before reading what they sent.
func TestConnectionWatchIgnoresAPause(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Peers = Peers{1: "a:1", 2: "b:1"}
	n := &Node{cfg: cfg, conns: newConnTable(cfg), log: slog.New(slog.DiscardHandler)}
	a, b := net.Pipe()
	defer b.Close()
	ic, _ := n.conns.add(a)
	n.conns.identify(ic, RolePeer, 2)
	t0 := time.Now()
	n.watch(t0)
	n.watch(t0.Add(10 * time.Second)) // a 10 s pause
	if r := ic.reason.Load(); r != nil {
		t.Fatalf("a 10 s pause closed a peer connection: %s", *r)
	}
	at := t0.Add(10 * time.Second)
	for range 50 { // 2.5 s of heartbeat-spaced watches without a frame
		at = at.Add(cfg.Heartbeat)
		n.watch(at)
	}
	if ic.reason.Load() == nil {
		t.Errorf("2.5 s of silence while running did not close the peer connection (limit %v)", peerSilenceFactor*cfg.SuspectAfter)
	}
}

// A node Failed for longer than the peer silence limit has its connections
// closed by its peers; it must still recover by syncing from a peer (its
// links notice the closed connections and redial).
func TestRecoveryAfterPeersClosedTheFailedNodesConnections(t *testing.T) {
	defer goleak.VerifyNone(t)
	// Real TCP: a write into a connection the other side closed succeeds
	// once (net.Pipe would fail it at once).
	addrs := freePorts(t, 3)
	tc := newTestCluster(t, 3, func(c *Config) {
		c.SuspectAfter = 100 * time.Millisecond
		c.Peers = Peers{1: addrs[0], 2: addrs[1], 3: addrs[2]}
	})
	tc.peers, tc.tr, tc.ctl = tc.cfgs[1].Peers, TCPTransport{}, Control{}
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tc.ctl.FailFor(ctx, tc.peers[3], 2500*time.Millisecond); err != nil { // limit: 1s
		t.Fatal(err)
	}
	time.Sleep(2700 * time.Millisecond)
	tc.waitAgree(5 * time.Second)
	tc.stop(3)
	var syncs []Event
	for _, e := range tc.logs[3].events(t) {
		if e.Type == EvSync {
			syncs = append(syncs, e)
		}
	}
	if len(syncs) != 1 || syncs[0].Peer == 0 {
		t.Errorf("node 3's sync events %+v, want one that copied a peer's view", syncs)
	}
}
