package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stegocloud/cluster/wire"
	"stegocloud/internal/pki"
)

// RequestError is how a call fails: it unwraps to ErrTimeout, ErrNoNode,
// ErrInvalidResponse, ErrRejected, ErrClosed or a context error.
type RequestError struct {
	ID       string
	Attempts int
	Err      error
	// Links says, for a request that timed out or reached no node, why
	// connections to nodes were failing ("node 2: dialing …: connection
	// refused"); empty when they were fine.
	Links []string
}

func (e *RequestError) Error() string {
	msg := fmt.Sprintf("request %s after %d attempt(s): %v", e.ID, e.Attempts, e.Err)
	if len(e.Links) > 0 {
		msg += " (" + strings.Join(e.Links, "; ") + ")"
	}
	return msg
}

func (e *RequestError) Unwrap() error { return e.Err }

// Stats are a client's cumulative counts, over calls of every kind.
type Stats struct {
	Requests       int64 // calls
	OK             int64 // calls that returned a valid answer
	Failed         int64 // calls that returned an error
	Retries        int64 // attempts after the first, over all calls
	Invalid        int64 // answers rejected by verification (Encrypt: the image did not carry the metadata sent)
	Unavailable    int64 // error answers saying a node could not serve now
	LateDuplicates int64 // answers that arrived after their call had ended
}

// Client multicasts requests to every node and takes the first valid
// answer. It keeps one connection per node (redialled when it breaks) and is
// safe for concurrent use; each call costs no goroutines of its own.
type Client struct {
	cfg    Config
	prefix string
	seq    atomic.Uint64
	links  []*wire.Link
	ids    []int // node id of each link
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	calls map[string]*call
	pool  sync.Pool

	requests, ok, failed, retries, invalid, unavailable, late atomic.Int64
}

type call struct {
	ch      chan response
	written atomic.Int32 // request frames handed to a connection, all attempts
	queued  atomic.Int32 // request frames waiting in link queues
}

// undeliverable is the response a call receives when the last of its queued
// frames was dropped (the link went down): no point waiting out the attempt.
const undeliverable = -1

type response struct {
	node int
	msg  wire.Message
}

// New checks cfg and starts connecting to every node in the background.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	// Nodes remember finished ids for a while and ignore their late copies,
	// so ids must never repeat across clients or runs: a random part makes
	// the prefix unique even when two clients share a Name.
	var b [6]byte
	rand.Read(b[:])
	c := &Client{cfg: cfg, prefix: hex.EncodeToString(b[:]), calls: map[string]*call{}}
	if cfg.Name != "" {
		c.prefix = cfg.Name + "." + c.prefix
	}
	depth := 2 * len(cfg.Nodes) * (cfg.Retries + 1)
	c.pool.New = func() any { return &call{ch: make(chan response, depth)} }
	c.ctx, c.cancel = context.WithCancel(context.Background())
	for _, id := range cfg.Nodes.IDs() {
		l := c.newLink(id, cfg.Nodes[id])
		c.links, c.ids = append(c.links, l), append(c.ids, id)
		c.wg.Go(func() { l.Run(c.ctx) })
	}
	return c, nil
}

func (c *Client) newLink(id int, addr string) *wire.Link {
	l := wire.NewLink(addr, c.cfg.Transport, wire.Message{Type: wire.MsgHello, Role: wire.RoleClient, MaxFrame: int64(c.cfg.MaxFrame)}, 64)
	l.MaxBackoff = 500 * time.Millisecond
	l.CtxErr = func() error { return c.ctx.Err() }
	if c.cfg.TLS != nil {
		l.TLS = c.cfg.TLS.ClientConfig(pki.ExpectNode(id))
	}
	l.Skip = func(f *wire.Frame) bool { return !c.active(f.ID) }
	l.OnWrite = func(f *wire.Frame) {
		c.mu.Lock()
		if cl := c.calls[f.ID]; cl != nil {
			cl.written.Add(1)
			cl.queued.Add(-1)
		}
		c.mu.Unlock()
	}
	l.OnDrop = func(f *wire.Frame) {
		c.mu.Lock()
		if cl := c.calls[f.ID]; cl != nil && cl.queued.Add(-1) == 0 {
			select {
			case cl.ch <- response{node: undeliverable}:
			default:
			}
		}
		c.mu.Unlock()
	}
	l.OnUp = func(conn net.Conn) <-chan struct{} {
		done := make(chan struct{})
		c.wg.Go(func() {
			defer close(done)
			c.readResponses(id, conn)
		})
		return done
	}
	return l
}

