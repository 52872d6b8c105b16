package netfault

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// proxy is one Link: a listener whose connections are forwarded to the real
// address of node link.To through the link's two directions.
type proxy struct {
	net    *Network
	link   Link
	target string // the node's real address
	ln     net.Listener
	dirs   [2]*direction

	refused atomic.Bool // new connections are reset on arrival

	mu      sync.Mutex
	conns   map[*pconn]struct{}
	closing bool

	accepted, refusedConns, resets, dialFailures atomic.Int64
}

func newProxy(n *Network, l Link, target string, ln net.Listener) *proxy {
	return &proxy{
		net: n, link: l, target: target, ln: ln,
		dirs:  [2]*direction{newDirection(), newDirection()},
		conns: map[*pconn]struct{}{},
	}
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

// serve accepts until the listener is closed.
func (p *proxy) serve() {
	for {
		a, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // e.g. out of file descriptors
			continue
		}
		p.accepted.Add(1)
		c := newConn(p, a)
		if !p.track(c) {
			c.abort()
			return
		}
		// After track, so a Reset applied meanwhile either sees c in its
		// sweep or has set refused before this load.
		if p.refused.Load() {
			p.refusedConns.Add(1)
			c.abort()
			continue
		}
		p.net.wg.Go(c.connect)
	}
}

func (p *proxy) track(c *pconn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *proxy) untrack(c *pconn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
}

func (p *proxy) open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// resetAll resets every connection of the link, idle or busy, and returns
// how many there were.
func (p *proxy) resetAll() int {
	p.mu.Lock()
	cs := make([]*pconn, 0, len(p.conns))
	for c := range p.conns {
		cs = append(cs, c)
	}
	p.mu.Unlock()
	for _, c := range cs {
		c.abort()
	}
	return len(cs)
}

// close stops accepting and resets every connection.
func (p *proxy) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	p.closing = true
	p.mu.Unlock()
	p.resetAll()
}
