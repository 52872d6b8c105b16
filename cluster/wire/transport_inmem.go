package wire

import (
	"context"
	"fmt"
	"net"
	"sync"
	"syscall"
)

// InmemNetwork is an in-process Transport for tests: listeners are names,
// connections are net.Pipe pairs (synchronous, with deadlines). Closing a
// listener's connections simulates a crashed process.
type InmemNetwork struct {
	mu        sync.Mutex
	listeners map[string]*inmemListener
}

var _ Transport = (*InmemNetwork)(nil)

// NewInmemNetwork returns an empty network.
func NewInmemNetwork() *InmemNetwork {
	return &InmemNetwork{listeners: map[string]*inmemListener{}}
}

// Listen registers addr; it fails if addr is taken.
func (n *InmemNetwork) Listen(addr string) (net.Listener, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, taken := n.listeners[addr]; taken {
		return nil, fmt.Errorf("listening on %s: %w", addr, syscall.EADDRINUSE)
	}
	l := &inmemListener{net: n, addr: inmemAddr(addr), accept: make(chan net.Conn), done: make(chan struct{})}
	n.listeners[addr] = l
	return l, nil
}

// Dial connects to a listening addr, or fails like a refused TCP connection.
func (n *InmemNetwork) Dial(ctx context.Context, addr string) (net.Conn, error) {
	n.mu.Lock()
	l := n.listeners[addr]
	n.mu.Unlock()
	if l == nil {
		return nil, fmt.Errorf("dialing %s: %w", addr, syscall.ECONNREFUSED)
	}
	client, server := net.Pipe()
	select {
	case l.accept <- server:
		return client, nil
	case <-l.done:
	case <-ctx.Done():
	}
	client.Close()
	server.Close()
	return nil, fmt.Errorf("dialing %s: %w", addr, syscall.ECONNREFUSED)
}

type inmemListener struct {
	net    *InmemNetwork
	addr   inmemAddr
	accept chan net.Conn
	done   chan struct{}
	once   sync.Once
}

func (l *inmemListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.accept:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *inmemListener) Close() error {
	l.once.Do(func() {
		close(l.done)
		l.net.mu.Lock()
		if l.net.listeners[string(l.addr)] == l {
			delete(l.net.listeners, string(l.addr))
		}
		l.net.mu.Unlock()
	})
	return nil
}

func (l *inmemListener) Addr() net.Addr { return l.addr }

type inmemAddr string

func (a inmemAddr) Network() string { return "inmem" }
func (a inmemAddr) String() string  { return string(a) }
