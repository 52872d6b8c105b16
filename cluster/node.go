package cluster

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"stegocloud/cluster/wire"
	"stegocloud/internal/pki"
)

// NodeOptions are a node's collaborators; the zero value of each field picks
// the production choice noted.
type NodeOptions struct {
	Transport Transport        // nil: TCPTransport
	Service   Service          // required: what serving a request means
	Events    *EventLog        // nil: no events
	Logger    *slog.Logger     // nil: discard
	Log       io.Writer        // where the ELECTION RESULT block is printed; nil: discard
	Clock     func() time.Time // nil: time.Now; must carry monotonic readings (the machine detects stalls from gaps between inputs)

	// LogDropped counts log writes lost because the log's sink fell behind;
	// it is reported as the "lost.log" counter. nil: none are.
	LogDropped func() int64

	// TLS are the node's credentials: every connection, in and out, is then
	// mutual TLS and plaintext is refused. nil: loaded from Config.TLS when
	// set, else plaintext.
	TLS *pki.Credentials
}

// Node wires a Machine to the world: it owns the listener, the connections,
// the timers, the service goroutines and the event log. One goroutine (the
// loop) owns the machine; every other goroutine talks to it by channel.
type Node struct {
	cfg     Config
	tr      Transport
	svc     Service
	events  *EventLog
	log     *slog.Logger
	out     io.Writer
	now     func() time.Time
	logLost func() int64

	count  *counters
	failed atomic.Bool // mirrors the machine, for readers and services
	fatal  error       // owned by the loop: why the node must stop (the state could not be persisted)
	inbox  chan input
	ctl    chan ctlCall
	links  map[int]*wire.Link

	runCtx context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup

	conns     *connTable
	refused   refusals
	serverTLS *tls.Config // nil: plaintext
	lost      lostDone

	// Owned by the loop goroutine.
	m          *Machine
	serves     map[string]serveHandle
	serveSeq   uint64
	recoverT   *time.Timer
	nextSample time.Time
	lastWatch  time.Time
}

type inputKind uint8

const (
	inPeer inputKind = iota
	inClient
	inLost
	inServed
)

type input struct {
	kind  inputKind
	msg   Message
	from  int
	reply *clientConn
	id    string
	res   ServeResult
	token uint64
	ack   chan struct{} // closed once the input's outputs are handed to the links
	// replyTo (inServed) receives the connection the latest copy of the
	// request came by, before ack is closed.
	replyTo **clientConn
}

// serveHandle is a running service; the token tells a late result of an
// abandoned run from the result of a later run of the same id.
type serveHandle struct {
	cancel context.CancelFunc
	token  uint64
}

type ctlCall struct {
	msg   Message
	reply chan Message
}

// NewNode checks cfg and prepares a node; Run starts it.
func NewNode(cfg Config, opts NodeOptions) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Service == nil {
		return nil, fmt.Errorf("%w: node needs a service", ErrConfig)
	}
	n := &Node{
		cfg: cfg, tr: opts.Transport, svc: opts.Service, events: opts.Events,
		log: opts.Logger, out: opts.Log, now: opts.Clock, logLost: opts.LogDropped,
		count: newCounters(), inbox: make(chan input, 4096), ctl: make(chan ctlCall),
		links: map[int]*wire.Link{}, conns: newConnTable(cfg), serves: map[string]serveHandle{},
	}
	creds := opts.TLS
	if creds == nil && cfg.TLS != "" {
		c, err := pki.LoadNode(cfg.TLS, cfg.ID)
		if err != nil {
			return nil, fmt.Errorf("%w: tls: %w", ErrConfig, err)
		}
		creds = c
	}
	if creds != nil {
		n.serverTLS = creds.ServerConfig()
	}
	if n.tr == nil {
		n.tr = TCPTransport{}
	}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	if n.out == nil {
		n.out = io.Discard
	}
	if n.now == nil {
		n.now = time.Now
	}
	for _, id := range cfg.Others() {
		n.links[id] = n.newPeerLink(id)
		if creds != nil {
			n.links[id].TLS = creds.ClientConfig(pki.ExpectNode(id))
		}
	}
	return n, nil
}

