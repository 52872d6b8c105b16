package netfault

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

const (
	// chunkSize is the largest single read a pump makes.
	chunkSize = 32 << 10
	// queueLimit bounds the bytes one direction of one connection keeps in
	// the proxy (plus at most one chunk): with a 100 ms delay a connection
	// still carries 10 MB/s.
	queueLimit = 1 << 20
)

var bufPool = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// pconn is one proxied connection: a, accepted from the dialer, and b, dialled
// to the node once the Up direction is open. Each direction runs a reader and
// a writer goroutine joined by a bounded fifo.
type pconn struct {
	p    *proxy
	a    net.Conn
	done chan struct{} // closed when the connection ends, either way

	mu     sync.Mutex
	b      net.Conn
	ended  bool
	halves int // directions whose EOF was delivered
}

func newConn(p *proxy, a net.Conn) *pconn { return &pconn{p: p, a: a, done: make(chan struct{})} }

// abort ends the connection with a TCP reset on both sides.
func (c *pconn) abort() { c.end(true) }

func (c *pconn) end(reset bool) {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.ended = true
	a, b := c.a, c.b
	c.mu.Unlock()
	close(c.done)
	for _, x := range []net.Conn{a, b} {
		if x == nil {
			continue
		}
		if tc, ok := x.(*net.TCPConn); ok && reset {
			_ = tc.SetLinger(0) // Close now sends RST, not FIN
		}
		_ = x.Close()
	}
	c.p.untrack(c)
}

// halfDone records a delivered EOF; after both, the connection ends cleanly.
func (c *pconn) halfDone() {
	c.mu.Lock()
	c.halves++
	both := c.halves == 2
	c.mu.Unlock()
	if both {
		c.end(false)
	}
}

func (c *pconn) setUpstream(b net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		_ = b.Close()
		return false
	}
	c.b = b
	return true
}

// connect waits until the dialer's bytes may reach the node (accept and
// hold: while Up is held, the node sees no connection at all), dials the node
// and starts the two pumps.
func (c *pconn) connect() {
	if _, _, ok := c.p.dirs[Up].waitOpen(c.done); !ok {
		return
	}
	d := net.Dialer{Timeout: c.p.net.dialTimeout}
	b, err := d.DialContext(c.p.net.ctx, "tcp", c.p.target)
	if err != nil {
		c.p.dialFailures.Add(1)
		c.abort() // the dialer sees a reset, as if refused
		return
	}
	if !c.setUpstream(b) {
		return
	}
	c.p.net.wg.Go(func() { c.pump(Up, c.a, b) })
	c.pump(Down, b, c.a)
}

func (c *pconn) pump(d Dir, src, dst net.Conn) {
	dir := c.p.dirs[d]
	q := newFIFO(queueLimit)
	readerDone := make(chan struct{})
	c.p.net.wg.Go(func() {
		defer close(readerDone)
		c.read(dir, src, q)
	})
	if c.write(dir, dst, q) {
		return
	}
	// Aborted: once the reader has stopped, nothing else enters q.
	<-readerDone
	for ch, ok := q.tryPop(); ok; ch, ok = q.tryPop() {
		release(dir, ch)
	}
}

// read moves src's bytes into q. It does not read while the direction is
// held, so a held sender fills its socket buffers and blocks.
func (c *pconn) read(dir *direction, src net.Conn, q *fifo) {
	scratch := bufPool.Get().(*[]byte)
	defer func() { bufPool.Put(scratch) }()
	for {
		if _, _, ok := dir.waitOpen(c.done); !ok {
			return
		}
		n, err := src.Read(*scratch)
		if n > 0 {
			ch := chunk{buf: (*scratch)[:n]}
			if n >= chunkSize/8 {
				ch.pooled = scratch // hand the buffer over, take a fresh one
				scratch = bufPool.Get().(*[]byte)
			} else {
				ch.buf = bytes.Clone(ch.buf)
			}
			if g, _ := dir.load(); g.Delay > 0 || g.Jitter > 0 {
				ch.due = time.Now().Add(c.p.net.sample(g))
			}
			dir.addBuffered(int64(n))
			if !q.push(ch, c.done) {
				release(dir, ch)
				return
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			q.push(chunk{eof: true}, c.done)
			return
		case err != nil:
			c.abort()
			return
		}
	}
}

// write delivers q's chunks to dst in order, each no earlier than its due
// time and only while the direction is open. It returns true when it
// delivered the end of the stream, false when the connection was aborted.
func (c *pconn) write(dir *direction, dst net.Conn, q *fifo) bool {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var pace time.Time // bandwidth: when the next byte may leave
	for {
		ch, ok := q.pop(c.done)
		if !ok {
			return false
		}
		if !ch.eof && !c.sleepUntil(ch.due, timer) {
			release(dir, ch)
			return false
		}
		if ch.eof {
			if _, _, ok := dir.waitOpen(c.done); !ok {
				return false
			}
			if tc, ok := dst.(*net.TCPConn); ok {
				_ = tc.CloseWrite()
			}
			c.halfDone()
			return true
		}
		ok = c.deliver(dir, dst, ch.buf, &pace, timer)
		release(dir, ch)
		if !ok {
			return false
		}
	}
}

func (c *pconn) deliver(dir *direction, dst net.Conn, buf []byte, pace *time.Time, timer *time.Timer) bool {
	held := false
	for len(buf) > 0 {
		g, waited, ok := dir.waitOpen(c.done)
		if !ok {
			return false
		}
		held = held || waited
		piece := buf
		if g.Bandwidth > 0 {
			piece = piece[:min(len(piece), int(max(1, g.Bandwidth/100)))] // ~10 ms of traffic
			if now := time.Now(); pace.Before(now) {
				*pace = now
			}
			if !c.sleepUntil(*pace, timer) {
				return false
			}
			*pace = pace.Add(time.Duration(len(piece)) * time.Second / time.Duration(g.Bandwidth))
		}
		n, err := dst.Write(piece)
		dir.bytes.Add(int64(n))
		if err != nil {
			c.abort()
			return false
		}
		buf = buf[n:]
	}
	dir.chunks.Add(1)
	if held {
		dir.heldChunks.Add(1)
	}
	return true
}

// sleepUntil waits for t; false if the connection ended first.
func (c *pconn) sleepUntil(t time.Time, timer *time.Timer) bool {
	d := time.Until(t)
	if t.IsZero() || d <= 0 {
		return true
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return true
	case <-c.done:
		return false
	}
}

// release forgets a chunk that left the proxy (delivered or dropped with its
// connection).
func release(dir *direction, ch chunk) {
	dir.addBuffered(-int64(len(ch.buf)))
	if ch.pooled != nil {
		bufPool.Put(ch.pooled)
	}
}
