package netfault

import (
	"errors"
	"io"
	"net"
	"slices"
	"sort"
	"syscall"
	"testing"
	"time"
)

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no nodes", Config{}},
		{"node id 0", Config{Nodes: map[int]string{0: "127.0.0.1:1"}}},
		{"bad address", Config{Nodes: map[int]string{1: "nowhere"}}},
		{"negative clients", Config{Nodes: map[int]string{1: "127.0.0.1:1"}, Clients: -1}},
		{"bad host", Config{Nodes: map[int]string{1: "127.0.0.1:1", 2: "127.0.0.1:2"}, Host: "256.0.0.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLeaks(t)
			n, err := New(tt.cfg)
			if !errors.Is(err, ErrBadConfig) {
				if n != nil {
					_ = n.Close()
				}
				t.Fatalf("New(%+v) = %v, want ErrBadConfig", tt.cfg, err)
			}
		})
	}
}

func TestAddrs(t *testing.T) {
	checkLeaks(t)
	s := map[int]*server{1: newServer(t, echo), 2: newServer(t, echo), 3: newServer(t, echo)}
	n := newNet(t, 2, s)
	seen := map[string]bool{}
	for _, i := range []int{1, 2, 3} {
		m, err := n.PeerAddrs(i)
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != 3 || m[i] != s[i].addr() {
			t.Fatalf("PeerAddrs(%d) = %v: want 3 entries, own entry %s", i, m, s[i].addr())
		}
		for j, a := range m {
			if j != i {
				seen[a] = true
			}
		}
	}
	for c := 1; c <= 2; c++ {
		m, err := n.ClientAddrs(c)
		if err != nil || len(m) != 3 {
			t.Fatalf("ClientAddrs(%d) = %v, %v", c, m, err)
		}
		for _, a := range m {
			seen[a] = true
		}
	}
	if len(seen) != 6+6 {
		t.Errorf("%d distinct proxy addresses, want 12 (one per directed link)", len(seen))
	}
	if _, err := n.PeerAddrs(4); !errors.Is(err, ErrUnknownNode) {
		t.Errorf("PeerAddrs(4) = %v, want ErrUnknownNode", err)
	}
	if _, err := n.ClientAddrs(3); !errors.Is(err, ErrUnknownNode) {
		t.Errorf("ClientAddrs(3) = %v, want ErrUnknownNode", err)
	}
	// Every link forwards to its node.
	for _, i := range []int{1, 2, 3} {
		for j, a := range must(n.PeerAddrs(i)) {
			c := dial(t, a)
			if _, err := c.Write([]byte{byte(j)}); err != nil {
				t.Fatal(err)
			}
			readExactly(t, c, string([]byte{byte(j)}), 5*time.Second, "echo through "+a)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A stream cut mid-way by a partition loses nothing: frames written before,
// during and after arrive complete and in order once the partition heals.
func TestPartitionHoldsAndDeliversInOrder(t *testing.T) {
	checkLeaks(t)
	s2 := newServer(t, nil)
	n := newNet(t, 0, map[int]*server{1: newServer(t, echo), 2: s2})
	c := dial(t, peerAddr(t, n, 1, 2))
	if err := writeFrames(c, 0, 50); err != nil {
		t.Fatal(err)
	}
	node2 := s2.next(t)
	got := make(chan error, 1)
	go func() { got <- readFrames(node2, 0, 300) }()

	id, err := n.Apply(Partition{Groups: [][]int{{1}, {2}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := writeFrames(c, 50, 250); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		t.Fatalf("all 300 frames read during the partition (%v); want frames 50.. held", err)
	case <-time.After(200 * time.Millisecond):
	}
	if st := n.Stats()[0]; !st.Up.Gate.Hold || st.Link != (Link{Node(1), 2}) {
		t.Fatalf("stats of %s: %+v; want Up held", st.Link, st.Up)
	}
	if err := n.Remove(id); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("held frames not delivered 10 s after heal")
	}
	waitFor(t, 2*time.Second, "the proxy's buffer to empty after delivery", func() bool {
		return n.Stats()[0].Up.Buffered == 0
	})
}

// A connection made during a partition is accepted and held: the node sees
// no connection until heal, then the whole stream.
func TestAcceptAndHold(t *testing.T) {
	checkLeaks(t)
	s2 := newServer(t, nil)
	n := newNet(t, 1, map[int]*server{1: newServer(t, echo), 2: s2})
	if _, err := n.Apply(Partition{Groups: [][]int{{1}, {2}}, Clients: [][]int{{1}}}); err != nil {
		t.Fatal(err)
	}
	c := dial(t, clientAddr(t, n, 1, 2))
	if err := writeFrames(c, 0, 20); err != nil {
		t.Fatal(err)
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite() // the FIN is held too
	}
	time.Sleep(150 * time.Millisecond)
	if k := s2.count(); k != 0 {
		t.Fatalf("node 2 accepted %d connections during the partition, want 0", k)
	}
	if err := n.Heal(); err != nil {
		t.Fatal(err)
	}
	node2 := s2.next(t)
	_ = node2.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := readFrames(node2, 0, 20); err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(node2); err != nil || len(b) != 0 {
		t.Fatalf("after the frames: %d bytes, %v; want the held EOF", len(b), err)
	}
}

// While held, the proxy stops reading: the sender blocks once its socket
// buffers are full, and the proxy's own buffer stays bounded.
func TestHoldBackpressure(t *testing.T) {
	checkLeaks(t)
	s2 := newServer(t, nil)
	n := newNet(t, 0, map[int]*server{1: newServer(t, echo), 2: s2})
	c := dial(t, peerAddr(t, n, 1, 2))
	node2 := s2.next(t) // connected before the partition
	if _, err := n.Apply(OneWay{From: []int{1}, To: []int{2}}); err != nil {
		t.Fatal(err)
	}
	block := make([]byte, 64<<10)
	for i := range block {
		block[i] = byte(i * 31)
	}
	const limit = 256 << 20
	written, blocked := 0, false
	for written < limit {
		_ = c.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
		k, err := c.Write(block[written%len(block):])
		written += k
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			blocked = true
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	_ = c.SetWriteDeadline(time.Time{})
	if !blocked {
		t.Fatalf("wrote %d MiB into a held link without blocking; want backpressure", written>>20)
	}
	// The link was idle when the hold began, so the proxy's reader had at
	// most one read in flight: it must not have read more.
	st := n.Stats()[0]
	if st.Up.MaxBuffered > chunkSize {
		t.Fatalf("proxy buffered %d bytes (max %d) while held; it may read one chunk (%d) at most",
			st.Up.Buffered, st.Up.MaxBuffered, chunkSize)
	}
	t.Logf("sender blocked after %d KiB; proxy held %d KiB", written>>10, st.Up.Buffered>>10)

	done := make(chan error, 1)
	go func() {
		got := make([]byte, written)
		_ = node2.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err := io.ReadFull(node2, got)
		for i := range got {
			if err == nil && got[i] != block[i%len(block)] {
				err = errors.New("corrupt byte at " + time.Duration(i).String())
			}
		}
		done <- err
	}()
	if err := n.Heal(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("after heal: %v", err)
	}
	if st := n.Stats()[0]; st.Up.Bytes != int64(written) {
		t.Errorf("Up stats %+v: want %d bytes delivered", st.Up, written)
	}
}

// A reset ends idle and busy connections at once, with ECONNRESET on both
// sides; while it is active new connections are reset; after, they work.
func TestResetIdleAndBusy(t *testing.T) {
	checkLeaks(t)
	s2 := newServer(t, nil)
	n := newNet(t, 1, map[int]*server{1: newServer(t, echo), 2: s2})
	idle := dial(t, peerAddr(t, n, 1, 2))
	if _, err := idle.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	idleNode := s2.next(t)
	readExactly(t, idleNode, "hello", 5*time.Second, "before the reset")
	busy := dial(t, peerAddr(t, n, 1, 2))
	busyNode := s2.next(t)
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() { // keep the busy connection busy until it breaks
		defer close(writerDone)
		buf := make([]byte, 4096)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := busy.Write(buf); err != nil {
				return
			}
		}
	}()
	client := dial(t, clientAddr(t, n, 1, 2)) // not named by the reset
	clientNode := s2.next(t)

	id, err := n.Apply(Reset{Flows: []Flow{{Node(1), Node(2)}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for _, c := range []struct {
		name string
		c    net.Conn
	}{{"idle dialer", idle}, {"idle node side", idleNode}, {"busy node side", busyNode}} {
		_ = c.c.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, err := c.c.Read(make([]byte, 1<<16))
		for err == nil { // the busy side may still drain what was in flight
			_, err = c.c.Read(make([]byte, 1<<16))
		}
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("%s after reset: %v, want ECONNRESET", c.name, err)
		}
	}
	close(stop)
	<-writerDone
	if d := time.Since(start); d > time.Second {
		t.Errorf("reset took %v to reach every connection", d)
	}
	if st := n.Stats()[0]; st.Resets != 2 || st.Open != 0 {
		t.Errorf("link 1⇢2: %d resets, %d open; want 2 and 0", st.Resets, st.Open)
	}
	// The client link was not named: it still works.
	if _, err := client.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	readExactly(t, clientNode, "x", 5*time.Second, "client link during the reset")

	// Same pair, other proxy: reset on arrival (the dial itself may see it).
	if refused, err := net.DialTimeout("tcp", peerAddr(t, n, 2, 1), 2*time.Second); err == nil {
		_ = refused.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, err = refused.Read(make([]byte, 1))
		_ = refused.Close()
		if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) {
			t.Errorf("new connection during the reset: %v, want it reset", err)
		}
	} else if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("dial during the reset: %v, want ECONNRESET", err)
	}
	if err := n.Remove(id); err != nil {
		t.Fatal(err)
	}
	again := dial(t, peerAddr(t, n, 2, 1))
	if _, err := again.Write([]byte("back")); err != nil {
		t.Fatal(err)
	}
	readExactly(t, again, "back", 5*time.Second, "echo after the reset ended")
}

// rtts measures k round trips of a small message on c.
func rtts(t *testing.T, c net.Conn, k int) []time.Duration {
	t.Helper()
	out := make([]time.Duration, 0, k)
	buf := make([]byte, 32)
	for range k {
		start := time.Now()
		if _, err := c.Write(buf); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		out = append(out, time.Since(start))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func TestLatency(t *testing.T) {
	checkLeaks(t)
	n := newNet(t, 1, map[int]*server{1: newServer(t, echo)})
	c := dial(t, clientAddr(t, n, 1, 1))
	id, err := n.Apply(Latency{Delay: 50 * time.Millisecond, Jitter: 20 * time.Millisecond,
		Flows: []Flow{{Client(1), Node(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	d := rtts(t, c, 25)
	if p50 := d[len(d)/2]; p50 < 30*time.Millisecond || p50 > 120*time.Millisecond || d[0] < 25*time.Millisecond {
		t.Errorf("round trips with 50 ± 20 ms one way: min %v, p50 %v; want min ≥ 25 ms, p50 in [30, 120] ms", d[0], p50)
	}
	t.Logf("50±20 ms: min %v p50 %v max %v", d[0], d[len(d)/2], d[len(d)-1])
	if err := n.Remove(id); err != nil {
		t.Fatal(err)
	}
	if d := rtts(t, c, 25); d[len(d)/2] > 25*time.Millisecond {
		t.Errorf("p50 round trip %v after the latency ended, want < 25 ms", d[len(d)/2])
	}
}

// A hold that begins while a chunk waits out its delay keeps it past its due
// time (held wins over delay), and it is counted as held.
func TestHoldWinsOverDelay(t *testing.T) {
	checkLeaks(t)
	s1 := newServer(t, nil)
	n := newNet(t, 1, map[int]*server{1: s1, 2: newServer(t, echo)})
	c := dial(t, clientAddr(t, n, 1, 1))
	if _, err := c.Write([]byte("a")); err != nil {
		t.Fatal(err)
	}
	node := s1.next(t)
	readExactly(t, node, "a", 5*time.Second, "connect")
	if _, err := n.Apply(Latency{Delay: 100 * time.Millisecond, Flows: []Flow{{Client(1), Node(1)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("b")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 50*time.Millisecond, "the chunk to enter the delay queue", func() bool {
		return n.Stats()[2].Up.Buffered == 1
	})
	// Client 1 on node 2's side: cut from node 1.
	if _, err := n.Apply(Partition{Groups: [][]int{{1}, {2}}, Clients: [][]int{{}, {1}}}); err != nil {
		t.Fatal(err)
	}
	silent(t, node, 250*time.Millisecond, "a delayed chunk past its due time under a hold")
	st := n.Stats()[2]
	if st.Link != (Link{Client(1), 1}) || st.Up.Gate != (Gate{Hold: true, Delay: 100 * time.Millisecond}) {
		t.Fatalf("stats of %s: gate %+v, want held with the delay", st.Link, st.Up.Gate)
	}
	if err := n.Heal(); err != nil {
		t.Fatal(err)
	}
	readExactly(t, node, "b", 5*time.Second, "the held chunk after heal")
	// The writer counts right after its write returns: give it a moment.
	waitFor(t, 2*time.Second, "1 held chunk counted and nothing buffered", func() bool {
		st := n.Stats()[2]
		return st.Up.HeldChunks == 1 && st.Up.Buffered == 0
	})
}

func TestBandwidth(t *testing.T) {
	checkLeaks(t)
	s := newServer(t, nil)
	n := newNet(t, 1, map[int]*server{1: s})
	c := dial(t, clientAddr(t, n, 1, 1))
	if _, err := c.Write([]byte{0}); err != nil {
		t.Fatal(err)
	}
	node := s.next(t)
	readExactly(t, node, "\x00", 5*time.Second, "connect")
	if _, err := n.Apply(Latency{Bandwidth: 200 << 10, Flows: []Flow{{Client(1), Node(1)}}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	go func() { _, _ = c.Write(make([]byte, 100<<10)) }()
	_ = node.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(node, make([]byte, 100<<10)); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 350*time.Millisecond || d > 3*time.Second {
		t.Errorf("100 KiB at 200 KiB/s took %v, want about 0.5 s", d)
	}
}

// A one-way cut 1 → 2 holds 1's bytes to 2 on both connections of the pair
// (1's own link to 2, and as answers on 2's link to 1) while 2's bytes reach
// 1 on both.
func TestOneWayBothConnections(t *testing.T) {
	checkLeaks(t)
	s1, s2 := newServer(t, nil), newServer(t, nil)
	n := newNet(t, 0, map[int]*server{1: s1, 2: s2})
	x := dial(t, peerAddr(t, n, 1, 2)) // node 1 dials node 2
	y := dial(t, peerAddr(t, n, 2, 1)) // node 2 dials node 1
	for _, c := range []net.Conn{x, y} {
		if _, err := c.Write([]byte("hi")); err != nil {
			t.Fatal(err)
		}
	}
	xAt2, yAt1 := s2.next(t), s1.next(t)
	readExactly(t, xAt2, "hi", 5*time.Second, "x before the cut")
	readExactly(t, yAt1, "hi", 5*time.Second, "y before the cut")

	id, err := n.Apply(OneWay{From: []int{1}, To: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		c   net.Conn
		msg string
	}{{x, "1to2 on x"}, {xAt2, "2to1 on x"}, {y, "2to1 on y"}, {yAt1, "1to2 on y"}} {
		if _, err := w.c.Write([]byte(w.msg)); err != nil {
			t.Fatal(err)
		}
	}
	readExactly(t, x, "2to1 on x", 5*time.Second, "node 2's answer on node 1's link")
	readExactly(t, yAt1, "2to1 on y", 5*time.Second, "node 2's bytes on its own link")
	silent(t, xAt2, 150*time.Millisecond, "node 1's bytes on its own link")
	silent(t, y, 150*time.Millisecond, "node 1's answer on node 2's link")

	if err := n.Remove(id); err != nil {
		t.Fatal(err)
	}
	readExactly(t, xAt2, "1to2 on x", 5*time.Second, "held bytes on x after heal")
	readExactly(t, y, "1to2 on y", 5*time.Second, "held bytes on y after heal")
}

func TestCloseReleasesEverything(t *testing.T) {
	checkLeaks(t)
	s1 := newServer(t, echo)
	n, err := New(Config{Nodes: map[int]string{1: s1.addr(), 2: s1.addr()}, Clients: 1})
	if err != nil {
		t.Fatal(err)
	}
	addrs := []string{must(n.PeerAddrs(1))[2], must(n.ClientAddrs(1))[1]}
	open := dial(t, addrs[0]) // one live connection
	if _, err := open.Write([]byte("a")); err != nil {
		t.Fatal(err)
	}
	readExactly(t, open, "a", 5*time.Second, "echo")
	if _, err := n.Apply(Partition{Groups: [][]int{{1}, {2}}}); err != nil {
		t.Fatal(err)
	}
	held := dial(t, must(n.PeerAddrs(2))[1]) // one held in connect
	if _, err := held.Write([]byte("b")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			_ = c.Close()
			t.Errorf("%s still accepts after Close", a)
		}
	}
	_ = open.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := open.Read(make([]byte, 1)); err == nil {
		t.Error("a proxied connection survived Close")
	}
	for name, err := range map[string]error{
		"Apply":  second(n.Apply(Latency{Delay: 1})),
		"Remove": n.Remove(1),
		"Heal":   n.Heal(),
		"Close":  n.Close(),
		"Peers":  second(n.PeerAddrs(1)),
	} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestApplyRemoveErrors(t *testing.T) {
	checkLeaks(t)
	n := newNet(t, 0, map[int]*server{1: newServer(t, echo), 2: newServer(t, echo)})
	if _, err := n.Apply(Partition{Groups: [][]int{{1}, {3}}}); !errors.Is(err, ErrUnknownNode) {
		t.Errorf("Apply(unknown node) = %v, want ErrUnknownNode", err)
	}
	if len(n.Plan().Held()) != 0 {
		t.Errorf("a rejected fault changed the plan: %v", n.Plan().Held())
	}
	a := must(n.Apply(OneWay{From: []int{1}, To: []int{2}}))
	b := must(n.Apply(OneWay{From: []int{2}, To: []int{1}}))
	if err := n.Remove(a); err != nil {
		t.Fatal(err)
	}
	if got := short(n.Plan().Held()); got != "n2>n1" {
		t.Errorf("held after removing the first of two: %q, want n2>n1", got)
	}
	if err := n.Remove(a); !errors.Is(err, ErrUnknownFault) {
		t.Errorf("Remove twice = %v, want ErrUnknownFault", err)
	}
	_ = b
	if err := n.Heal(); err != nil || len(n.Plan().Held()) != 0 {
		t.Errorf("after Heal: %v, held %v", err, n.Plan().Held())
	}
	up, down := n.Plan().Gates(Link{Node(1), 2})
	if !slices.Equal([]Gate{up, down}, []Gate{{}, {}}) {
		t.Errorf("gates after heal %+v %+v", up, down)
	}
}