func (n *Node) newPeerLink(id int) *wire.Link {
	l := wire.NewLink(n.cfg.Peers[id], n.tr, Message{Type: MsgHello, Role: RolePeer, From: n.cfg.ID}, 1024)
	l.OnWrite = func(f *wire.Frame) { n.count.add(dirSent, f.Type, 1) }
	l.OnDrop = func(f *wire.Frame) {
		n.count.add(dirDrop, f.Type, 1)
		n.lost.add(id, f.Done)
	}
	l.OnDown = func(err error) {
		n.log.Debug("connection to peer lost", "peer", id, "err", err)
		n.post(input{kind: inLost, from: id})
	}
	// Peers never write on this connection, but reading it shows at once
	// when the peer closed it (it does with a connection silent too long:
	// this node's while Failed or paused), so the link redials instead of
	// writing its next frames into a dead connection.
	l.OnUp = func(conn net.Conn) <-chan struct{} {
		done := make(chan struct{})
		n.wg.Go(func() {
			defer close(done)
			io.Copy(io.Discard, conn)
		})
		return done
	}
	return l
}

// Run serves until ctx ends or a control shutdown arrives, then stops
// cleanly: connections closed, services cancelled, a stop event written and
// the event log flushed.
func (n *Node) Run(ctx context.Context) error {
	ln, err := n.tr.Listen(n.cfg.ListenAddr())
	if err != nil {
		return fmt.Errorf("starting node %d: %w", n.cfg.ID, err)
	}
	n.runCtx, n.stop = context.WithCancel(ctx)
	defer n.stop()
	n.m, err = NewMachine(n.cfg, n.now(), nil)
	if err == nil {
		err = n.restore()
	}
	closeRaft := func() {}
	if err == nil && n.cfg.Election == ElectionRaft {
		closeRaft, err = n.useRaft()
	}
	defer closeRaft()
	if err != nil {
		ln.Close()
		return err
	}
	n.log.Info("node started", "id", n.cfg.ID, "listen", ln.Addr().String(), "state", n.m.State(), "peers", n.cfg.Peers.String())
	n.apply(n.m.Ready())
	n.wg.Go(func() { n.acceptLoop(ln) })
	// Links outlive the loop by a moment, to carry the last heartbeat.
	linksCtx, stopLinks := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLinks()
	for _, l := range n.links {
		n.wg.Go(func() { l.Run(linksCtx) })
	}
	n.wg.Go(n.flushLoop)
	n.loop()

	n.m.Leave(n.now())
	n.apply(n.m.Ready())
	ln.Close()
	n.conns.closeAll()
	n.stop()
	stopLinks()
	n.cancelServes()
	n.wg.Wait()
	st := n.m.Status()
	n.events.Emit(Event{Node: n.cfg.ID, Type: EvStop, State: string(st.State), Epoch: st.CoordEpoch,
		Coordinator: st.Coordinator, Load: st.Load, Outstanding: st.Outstanding, Counters: n.counters()})
	n.log.Info("node stopped", "id", n.cfg.ID, "processed", st.Processed)
	if err := n.events.Flush(); err != nil {
		return fmt.Errorf("flushing events of node %d: %w", n.cfg.ID, err)
	}
	return n.fatal
}

// restore hands the machine the state persisted by the node's previous run.
func (n *Node) restore() error {
	if n.cfg.StateDir == "" {
		return nil
	}
	if err := os.MkdirAll(n.cfg.StateDir, 0o700); err != nil {
		return fmt.Errorf("%w: %v", ErrState, err)
	}
	hs, err := LoadHardState(n.cfg.StateDir, n.cfg.ID)
	if err != nil {
		return err
	}
	n.m.Restore(hs)
	n.log.Info("state restored", "epoch", hs.Epoch, "round", EpochRound(hs.Epoch))
	return nil
}

