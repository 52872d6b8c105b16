package cluster

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// ioTimeout bounds a single write to a connection; a peer that cannot take a
// frame in this long is treated as gone.
const ioTimeout = 10 * time.Second

const (
	linkDialing int32 = iota // connecting: frames queue and go out once up
	linkUp
	linkDown // between attempts: frames are refused
)

// link is a persistent outgoing connection with a bounded queue and a writer
// goroutine. It redials with backoff whenever the connection breaks, and
// never blocks the goroutine that enqueues.
type link struct {
	addr        string
	tr          Transport
	hello       Message
	q           chan *frame
	wake        chan struct{}
	state       atomic.Int32
	minBackoff  time.Duration
	maxBackoff  time.Duration
	dialTimeout time.Duration
	tls         *tls.Config // nil: plaintext
	// trouble says why the last connection attempt failed or was closed
	// straight away; nil once a connection has lived stableConn.
	trouble atomic.Pointer[string]

	skip    func(*frame) bool                           // true: the frame is no longer wanted
	onUp    func(net.Conn) (readerDone <-chan struct{}) // starts a reader on the new connection
	onDown  func(error)                                 // an established connection broke
	onWrite func(*frame)
	onDrop  func(*frame)
	ctxErr  func() error // the owner's context, so a shutdown is not noted as trouble
}

func newLink(addr string, tr Transport, hello Message, queue int) *link {
	return &link{
		addr: addr, tr: tr, hello: hello,
		q: make(chan *frame, queue), wake: make(chan struct{}, 1),
		minBackoff: 10 * time.Millisecond, maxBackoff: 200 * time.Millisecond, dialTimeout: time.Second,
	}
}

// enqueue queues f (taking a reference) unless the link is down or full.
func (l *link) enqueue(f *frame) bool {
	if l.state.Load() == linkDown {
		return false
	}
	f.retain()
	select {
	case l.q <- f:
		return true
	default:
		f.release()
		return false
	}
}

// poke cuts the current backoff short: the other side is probably back.
func (l *link) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *link) run(ctx context.Context) {
	backoff := l.minBackoff
	for ctx.Err() == nil {
		l.state.Store(linkDialing)
		conn, err := l.dial(ctx)
		if err != nil {
			l.note(err.Error())
			l.state.Store(linkDown)
			l.drain()
			if !l.wait(ctx, backoff) {
				return
			}
			backoff = min(2*backoff, l.maxBackoff)
			continue
		}
		up := time.Now()
		var readerDone <-chan struct{}
		if l.onUp != nil {
			readerDone = l.onUp(conn)
		}
		l.state.Store(linkUp)
		err = l.pump(ctx, conn, readerDone)
		l.state.Store(linkDown)
		conn.Close()
		if readerDone != nil {
			<-readerDone
		}
		l.drain()
		if ctx.Err() != nil {
			return
		}
		if l.onDown != nil {
			l.onDown(err)
		}
		// A connection that lived a while broke: redial at once. One the
		// other side closed straight away (it refused us: a connection
		// cap, a certificate it does not accept) is retried with backoff,
		// not in a tight loop.
		if time.Since(up) >= stableConn {
			l.trouble.Store(nil)
			backoff = l.minBackoff
			continue
		}
		l.note("the node closed each connection right after the hello (TLS required or refused? a connection cap?)")
		if !l.wait(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, l.maxBackoff)
	}
}

func (l *link) note(why string) {
	if l.ctxErr == nil || l.ctxErr() == nil {
		l.trouble.Store(&why)
	}
}

// stableConn is how long a connection must live for a redial to skip the
// backoff.
const stableConn = time.Second

// wait sleeps d, or less if poked; false means ctx ended.
func (l *link) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-l.wake:
	case <-t.C:
	}
	return true
}

func (l *link) dial(ctx context.Context) (net.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, l.dialTimeout)
	defer cancel()
	conn, err := l.tr.Dial(dctx, l.addr)
	if err != nil {
		return nil, err
	}
	if l.tls != nil {
		tc := tls.Client(conn, l.tls)
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("tls with %s: %w", l.addr, err)
		}
		conn = tc
	}
	b, err := AppendFrame(nil, &l.hello)
	if err == nil {
		conn.SetWriteDeadline(time.Now().Add(ioTimeout))
		_, err = conn.Write(b)
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("greeting %s: %w", l.addr, err)
	}
	return conn, nil
}

var errReaderEnded = errors.New("connection reader ended")

// pump writes queued frames, batching whatever is already queued into one
// flush, until the connection or ctx ends.
func (l *link) pump(ctx context.Context, conn net.Conn, readerDone <-chan struct{}) error {
	bw := bufio.NewWriterSize(conn, 64<<10)
	for {
		select {
		case <-ctx.Done():
			l.farewell(conn, bw)
			return ctx.Err()
		case <-readerDone:
			return errReaderEnded
		case f := <-l.q:
			conn.SetWriteDeadline(time.Now().Add(ioTimeout))
			if err := l.write(bw, f); err != nil {
				return err
			}
			for more := true; more; {
				select {
				case f := <-l.q:
					if err := l.write(bw, f); err != nil {
						return err
					}
				default:
					more = false
				}
			}
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("writing to %s: %w", l.addr, err)
			}
		}
	}
}

// farewell writes what is still queued, within a short deadline, when the
// link is closed on purpose: a stopping node's last words (its final
// heartbeat) should arrive.
func (l *link) farewell(conn net.Conn, bw *bufio.Writer) {
	conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	for {
		select {
		case f := <-l.q:
			if l.write(bw, f) != nil {
				return
			}
		default:
			bw.Flush()
			return
		}
	}
}

func (l *link) write(bw *bufio.Writer, f *frame) error {
	defer f.release()
	if l.skip != nil && l.skip(f) {
		return nil
	}
	if _, err := bw.Write(f.buf); err != nil {
		if l.onDrop != nil {
			l.onDrop(f)
		}
		return fmt.Errorf("writing to %s: %w", l.addr, err)
	}
	if l.onWrite != nil {
		l.onWrite(f)
	}
	return nil
}

func (l *link) drain() {
	for {
		select {
		case f := <-l.q:
			if l.onDrop != nil {
				l.onDrop(f)
			}
			f.release()
		default:
			return
		}
	}
}