func (c *Client) readResponses(node int, conn net.Conn) {
	fr := wire.NewFrameReader(conn, c.cfg.MaxFrame)
	for {
		msg, err := fr.Read()
		if err != nil || msg.Type != wire.MsgResponse {
			return
		}
		c.deliver(node, msg)
	}
}

func (c *Client) active(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[id] != nil
}

// deliver hands a response to its waiting call; sends happen under the lock
// so that an unregistered call never receives anything.
func (c *Client) deliver(node int, msg wire.Message) {
	c.mu.Lock()
	cl := c.calls[msg.ID]
	if cl != nil {
		select {
		case cl.ch <- response{node: node, msg: msg}:
		default:
		}
	}
	c.mu.Unlock()
	if cl == nil {
		c.lateResponse(msg.ID, node, msg.Error == "")
	}
}

func (c *Client) lateResponse(id string, node int, served bool) {
	c.late.Add(1)
	if c.cfg.OnLate != nil {
		c.cfg.OnLate(id, node, served)
	}
}

func (c *Client) register(id string) *call {
	cl := c.pool.Get().(*call)
	cl.written.Store(0)
	cl.queued.Store(0)
	c.mu.Lock()
	c.calls[id] = cl
	c.mu.Unlock()
	return cl
}

func (c *Client) unregister(id string, cl *call) {
	c.mu.Lock()
	delete(c.calls, id)
	c.mu.Unlock()
	for len(cl.ch) > 0 {
		if r := <-cl.ch; r.node != undeliverable {
			c.lateResponse(id, r.node, r.msg.Error == "")
		}
	}
	c.pool.Put(cl)
}

// exchange is one call's course: the request sent, the answer accepted.
type exchange struct {
	ID       string
	Node     int          // node whose answer was accepted
	Answer   wire.Message // that answer
	Attempts int          // sends under this id: 1 + retries
	Invalid  int          // answers rejected by check before the accepted one
	// InvalidFrom is the node of each rejected answer, in arrival order.
	InvalidFrom []int
	Latency     time.Duration
	BytesOut    int // request bytes queued for all nodes and attempts
}

// do multicasts req (its ID and Attempt are set here) attempt by attempt,
// with backoff between them, until check accepts an answer (returns nil), a
// node rejects the request (or check does, with an error wrapping
// ErrRejected), or the attempts are spent. Other answers check refuses are
// counted as invalid and skipped. req.Body is copied into the frame
// before the first attempt's multicast returns and never modified.
func (c *Client) do(ctx context.Context, req wire.Message, check func(*wire.Message) error) (exchange, error) {
	start := time.Now()
	c.requests.Add(1)
	id := c.prefix + "-" + strconv.FormatUint(c.seq.Add(1), 10)
	cl := c.register(id)
	defer c.unregister(id, cl)
	x := exchange{ID: id}
	req.Type, req.ID = wire.MsgRequest, id
	backoff := c.cfg.Backoff
	for attempt := 1; attempt <= c.cfg.Retries+1; attempt++ {
		if attempt > 1 {
			c.retries.Add(1)
			if err := c.sleep(ctx, backoff); err != nil {
				return c.fail(x, err)
			}
			backoff = min(2*backoff, c.cfg.MaxBackoff)
		}
		x.Attempts = attempt
		req.Attempt = attempt
		written := cl.written.Load()
		sent, size, err := c.multicast(cl, &req)
		if err != nil {
			return c.fail(x, err)
		}
		x.BytesOut += sent * size
		if sent == 0 {
			continue
		}
		done, err := c.await(ctx, cl, written, check, &x)
		if done {
			if err != nil {
				return c.fail(x, err)
			}
			x.Latency = time.Since(start)
			c.ok.Add(1)
			return x, nil
		}
	}
	switch {
	case cl.written.Load() == 0:
		return c.fail(x, ErrNoNode)
	case x.Invalid > 0:
		return c.fail(x, ErrInvalidResponse)
	}
	return c.fail(x, ErrTimeout)
}