// tickEvery is the timer resolution: fine enough that suspicion and
// heartbeats are late by at most a fifth of a heartbeat.
func (n *Node) tickEvery() time.Duration {
	return max(n.cfg.Heartbeat/5, time.Millisecond)
}

func (n *Node) loop() {
	tick := time.NewTicker(n.tickEvery())
	defer tick.Stop()
	n.nextSample = n.now()
	for {
		var recoverC <-chan time.Time
		if n.recoverT != nil {
			recoverC = n.recoverT.C
		}
		select {
		case <-n.runCtx.Done():
			return
		case in := <-n.inbox:
			n.handleBatch(in)
		case <-tick.C:
			now := n.now()
			n.m.Tick(now)
			n.sample(now)
			n.watch(now)
		case c := <-n.ctl:
			c.reply <- n.control(c.msg)
		case <-recoverC:
			n.recoverT = nil
			n.m.Recover(n.now())
		}
		n.apply(n.m.Ready())
	}
}

func (n *Node) handle(in input) {
	now := n.now()
	switch in.kind {
	case inPeer:
		n.m.Step(now, in.msg)
	case inClient:
		n.m.ClientRequest(now, in.msg, in.reply)
	case inLost:
		n.m.PeerLost(now, in.from)
	case inServed:
		h, ok := n.serves[in.id]
		if !ok || h.token != in.token {
			return
		}
		if cc := n.latestReply(in.id); cc != nil && in.replyTo != nil {
			*in.replyTo = cc
		}
		h.cancel()
		delete(n.serves, in.id)
		n.m.Served(now, in.id, in.res)
	}
}

func (n *Node) cancelServes() {
	for id, h := range n.serves {
		h.cancel()
		delete(n.serves, id)
	}
}

// post hands an input to the loop unless the node is stopping.
func (n *Node) post(in input) bool {
	select {
	case n.inbox <- in:
		return true
	case <-n.runCtx.Done():
		return false
	}
}

// apply carries out what the machine asked for. The hard state goes to disk
// before any message leaves: an epoch must be durable before anyone can act
// on it. A node that cannot persist it stops, sending nothing more.
func (n *Node) apply(rd Ready) {
	if n.fatal != nil {
		return
	}
	if rd.Fatal != nil {
		n.fatal = fmt.Errorf("node %d: %w", n.cfg.ID, rd.Fatal)
		n.log.Error("stopping", "err", rd.Fatal)
		n.stop()
		return
	}
	if rd.HardState != nil && n.cfg.StateDir != "" {
		if err := SaveHardState(n.cfg.StateDir, *rd.HardState); err != nil {
			n.fatal = fmt.Errorf("node %d: %w", n.cfg.ID, err)
			n.log.Error("stopping: cannot persist the epoch", "err", err)
			n.stop()
			return
		}
	}
	for _, e := range rd.Events {
		n.events.Emit(e)
		n.logEvent(e)
	}
	n.failed.Store(n.m.State() == StateFailed)
	if rd.Abandon {
		n.cancelServes()
	}
	for i := range rd.Messages {
		n.sendEnvelope(&rd.Messages[i])
	}
	for _, o := range rd.Serve {
		n.startServe(o)
	}
	for i := range rd.Answers {
		if cc, ok := rd.Answers[i].ReplyTo.(*clientConn); ok && !n.failed.Load() {
			n.answer(cc, &rd.Answers[i].Msg)
		}
	}
}

