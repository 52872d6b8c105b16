package wire

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

// IOTimeout bounds a single write to a connection; a peer that cannot take a
// frame in this long is treated as gone.
const IOTimeout = 10 * time.Second

const (
	linkDialing int32 = iota // connecting: frames queue and go out once up
	linkUp
	linkDown // between attempts: frames are refused
)

// Link is a persistent outgoing connection with a bounded queue and a writer
// goroutine (Run). It redials with backoff whenever the connection breaks,
// and never blocks the goroutine that enqueues. Set the exported fields
// before Run; the hooks are called from Run's goroutine.
type Link struct {
	addr  string
	tr    Transport
	hello Message
	q     chan *Frame
	wake  chan struct{}
	state atomic.Int32

	MinBackoff  time.Duration // first pause after a failed dial (10ms)
	MaxBackoff  time.Duration // cap of the doubling pause (200ms)
	DialTimeout time.Duration // per dial, TLS handshake and hello included (1s)
	TLS         *tls.Config   // nil: plaintext

	// Trouble says why the last connection attempt failed or was closed
	// straight away; nil once a connection has lived a second.
	Trouble atomic.Pointer[string]

	Skip    func(*Frame) bool                           // true: the frame is no longer wanted, do not write it
	OnUp    func(net.Conn) (readerDone <-chan struct{}) // starts a reader on the new connection
	OnDown  func(error)                                 // an established connection broke
	OnWrite func(*Frame)                                // a frame was written
	OnDrop  func(*Frame)                                // a queued frame was discarded
	CtxErr  func() error                                // the owner's context, so a shutdown is not noted as trouble
}

// NewLink returns a link to addr over tr that greets with hello and queues
// up to queue frames. Run connects it.
func NewLink(addr string, tr Transport, hello Message, queue int) *Link {
	return &Link{
		addr: addr, tr: tr, hello: hello,
		q: make(chan *Frame, queue), wake: make(chan struct{}, 1),
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, DialTimeout: time.Second,
	}
}

// Enqueue queues f (taking a reference) unless the link is down or full.
func (l *Link) Enqueue(f *Frame) bool {
	if l.state.Load() == linkDown {
		return false
	}
	f.Retain()
	select {
	case l.q <- f:
		return true
	default:
		f.Release()
		return false
	}
}

// Poke cuts the current backoff short: the other side is probably back.
func (l *Link) Poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run connects and writes until ctx ends.
func (l *Link) Run(ctx context.Context) {
	backoff := l.MinBackoff
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
			backoff = min(2*backoff, l.MaxBackoff)
			continue
		}
		up := time.Now()
		var readerDone <-chan struct{}
		if l.OnUp != nil {
			readerDone = l.OnUp(conn)
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
		if l.OnDown != nil {
			l.OnDown(err)
		}
		// A connection that lived a while broke: redial at once. One the
		// other side closed straight away (it refused us: a connection
		// cap, a certificate it does not accept) is retried with backoff,
		// not in a tight loop.
		if time.Since(up) >= stableConn {
			l.Trouble.Store(nil)
			backoff = l.MinBackoff
			continue
		}
		l.note("the node closed each connection right after the hello (TLS required or refused? a connection cap?)")
		if !l.wait(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, l.MaxBackoff)
	}
}

func (l *Link) note(why string) {
	if l.CtxErr == nil || l.CtxErr() == nil {
		l.Trouble.Store(&why)
	}
}

// stableConn is how long a connection must live for a redial to skip the
// backoff.
const stableConn = time.Second

// wait sleeps d, or less if poked; false means ctx ended.
func (l *Link) wait(ctx context.Context, d time.Duration) bool {
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

func (l *Link) dial(ctx context.Context) (net.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, l.DialTimeout)
	defer cancel()
	conn, err := l.tr.Dial(dctx, l.addr)
	if err != nil {
		return nil, err
	}
	if l.TLS != nil {
		tc := tls.Client(conn, l.TLS)
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("tls with %s: %w", l.addr, err)
		}
		conn = tc
	}
	b, err := AppendFrame(nil, &l.hello)
	if err == nil {
		conn.SetWriteDeadline(time.Now().Add(IOTimeout))
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
func (l *Link) pump(ctx context.Context, conn net.Conn, readerDone <-chan struct{}) error {
	bw := bufio.NewWriterSize(conn, 64<<10)
	for {
		select {
		case <-ctx.Done():
			l.farewell(conn, bw)
			return ctx.Err()
		case <-readerDone:
			return errReaderEnded
		case f := <-l.q:
			conn.SetWriteDeadline(time.Now().Add(IOTimeout))
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
func (l *Link) farewell(conn net.Conn, bw *bufio.Writer) {
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

func (l *Link) write(bw *bufio.Writer, f *Frame) error {
	defer f.Release()
	if l.Skip != nil && l.Skip(f) {
		return nil
	}
	if _, err := bw.Write(f.Buf); err != nil {
		if l.OnDrop != nil {
			l.OnDrop(f)
		}
		return fmt.Errorf("writing to %s: %w", l.addr, err)
	}
	if l.OnWrite != nil {
		l.OnWrite(f)
	}
	return nil
}

func (l *Link) drain() {
	for {
		select {
		case f := <-l.q:
			if l.OnDrop != nil {
				l.OnDrop(f)
			}
			f.Release()
		default:
			return
		}
	}
}
