package wire

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// TestLinkBacksOffWhenConnectionsDieAtOnce: a connection that is accepted and
// reset straight away — what a node that is down looks like through a fault
// proxy (the proxy accepts, fails to dial the node, resets) — must not be
// taken for a peer that is back: the link keeps backing off (10 ms doubling
// to 200 ms, so about 10 dials a second) instead of redialling every 10 ms.
func TestLinkBacksOffWhenConnectionsDieAtOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}
	}()
	l := NewLink(ln.Addr().String(), TCPTransport{}, Message{Type: MsgHello, Role: RolePeer, From: 1}, 16)
	l.OnUp = func(conn net.Conn) <-chan struct{} { // as a node's peer link: read until the other side closes
		done := make(chan struct{})
		go func() {
			defer close(done)
			buf := make([]byte, 64)
			for {
				if _, err := conn.Read(buf); err != nil {
					return
				}
			}
		}()
		return done
	}
	const window = 1500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), window)
	defer cancel()
	l.Run(ctx)
	// Backing off: 10+20+40+80+160 ms, then every 200 ms: ~11 dials in
	// 1.5 s. Redialling every 10 ms would be ~150; allow generous slack.
	if n := accepted.Load(); n > 40 {
		t.Errorf("%d connections in %v to a peer that resets each at once; want the link to back off (≈ 11)", n, window)
	}
	if n := accepted.Load(); n < 2 {
		t.Errorf("%d connections in %v; want the link to keep trying", n, window)
	}
}
