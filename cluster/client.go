package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stegocloud/internal/pki"
	"stegocloud/stego"
)

// ClientConfig configures a Client.
type ClientConfig struct {
	Nodes      Peers         // every node by id
	Timeout    time.Duration // per attempt; 0: 3s
	Retries    int           // attempts after the first, under the same id
	Backoff    time.Duration // pause before the first retry, doubled each time; 0: 50ms
	MaxBackoff time.Duration // cap of the pause; 0: 1s
	Key        []byte        // seal key the nodes use; nil: unsealed
	Codec      Codec         // verifies responses; nil: the stego package
	Name       string        // readable request-id prefix ("c17"); a random part is always added
	Transport  Transport     // nil: TCPTransport
	MaxFrame   int           // largest response accepted in bytes; 0: 64 MiB
	// TLS are the client's credentials (a client identity; see
	// pki.LoadClient): every connection is then mutual TLS, and each node must
	// prove it is the node of that id. nil: plaintext.
	TLS *pki.Credentials
	// OnLate, if set, hears of every response that arrives after its call
	// ended (counted in ClientStats.LateDuplicates): the request id, the
	// node that sent it, and whether it carried an image (false: an error
	// answer). It is called from the client's reader goroutines and must
	// be quick.
	OnLate func(id string, node int, served bool)
}

// maxClientName keeps request ids (name, '.', 12 hex digits, '-', a
// sequence number of up to 20 digits) within the nodes' id limit.
const maxClientName = maxIDLen - 1 - 12 - 1 - 20

// Reply is an accepted response.
type Reply struct {
	ID       string        // request id on the wire
	Node     int           // node that served it
	Image    []byte        // the image with the metadata hidden in it (PNG)
	Attempts int           // sends under this id: 1 + retries
	Invalid  int           // responses rejected by verification before this one
	Latency  time.Duration // from the call to the accepted response
	BytesOut int           // request bytes queued for all nodes and attempts
	BytesIn  int           // body bytes of the accepted response

	// InvalidFrom is the node of each response rejected by verification
	// (Invalid of them), in arrival order.
	InvalidFrom []int
}

// RequestError is how Encrypt fails: it unwraps to ErrTimeout, ErrNoNode,
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

// ClientStats are a client's cumulative counts.
type ClientStats struct {
	Requests       int64 // Encrypt calls
	OK             int64 // calls that returned a valid reply
	Failed         int64 // calls that returned an error
	Retries        int64 // attempts after the first, over all calls
	Invalid        int64 // responses whose image did not carry the metadata sent
	Unavailable    int64 // error responses saying a node could not serve now
	LateDuplicates int64 // responses that arrived after their call had ended
}

// Client multicasts requests to every node and takes the first valid
// response. It keeps one connection per node (redialled when it breaks) and
// is safe for concurrent use; each call costs no goroutines of its own.
type Client struct {
	cfg    ClientConfig
	prefix string
	seq    atomic.Uint64
	links  []*link
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
	msg  Message
}

// NewClient checks cfg and starts connecting to every node in the background.
func NewClient(cfg ClientConfig) (*Client, error) {
	if len(cfg.Nodes) == 0 {
		return nil, fmt.Errorf("%w: client nodes: none given", ErrConfig)
	}
	if _, err := ParsePeers(cfg.Nodes.String()); err != nil {
		return nil, fmt.Errorf("%w: client nodes: %v", ErrConfig, err)
	}
	if cfg.Timeout < 0 || cfg.Retries < 0 || cfg.Backoff < 0 || cfg.MaxBackoff < 0 || cfg.MaxFrame < 0 {
		return nil, fmt.Errorf("%w: client timeout, retries, backoff and max frame must not be negative", ErrConfig)
	}
	if len(cfg.Name) > maxClientName {
		return nil, fmt.Errorf("%w: client name of %d bytes, limit %d (request ids carry it and nodes refuse ids over %d bytes)",
			ErrConfig, len(cfg.Name), maxClientName, maxIDLen)
	}
	if cfg.TLS != nil && cfg.TLS.Identity.Role != pki.RoleClient {
		return nil, fmt.Errorf("%w: client TLS credentials are %s, want a client identity", ErrConfig, cfg.TLS.Identity)
	}
	cfg.Timeout = cmp0(cfg.Timeout, 3*time.Second)
	cfg.Backoff = cmp0(cfg.Backoff, 50*time.Millisecond)
	cfg.MaxBackoff = cmp0(cfg.MaxBackoff, time.Second)
	cfg.MaxFrame = cmp0(cfg.MaxFrame, 64<<20)
	if cfg.Transport == nil {
		cfg.Transport = TCPTransport{}
	}
	if cfg.Codec == nil {
		cfg.Codec = StegoCodec{}
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
		c.wg.Go(func() { l.run(c.ctx) })
	}
	return c, nil
}

