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

// pump is one direction of one connection: a reader and a writer goroutine
// joined by a bounded fifo. The writer holds wmu from taking a chunk until it
// is delivered; the reader may deliver a chunk itself (the fast path) only
// while the gate passes, the fifo is empty and wmu is free, so nothing it
// writes can overtake an earlier chunk.
type pump struct {
	c        *pconn
	dir      *direction
	src, dst net.Conn
	q        *fifo
	wmu      sync.Mutex
	pace     time.Time   // bandwidth: when the next byte may leave
	timer    *time.Timer // the writer's, for due times and pacing
}

func (c *pconn) pump(d Dir, src, dst net.Conn) {
	p := &pump{c: c, dir: c.p.dirs[d], src: src, dst: dst, q: newFIFO(queueLimit), timer: time.NewTimer(time.Hour)}
	defer p.timer.Stop()
	readerDone := make(chan struct{})
	c.p.net.wg.Go(func() {
		defer close(readerDone)
		p.read()
	})
	if p.write() {
		return
	}
	// Aborted: once the reader has stopped, nothing else enters q.
	<-readerDone
	for ch, ok := p.q.tryPop(); ok; ch, ok = p.q.tryPop() {
		release(p.dir, ch)
	}
}

// read moves src's bytes on. It does not read while the direction is held,
// so a held sender fills its socket buffers and blocks.
func (p *pump) read() {
	c, dir := p.c, p.dir
	timer := time.NewTimer(time.Hour) // for the fast path, should pacing start mid-write
	defer timer.Stop()
	scratch := bufPool.Get().(*[]byte)
	defer func() { bufPool.Put(scratch) }()
	for {
		if _, _, ok := dir.waitOpen(c.done); !ok {
			return
		}
		n, err := p.src.Read(*scratch)
		if n > 0 {
			g, _ := dir.load() // now, not before the read: bytes read after a hold began wait
			if done, ok := p.fastPath((*scratch)[:n], g, timer); !ok {
				return
			} else if !done {
				var ch chunk
				ch, scratch = p.take(scratch, n, g)
				dir.addBuffered(int64(n))
				if !p.q.push(ch, c.done) {
					release(dir, ch)
					return
				}
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			p.q.push(chunk{eof: true}, c.done)
			return
		case err != nil:
			c.abort()
			return
		}
	}
}

// fastPath delivers buf from the reader itself when the gate passes and no
// earlier chunk is queued or being written. done: it did; ok: false if the
// connection ended.
func (p *pump) fastPath(buf []byte, g Gate, timer *time.Timer) (done, ok bool) {
	if !g.IsPass() || !p.wmu.TryLock() {
		return false, true
	}
	defer p.wmu.Unlock()
	if !p.q.empty() {
		return false, true
	}
	return true, p.deliver(buf, timer)
}

// take makes a chunk of the n bytes read into scratch and returns the buffer
// to read into next. A large read hands its buffer over; a small one is
// copied, so a delayed stream of small frames does not pin 32 KiB each.
func (p *pump) take(scratch *[]byte, n int, g Gate) (chunk, *[]byte) {
	ch := chunk{buf: (*scratch)[:n]}
	if n >= chunkSize/8 {
		ch.pooled = scratch
		scratch = bufPool.Get().(*[]byte)
	} else {
		ch.buf = bytes.Clone(ch.buf)
	}
	if g.Delay > 0 || g.Jitter > 0 {
		ch.due = time.Now().Add(p.c.p.net.sample(g))
	}
	return ch, scratch
}

// write delivers q's chunks to dst in order, each no earlier than its due
// time and only while the direction is open. It returns true when it
// delivered the end of the stream, false when the connection was aborted.
func (p *pump) write() bool {
	c, dir := p.c, p.dir
	for {
		p.wmu.Lock()
		ch, ok := p.q.tryPop()
		if !ok {
			p.wmu.Unlock()
			select {
			case <-p.q.data:
				continue
			case <-c.done:
				return false
			}
		}
		if ch.eof {
			p.wmu.Unlock()
			if _, _, ok := dir.waitOpen(c.done); !ok {
				return false
			}
			if tc, ok := p.dst.(*net.TCPConn); ok {
				_ = tc.CloseWrite()
			}
			c.halfDone()
			return true
		}
		ok = c.sleepUntil(ch.due, p.timer) && p.deliver(ch.buf, p.timer)
		release(dir, ch)
		p.wmu.Unlock()
		if !ok {
			return false
		}
	}
}

// deliver writes buf to dst, waiting while the direction is held and pacing
// it under a bandwidth limit; the caller holds wmu.
func (p *pump) deliver(buf []byte, timer *time.Timer) bool {
	c, dir, dst, pace := p.c, p.dir, p.dst, &p.pace
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
