package netfault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// checkLeaks, called first in a test, verifies after every other cleanup
// that the test left no goroutine behind.
func checkLeaks(t *testing.T) {
	t.Helper()
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// server is a stand-in for a node: a loopback listener whose accepted
// connections go to handle, or to conns when handle is nil.
type server struct {
	ln    net.Listener
	conns chan net.Conn

	mu       sync.Mutex
	accepted []net.Conn
	wg       sync.WaitGroup
}

func newServer(t *testing.T, handle func(net.Conn)) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln, conns: make(chan net.Conn, 64)}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.accepted = append(s.accepted, c)
			s.mu.Unlock()
			if handle == nil {
				s.conns <- c
				continue
			}
			s.wg.Go(func() { handle(c) })
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		s.mu.Lock()
		for _, c := range s.accepted {
			_ = c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *server) addr() string { return s.ln.Addr().String() }

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.accepted)
}

// next waits for the server's next connection.
func (s *server) next(t *testing.T) net.Conn {
	t.Helper()
	select {
	case c := <-s.conns:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no connection reached the server in 5 s")
		return nil
	}
}

// echo answers every byte and passes the end of the stream on.
func echo(c net.Conn) {
	_, _ = io.Copy(c, c)
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

// newNet builds a Network over the given node servers and closes it at the
// end of the test.
func newNet(t *testing.T, clients int, nodes map[int]*server) *Network {
	t.Helper()
	addrs := map[int]string{}
	for id, s := range nodes {
		addrs[id] = s.addr()
	}
	n, err := New(Config{Nodes: addrs, Clients: clients, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func peerAddr(t *testing.T, n *Network, from, to int) string {
	t.Helper()
	m, err := n.PeerAddrs(from)
	if err != nil {
		t.Fatal(err)
	}
	return m[to]
}

func clientAddr(t *testing.T, n *Network, c, to int) string {
	t.Helper()
	m, err := n.ClientAddrs(c)
	if err != nil {
		t.Fatal(err)
	}
	return m[to]
}

// frame is the seq-th frame of a test stream: a 4-byte length, then an
// 8-byte sequence number and a body derived from it.
func frame(seq int) []byte {
	size := 8 + (seq*7919)%3000
	b := make([]byte, 4+size)
	binary.BigEndian.PutUint32(b, uint32(size))
	binary.BigEndian.PutUint64(b[4:], uint64(seq))
	for i := 12; i < len(b); i++ {
		b[i] = byte(seq + i)
	}
	return b
}

// readFrames reads frames first..first+count-1 from r and fails on the first
// frame that is missing, out of order or corrupt.
func readFrames(r io.Reader, first, count int) error {
	for seq := first; seq < first+count; seq++ {
		want := frame(seq)
		got := make([]byte, len(want))
		if _, err := io.ReadFull(r, got[:4]); err != nil {
			return fmt.Errorf("frame %d: header: %w", seq, err)
		}
		if !bytes.Equal(got[:4], want[:4]) {
			return fmt.Errorf("frame %d: length %d, want %d", seq, binary.BigEndian.Uint32(got), len(want)-4)
		}
		if _, err := io.ReadFull(r, got[4:]); err != nil {
			return fmt.Errorf("frame %d: body: %w", seq, err)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("frame %d: corrupt (sequence %d)", seq, binary.BigEndian.Uint64(got[4:]))
		}
	}
	return nil
}

func writeFrames(w io.Writer, first, count int) error {
	for seq := first; seq < first+count; seq++ {
		if _, err := w.Write(frame(seq)); err != nil {
			return fmt.Errorf("frame %d: %w", seq, err)
		}
	}
	return nil
}

// silent asserts that nothing arrives on c for d.
func silent(t *testing.T, c net.Conn, d time.Duration, what string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	var b [1]byte
	n, err := c.Read(b[:])
	_ = c.SetReadDeadline(time.Time{})
	var ne net.Error
	if n > 0 || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("%s: read %d bytes, err %v; want nothing (held)", what, n, err)
	}
}

// readExactly reads len(want) bytes from c within d and compares them.
func readExactly(t *testing.T, c net.Conn, want string, d time.Duration, what string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	got := make([]byte, len(want))
	_, err := io.ReadFull(c, got)
	_ = c.SetReadDeadline(time.Time{})
	if err != nil || string(got) != want {
		t.Fatalf("%s: read %q, %v; want %q", what, got, err, want)
	}
}

// waitFor polls cond every 5 ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