func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func (c *Client) newLink(id int, addr string) *link {
	l := newLink(addr, c.cfg.Transport, Message{Type: MsgHello, Role: RoleClient, MaxFrame: int64(c.cfg.MaxFrame)}, 64)
	l.maxBackoff = 500 * time.Millisecond
	l.ctxErr = func() error { return c.ctx.Err() }
	if c.cfg.TLS != nil {
		l.tls = c.cfg.TLS.ClientConfig(pki.ExpectNode(id))
	}
	l.skip = func(f *frame) bool { return !c.active(f.id) }
	l.onWrite = func(f *frame) {
		c.mu.Lock()
		if cl := c.calls[f.id]; cl != nil {
			cl.written.Add(1)
			cl.queued.Add(-1)
		}
		c.mu.Unlock()
	}
	l.onDrop = func(f *frame) {
		c.mu.Lock()
		if cl := c.calls[f.id]; cl != nil && cl.queued.Add(-1) == 0 {
			select {
			case cl.ch <- response{node: undeliverable}:
			default:
			}
		}
		c.mu.Unlock()
	}
	l.onUp = func(conn net.Conn) <-chan struct{} {
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
	fr := NewFrameReader(conn, c.cfg.MaxFrame)
	for {
		msg, err := fr.Read()
		if err != nil || msg.Type != MsgResponse {
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
func (c *Client) deliver(node int, msg Message) {
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

// Encrypt asks the cluster to hide m in cover and returns the first response
// that really carries m. It retries with backoff under the same id until the
// retries are spent; a rejection ends it at once. cover is copied before
// Encrypt returns and never modified.
func (c *Client) Encrypt(ctx context.Context, cover []byte, m stego.Metadata) (Reply, error) {
	start := time.Now()
	c.requests.Add(1)
	id := c.prefix + "-" + strconv.FormatUint(c.seq.Add(1), 10)
	cl := c.register(id)
	defer c.unregister(id, cl)
	r := Reply{ID: id}
	backoff := c.cfg.Backoff
	for attempt := 1; attempt <= c.cfg.Retries+1; attempt++ {
		if attempt > 1 {
			c.retries.Add(1)
			if err := c.sleep(ctx, backoff); err != nil {
				return c.fail(r, err)
			}
			backoff = min(2*backoff, c.cfg.MaxBackoff)
		}
		r.Attempts = attempt
		written := cl.written.Load()
		sent, size, err := c.multicast(cl, id, attempt, cover, m)
		if err != nil {
			return c.fail(r, err)
		}
		r.BytesOut += sent * size
		if sent == 0 {
			continue
		}
		done, err := c.await(ctx, cl, written, m, &r)
		if done {
			if err != nil {
				return c.fail(r, err)
			}
			r.Latency = time.Since(start)
			c.ok.Add(1)
			return r, nil
		}
	}
	switch {
	case cl.written.Load() == 0:
		return c.fail(r, ErrNoNode)
	case r.Invalid > 0:
		return c.fail(r, ErrInvalidResponse)
	}
	return c.fail(r, ErrTimeout)
}

func (c *Client) fail(r Reply, err error) (Reply, error) {
	c.failed.Add(1)
	re := &RequestError{ID: r.ID, Attempts: r.Attempts, Err: err}
	if errors.Is(err, ErrTimeout) || errors.Is(err, ErrNoNode) {
		for i, l := range c.links {
			if why := l.trouble.Load(); why != nil {
				re.Links = append(re.Links, fmt.Sprintf("node %d: %s", c.ids[i], *why))
			}
		}
	}
	return r, re
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
func (c *Client) multicast(cl *call, id string, attempt int, cover []byte, m stego.Metadata) (sent, size int, err error) {
	msg := Message{Type: MsgRequest, ID: id, Attempt: attempt, Meta: &m, Body: cover}
	f, err := newFrame(&msg)
	if err != nil {
		return 0, 0, err
	}
	size = len(f.buf)
	for _, l := range c.links {
		cl.queued.Add(1) // before the writer can see the frame
		if l.enqueue(f) {
			sent++
		} else {
			cl.queued.Add(-1)
		}
	}
	f.release()
	return sent, size, nil
}

// await waits one attempt's timeout for a valid response, or less when the
// attempt's frames could not be delivered. done reports that the call is
// over, with err nil when r now holds the accepted response; written is the
// call's written count before this attempt.
func (c *Client) await(ctx context.Context, cl *call, written int32, m stego.Metadata, r *Reply) (done bool, err error) {
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
				if resp.msg.Code == CodeRejected {
					return true, fmt.Errorf("%w by node %d: %s", ErrRejected, resp.node, resp.msg.Error)
				}
				c.unavailable.Add(1)
				continue
			}
			if err := c.verify(resp.msg.Body, m); err != nil {
				r.Invalid++
				r.InvalidFrom = append(r.InvalidFrom, resp.node)
				c.invalid.Add(1)
				continue
			}
			r.Node, r.Image, r.BytesIn = resp.node, resp.msg.Body, len(resp.msg.Body)
			return true, nil
		}
	}
}

// verify checks that img carries exactly m.
func (c *Client) verify(img []byte, m stego.Metadata) error {
	got, err := c.cfg.Codec.Reveal(img, c.cfg.Key)
	if err != nil {
		return fmt.Errorf("revealing metadata: %w", err)
	}
	if got.Quota != m.Quota || !slices.Equal(got.Usernames, m.Usernames) {
		return fmt.Errorf("metadata %+v, sent %+v: %w", got, m, ErrInvalidResponse)
	}
	return nil
}

// Stats returns the cumulative counts.
func (c *Client) Stats() ClientStats {
	return ClientStats{
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