func (n *Node) sendEnvelope(env *Envelope) {
	f, err := wire.NewFrame(&env.Msg)
	if err != nil {
		n.log.Error("cannot encode message", "type", env.Msg.Type, "err", err)
		return
	}
	defer f.Release()
	if env.To != 0 {
		n.enqueue(env.To, f)
		return
	}
	for _, id := range n.cfg.Others() {
		if env.Msg.Type == MsgHeartbeat {
			n.redeliverDone(id)
		}
		n.enqueue(id, f)
	}
}

func (n *Node) enqueue(id int, f *wire.Frame) {
	l := n.links[id]
	if l == nil || !l.Enqueue(f) {
		n.count.add(dirDrop, f.Type, 1)
		if l != nil {
			n.lost.add(id, f.Done)
		}
	}
}

// redeliverDone sends peer id the finished ids whose heartbeat it missed
// (dropped while its link was down or full), ahead of the next heartbeat:
// otherwise it would hold those requests, covers and all, until their TTL.
func (n *Node) redeliverDone(id int) {
	ids := n.lost.take(id)
	if len(ids) == 0 {
		return
	}
	f, err := wire.NewFrame(&Message{Type: MsgDone, From: n.cfg.ID, To: id, Done: ids})
	if err != nil {
		return
	}
	n.enqueue(id, f)
	f.Release()
}

// watch closes connections that stayed silent too long (see
// connTable.watch), once a heartbeat period. Like the machine's suspicion,
// it counts only time this node was running: a gap between watches longer
// than two periods (a pause, a starved process) counts as two periods.
func (n *Node) watch(now time.Time) {
	if n.lastWatch.IsZero() {
		n.lastWatch = now
		return
	}
	dt := now.Sub(n.lastWatch)
	if dt < n.cfg.Heartbeat {
		return
	}
	n.lastWatch = now
	n.conns.watch(min(dt, 2*n.cfg.Heartbeat), peerSilenceFactor*n.cfg.SuspectAfter, n.cfg.ClientIdle)
}

// sample writes a load event every load-sample.
func (n *Node) sample(now time.Time) {
	if now.Before(n.nextSample) {
		return
	}
	n.nextSample = now.Add(n.cfg.LoadSample)
	st := n.m.Status()
	n.events.Emit(Event{Time: now.UnixNano(), Node: n.cfg.ID, Type: EvLoad, State: string(st.State),
		Epoch: st.CoordEpoch, Coordinator: st.Coordinator, Load: st.Load, Outstanding: st.Outstanding,
		Counters: n.counters()})
}

func (n *Node) flushLoop() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-n.runCtx.Done():
			return
		case <-t.C:
			if err := n.events.Flush(); err != nil {
				n.log.Error("cannot write events", "err", err)
			}
		}
	}
}

// counters are the message counters plus, when not zero,
// "refused.connections" (connections refused: caps, node stopping),
// "lost.events" (event lines dropped because the disk fell behind) and
// "lost.log" (log writes dropped because stderr did).
func (n *Node) counters() map[string]int64 {
	c := n.count.snapshot()
	if d := n.events.Dropped(); d > 0 {
		c["lost.events"] = d
	}
	if r := n.refused.total(); r > 0 {
		c["refused.connections"] = r
	}
	if n.logLost != nil {
		if d := n.logLost(); d > 0 {
			c["lost.log"] = d
		}
	}
	n.raftCounters(c)
	return c
}

// control handles a control request inside the loop.
func (n *Node) control(msg Message) Message {
	now := n.now()
	switch msg.Type {
	case MsgCtlFail:
		n.log.Warn("failing silently on request", "for", msg.Duration)
		n.m.Fail(now)
		if n.recoverT != nil {
			n.recoverT.Stop()
		}
		n.recoverT = time.NewTimer(msg.Duration)
	case MsgCtlStatus:
	default:
		return Message{Type: MsgCtlReply, Error: fmt.Sprintf("unexpected %s", msg.Type)}
	}
	st := n.m.Status()
	st.Counters = n.counters()
	return Message{Type: MsgCtlReply, From: n.cfg.ID, Status: &st}
}
