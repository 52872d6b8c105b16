package cluster

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Limits on connections, so that a flood of connections (or of idle ones)
// cannot exhaust the node's memory or file descriptors and leave it unable to
// dial a restarted peer.
const (
	// helloFrameLimit bounds frames before hello: a hello is ~100 bytes.
	helloFrameLimit = 4 << 10
	// controlFrameLimit bounds a control connection's frames.
	controlFrameLimit = 64 << 10
	// peerSilenceFactor: a peer connection silent (while this node ran) for
	// this many suspect-after periods is closed; heartbeats keep live ones
	// busy, a Failed node's stay silent.
	peerSilenceFactor = 10
	// connBuffer is each inbound connection's read buffer; bodies bypass it.
	connBuffer = 4 << 10
)

// roleUnidentified is the role of a connection before its hello.
const roleUnidentified = ""

// inConn is one inbound connection as the node tracks it.
type inConn struct {
	conn net.Conn
	role string
	peer int // for role peer

	heard  atomic.Bool            // a frame arrived since the watchdog last looked
	busy   atomic.Int32           // requests being served for this client: not idle
	reason atomic.Pointer[string] // why the node closed it, for the reader's log

	silent time.Duration // owned by the watchdog (the loop)
}

// closeFor closes the connection, leaving the reason for its reader to log.
func (c *inConn) closeFor(reason string) {
	c.reason.CompareAndSwap(nil, &reason)
	c.conn.Close()
}

// connTable tracks inbound connections by role and enforces the caps.
type connTable struct {
	mu     sync.Mutex
	all    map[*inConn]struct{}
	count  map[string]int
	caps   map[string]int
	closed bool
}

func newConnTable(cfg Config) *connTable {
	caps := map[string]int{
		// Each peer dials once; a second connection overlaps while a
		// broken one is being noticed.
		RolePeer:    2*len(cfg.Others()) + 2,
		RoleClient:  cfg.MaxClients,
		RoleControl: cfg.MaxControl,
	}
	// As many connections may be on their way in (TLS, hello) as may be
	// in: every client of a full house can connect at once, and each of
	// these lives at most Config.HandshakeTimeout.
	caps[roleUnidentified] = caps[RolePeer] + caps[RoleClient] + caps[RoleControl]
	return &connTable{all: map[*inConn]struct{}{}, count: map[string]int{}, caps: caps}
}

// add admits a new, unidentified connection unless the node is closing or
// too many are unidentified. ok false with a reason: refuse it.
func (t *connTable) add(conn net.Conn) (c *inConn, refusal string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, "node stopping"
	}
	if t.count[roleUnidentified] >= t.caps[roleUnidentified] {
		return nil, "too many connections without hello"
	}
	c = &inConn{conn: conn}
	t.all[c] = struct{}{}
	t.count[roleUnidentified]++
	return c, ""
}

// identify moves c to role, unless that role is at its cap.
func (t *connTable) identify(c *inConn, role string, peer int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.count[role] >= t.caps[role] {
		return false
	}
	t.count[c.role]--
	c.role, c.peer = role, peer
	t.count[role]++
	return true
}

func (t *connTable) remove(c *inConn) {
	c.conn.Close()
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.all[c]; ok {
		delete(t.all, c)
		t.count[c.role]--
	}
}

// closeAll closes every connection and refuses new ones.
func (t *connTable) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for c := range t.all {
		c.conn.Close()
	}
}

// watch adds dt of this node's running time to every identified
// connection's silence and closes those silent beyond their limit: peers
// after peerSilenceFactor suspect-afters, clients and control connections
// after idle, unless a request is being served for them. Like suspicion, the
// silence counts only time this node was running (dt is capped by the
// caller), so a node woken from a pause does not drop its peers.
func (t *connTable) watch(dt, peerLimit, idle time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c := range t.all {
		if c.role == roleUnidentified {
			continue // the handshake deadline covers it
		}
		if c.heard.Swap(false) || c.busy.Load() > 0 {
			c.silent = 0
			continue
		}
		c.silent += dt
		limit := idle
		if c.role == RolePeer {
			limit = peerLimit
		}
		if c.silent > limit {
			c.closeFor("silent for " + c.silent.Round(time.Millisecond).String())
		}
	}
}

// refusals counts refused connections by reason and lets one log line a
// second through, so that a flood is visible without flooding the log.
type refusals struct {
	mu      sync.Mutex
	counts  map[string]int64
	pending map[string]int64
	lastLog time.Time
}

// note counts a refusal and returns the counts to log now, if it is time.
func (r *refusals) note(reason string, now time.Time) map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counts == nil {
		r.counts, r.pending = map[string]int64{}, map[string]int64{}
	}
	r.counts[reason]++
	r.pending[reason]++
	if now.Sub(r.lastLog) < time.Second {
		return nil
	}
	r.lastLog = now
	out := r.pending
	r.pending = map[string]int64{}
	return out
}

func (r *refusals) total() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for _, v := range r.counts {
		n += v
	}
	return n
}