func (c *Client) fail(x exchange, err error) (exchange, error) {
	c.failed.Add(1)
	re := &RequestError{ID: x.ID, Attempts: x.Attempts, Err: err}
	if errors.Is(err, ErrTimeout) || errors.Is(err, ErrNoNode) {
		for i, l := range c.links {
			if why := l.Trouble.Load(); why != nil {
				re.Links = append(re.Links, fmt.Sprintf("node %d: %s", c.ids[i], *why))
			}
		}
	}
	return x, re
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctxErr(ctx)
	case <-c.ctx.Done():
		return ErrClosed
	}
}

func ctxErr(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
	}
	return ctx.Err()
}

// multicast encodes the request once and queues it on every node's link.
func (c *Client) multicast(cl *call, req *wire.Message) (sent, size int, err error) {
	f, err := wire.NewFrame(req)
	if err != nil {
		return 0, 0, err
	}
	size = len(f.Buf)
	for _, l := range c.links {
		cl.queued.Add(1) // before the writer can see the frame
		if l.Enqueue(f) {
			sent++
		} else {
			cl.queued.Add(-1)
		}
	}
	f.Release()
	return sent, size, nil
}

// await waits one attempt's timeout for a valid answer, or less when the
// attempt's frames could not be delivered. done reports that the call is
// over, with err nil when x now holds the accepted answer; written is the
// call's written count before this attempt.
func (c *Client) await(ctx context.Context, cl *call, written int32, check func(*wire.Message) error, x *exchange) (done bool, err error) {
	t := time.NewTimer(c.cfg.Timeout)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			return false, nil
		case <-ctx.Done():
			return true, ctxErr(ctx)
		case <-c.ctx.Done():
			return true, ErrClosed
		case resp := <-cl.ch:
			if resp.node == undeliverable {
				if cl.queued.Load() == 0 && cl.written.Load() == written {
					return false, nil
				}
				continue
			}
			if resp.msg.Error != "" {
				if resp.msg.Code == wire.CodeRejected {
					return true, fmt.Errorf("%w by node %d: %s", ErrRejected, resp.node, resp.msg.Error)
				}
				c.unavailable.Add(1)
				continue
			}
			if err := check(&resp.msg); err != nil {
				if errors.Is(err, ErrRejected) {
					return true, err
				}
				x.Invalid++
				x.InvalidFrom = append(x.InvalidFrom, resp.node)
				c.invalid.Add(1)
				continue
			}
			x.Node, x.Answer = resp.node, resp.msg
			return true, nil
		}
	}
}

// Stats returns the cumulative counts.
func (c *Client) Stats() Stats {
	return Stats{
		Requests: c.requests.Load(), OK: c.ok.Load(), Failed: c.failed.Load(), Retries: c.retries.Load(),
		Invalid: c.invalid.Load(), Unavailable: c.unavailable.Load(), LateDuplicates: c.late.Load(),
	}
}

// Close ends every connection; calls in progress return ErrClosed.
func (c *Client) Close() error {
	c.cancel()
	c.wg.Wait()
	return nil
}
