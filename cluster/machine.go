package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"stegocloud/stego"
)

// Election causes, carried by election_start and election_result events.
const (
	CauseStartup         = "startup"          // a freshly started node that took part in no election
	CauseCoordinatorLost = "coordinator-lost" // the coordinator is suspected
	CausePeriodic        = "periodic"         // the coordinator's reelect-every timer
	CauseRecovery        = "recovery"         // a node finished recovering (recovery-election)
	CauseNoCoordinator   = "no-coordinator"   // an election was announced but no result came
	CauseCatchUp         = "catch-up"         // a new coordinator lost the voter holding the newest copy of the table
)

// Machine is one node's protocol logic as a pure state machine, after
// etcd-io/raft's RawNode: inputs are messages, ticks and the results of work it
// ordered, each stamped with the caller's clock; outputs are collected in a
// Ready. It owns no sockets, goroutines, clock or global randomness, so tests
// drive it message by message. It is not safe for concurrent use.
type Machine struct {
	cfg   Config
	id    int
	rng   *rand.Rand
	bal   Balancer
	state NodeState

	peers     map[int]*peerView
	peerIDs   []int     // sorted, without self
	allIDs    []int     // sorted, with self
	lastTick  time.Time // of the last Tick: listening time accrues between ticks
	clock     time.Time // of the last input of any kind: a long gap is a stall
	lastStall time.Time
	fence     stallFence
	rejected  rejectKey // the last reject event, against floods
	from      int       // sender of the message being stepped, for reject events

	// Election state: term is the highest epoch seen; (coordEpoch,
	// coordinator) the last decision adopted. term > coordEpoch means an
	// election is under way somewhere and nobody acts as coordinator.
	term         uint64
	coordEpoch   uint64
	coordinator  int
	ballot       *ballot
	waitUntil    time.Time // when term > coordEpoch: start our own election then
	startupAt    time.Time // zero once the startup trigger has been considered
	participated bool      // took part in an election since the process started
	nextPeriodic time.Time
	contested    bool   // the followed coordinator was suspected when adopted and has not been heard since
	damp         damper // backoff of elections against contested decisions

	// Persistence (Config.StateDir): floor is the restored HardState.Epoch,
	// above which every own election must lie; reserved is what the driver
	// was last told to persist.
	persist  bool
	floor    uint64
	reserved uint64

	nextHeartbeat time.Time
	doneBatch     []string // finished ids not yet piggy-backed on a heartbeat

	reqs      map[string]*request
	order     []*request // arrival order, for deterministic scans; holds removed entries until compacted
	removedN  int
	recent    map[string]recentDone
	recentQ   []recentExpiry
	assigned  map[int]int // live requests per assignee: the coordinator's load view
	queue     []*request  // mine, cover here, waiting for a serving slot
	serving   int
	mine      int // requests this node must serve and has not finished
	processed int64

	rec recovery

	store tableStore
	raft  *raftStore // election raft: the store, also behind store; nil with bully

	out Ready
}

// Envelope is a message to send: To is a peer id, or 0 for every peer.
type Envelope struct {
	To  int
	Msg Message
}

// ServeOrder tells the driver to run the service for one request and reply
// to the client through ReplyTo, the handle given to ClientRequest.
type ServeOrder struct {
	ID      string
	Attempt int
	Kind    string // KindEncrypt: hide Meta in Cover; KindView: reveal the metadata in Cover
	Meta    stego.Metadata
	Cover   []byte
	ReplyTo any
}

// ServeResult is what the driver reports back when a served request ends.
type ServeResult struct {
	Err      string          // empty on success
	Duration time.Duration   // time spent serving
	Meta     *stego.Metadata // a view's revealed metadata (on success)
}

// Answer tells the driver to send Msg (a response) to a client through
// ReplyTo, the handle given to ClientRequest: the result of a table op.
type Answer struct {
	ReplyTo any
	Msg     Message
}

// Ready is everything the machine wants done after an input. Its slices are
// reused by the next input: process them before calling the machine again.
type Ready struct {
	Messages []Envelope
	Events   []Event
	Serve    []ServeOrder
	Answers  []Answer
	// HardState, when set, must be persisted (written and fsynced) before
	// any of Messages is sent.
	HardState *HardState
	// Abandon means the node entered Failed: cancel every running service
	// and send nothing for the requests it was serving.
	Abandon bool
	// Fatal, when set, means the node cannot go on (its raft store
	// stopped: a disk error): send nothing more and stop.
	Fatal error
}

// NewMachine returns the machine of node cfg.ID at time now. rng drives the
// random balancer and election jitter; nil seeds one from cfg.Seed and cfg.ID.
func NewMachine(cfg Config, now time.Time, rng *rand.Rand) (*Machine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(cfg.ID)))
	}
	bal, err := NewBalancer(cfg.Balancer, rng)
	if err != nil {
		return nil, err
	}
	m := &Machine{
		cfg: cfg, id: cfg.ID, rng: rng, bal: bal,
		peers:    map[int]*peerView{},
		reqs:     map[string]*request{},
		recent:   map[string]recentDone{},
		assigned: map[int]int{},
		lastTick: now, clock: now,
		persist: cfg.StateDir != "",
	}
	m.store = newCoordStore(m)
	m.peerIDs = cfg.Others()
	m.allIDs = append(slices.Clone(m.peerIDs), m.id)
	slices.Sort(m.allIDs)
	for _, id := range m.peerIDs {
		m.peers[id] = &peerView{id: id, base: cfg.LoadBase, per: cfg.LoadPerRequest}
	}
	if cfg.StartRecovering {
		m.state = StateRecovering
		m.beginRecovery(now)
	} else {
		m.state = StateActive
		// Wait long enough to hear every live peer's heartbeat (and so its
		// term) before leading; the jitter keeps simultaneous starts apart.
		m.startupAt = now.Add(cfg.SuspectAfter + m.jitter(cfg.Heartbeat))
	}
	m.emit(now, Event{Type: EvStart, State: string(m.state)})
	return m, nil
}

// Restore gives a new machine the state its node persisted before it
// restarted; call it before any other input. Every election the machine
// starts then has an epoch above hs.Epoch, so no epoch is decided twice.
func (m *Machine) Restore(hs HardState) {
	m.floor = max(m.floor, hs.Epoch)
	m.reserved = max(m.reserved, hs.Epoch)
}

// Ready returns and clears the pending outputs.
func (m *Machine) Ready() Ready {
	m.processRaft()
	rd := m.out
	m.out = Ready{Messages: rd.Messages[:0], Events: rd.Events[:0], Serve: rd.Serve[:0], Answers: rd.Answers[:0]}
	return rd
}

// Tick advances timers: heartbeats, suspicions, elections, recovery and
// request housekeeping. Call it often (the driver uses heartbeat/5).
func (m *Machine) Tick(now time.Time) {
	if m.state == StateFailed {
		m.lastTick, m.clock = now, now
		return
	}
	m.noteTime(now)
	dt := max(now.Sub(m.lastTick), 0)
	m.lastTick = now
	// Silence accrues by at most a quarter of suspect-after per tick: what
	// peers sent while this node was not running is still unread, so a
	// long gap between ticks proves nothing about them.
	listened := min(dt, m.cfg.SuspectAfter/4)
	m.checkSilence(now, listened)
	m.tickFence(now, listened)
	m.tickRecovery(now)
	m.tickElection(now)
	m.tickHeartbeat(now)
	if m.state == StateActive || m.raft != nil { // Raft's clock runs while recovering too
		m.store.tick(now)
	}
}

// Step feeds one message from a peer. Messages from unknown senders or while
// Failed are dropped; so are messages with an absurd epoch or naming a
// non-member assignee (see inadmissible), reported in a reject event.
func (m *Machine) Step(now time.Time, msg Message) {
	if m.state == StateFailed || msg.From == m.id {
		return
	}
	p := m.peers[msg.From]
	if p == nil {
		return
	}
	m.noteTime(now)
	if why := m.inadmissible(&msg); why != "" {
		m.reject(now, p.id, max(msg.Epoch, msg.CoordEpoch), msg.Coordinator, why)
		return
	}
	m.from = p.id
	defer func() { m.from = 0 }()
	m.heard(now, p)
	switch msg.Type {
	case MsgHeartbeat:
		m.onHeartbeat(now, p, msg)
	case MsgRaft:
		if m.raft != nil {
			m.raft.step(now, p, msg)
		}
	case MsgElection, MsgOK, MsgCoordinator:
		if !m.bullyOff() {
			m.stepElection(now, p, msg)
		}
	case MsgAssign:
		m.onElection(now, p, msg)
		m.onAssign(now, p, msg)
	case MsgDone:
		m.onDone(now, msg.Done)
	case MsgMissing:
		m.onMissing(now, p, msg)
	case MsgUnassigned:
		m.onUnassigned(now, p, msg)
	case MsgSyncReq:
		m.onSyncReq(p, msg)
	case MsgSyncResp:
		m.onSyncResp(now, p, msg)
	case MsgTableOp, MsgTableUpdate, MsgTableResult, MsgTableSync, MsgTableCopy:
		if m.state == StateActive || m.keepsCopy() && (msg.Type == MsgTableUpdate || msg.Type == MsgTableCopy) {
			m.store.step(now, p, msg)
		}
	}
}

// PeerLost reports that the connection to or from peer id broke, an early
// sign that the process is gone.
func (m *Machine) PeerLost(now time.Time, id int) {
	if m.state != StateFailed {
		m.noteTime(now)
	}
	if p := m.peers[id]; p != nil && m.state != StateFailed && !p.suspected {
		m.suspect(now, p, "disconnected")
	}
	if m.raft != nil && m.peers[id] != nil {
		m.raft.unreachable(id)
	}
}

// Fail enters the simulated silent failure: all work is abandoned and the
// machine ignores everything until Recover.
func (m *Machine) Fail(now time.Time) {
	if m.state == StateFailed {
		return
	}
	m.setState(now, StateFailed)
	m.ballot = nil
	m.reqs = map[string]*request{}
	m.order, m.removedN, m.queue = nil, 0, nil
	m.assigned = map[int]int{}
	m.serving, m.mine = 0, 0
	m.doneBatch = nil
	m.fence = stallFence{}
	m.store.reset()
	m.out.Abandon = true
}

// Recover ends a simulated failure: the node enters Recovering, fetches the
// state from a live peer, waits the sync delay and becomes Active.
func (m *Machine) Recover(now time.Time) {
	if m.state != StateFailed {
		return
	}
	m.setState(now, StateRecovering)
	m.beginRecovery(now)
}

// Leave is called when the node stops cleanly: it sends a last heartbeat at
// once, so that the ids it finished since the previous one are not lost and
// a successor coordinator does not serve them again.
func (m *Machine) Leave(now time.Time) {
	if m.state == StateFailed {
		return
	}
	m.nextHeartbeat = now
	m.tickHeartbeat(now)
}

// State is the node's current state.
func (m *Machine) State() NodeState { return m.state }

// Status is the node's view, for the control protocol and load events.
func (m *Machine) Status() NodeStatus {
	s := NodeStatus{
		ID: m.id, State: m.state, Epoch: m.term, CoordEpoch: m.coordEpoch,
		Coordinator: m.coordinator, IsCoordinator: m.acting(),
		Load: m.load(), Outstanding: m.mine, Serving: m.serving,
		Pending: len(m.reqs), Processed: m.processed, Suspects: []int{}, Table: m.store.position(),
	}
	for _, id := range m.peerIDs {
		if m.peers[id].suspected {
			s.Suspects = append(s.Suspects, id)
		}
	}
	return s
}

// acting reports whether this node is the coordinator now: Active, elected,
// no later election under way, not fenced after a stall, and with raft
// holding its lease (raftmode.go).
func (m *Machine) acting() bool {
	return m.state == StateActive && m.coordinator == m.id && m.coordEpoch == m.term && !m.fence.active && m.leaseHeld()
}

// load is the seed's load: base + per_request × outstanding, rounded so that
// every node computes identical values for identical inputs.
func (m *Machine) load() float64 {
	return roundLoad(m.cfg.LoadBase + m.cfg.LoadPerRequest*float64(m.mine))
}

func roundLoad(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func (m *Machine) setState(now time.Time, s NodeState) {
	from := m.state
	m.state = s
	m.emit(now, Event{Type: EvState, From: string(from), State: string(s)})
}

func (m *Machine) emit(now time.Time, e Event) {
	e.Time = now.UnixNano()
	e.Node = m.id
	m.out.Events = append(m.out.Events, e)
}

func (m *Machine) send(to int, msg Message) {
	msg.From = m.id
	msg.To = to
	m.out.Messages = append(m.out.Messages, Envelope{To: to, Msg: msg})
}

func (m *Machine) jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(m.rng.Int64N(int64(d) + 1))
}

func (m *Machine) tickHeartbeat(now time.Time) {
	if now.Before(m.nextHeartbeat) {
		return
	}
	// Keep the cadence: the next beat is due one period after this one was
	// due, not after the tick that noticed it (ticks come every heartbeat/5,
	// so that drifted to 1–1.2 periods). After a stall, start afresh rather
	// than send a burst.
	m.nextHeartbeat = m.nextHeartbeat.Add(m.cfg.Heartbeat)
	if !m.nextHeartbeat.After(now) {
		m.nextHeartbeat = now.Add(m.cfg.Heartbeat)
	}
	hb := m.viewMsg(m.doneBatch)
	if m.acting() {
		at := m.store.position()
		hb.Table = &at // followers check their copy against it
	}
	m.send(0, hb)
	m.doneBatch = nil
	m.housekeeping(now)
}

// viewMsg is a heartbeat: this node's term, decision, state and load, with
// the ids it finished since the last one.
func (m *Machine) viewMsg(done []string) Message {
	return Message{
		Type: MsgHeartbeat, Epoch: m.term, CoordEpoch: m.coordEpoch, Coordinator: m.coordinator,
		State: m.state, Load: m.load(), Base: m.cfg.LoadBase, PerRequest: m.cfg.LoadPerRequest,
		Done: done,
	}
}

func (m *Machine) onHeartbeat(now time.Time, p *peerView, msg Message) {
	p.state, p.load, p.base, p.per = msg.State, msg.Load, msg.Base, msg.PerRequest
	if msg.CoordEpoch > 0 {
		m.adopt(now, msg.CoordEpoch, msg.Coordinator)
	}
	m.raiseTerm(now, msg.Epoch)
	m.onDone(now, msg.Done)
	if msg.Table != nil && msg.Coordinator == p.id && msg.CoordEpoch == m.coordEpoch && m.state == StateActive {
		m.store.heartbeat(now, p, msg.Table)
	}
	if m.acting() && p.state != StateActive {
		m.reassignFrom(now, p.id, "not-active")
	}
}

// String is a one-line summary for logs and test failures.
func (m *Machine) String() string {
	fenced := ""
	if m.fence.active {
		fenced = " fenced"
	}
	return fmt.Sprintf("node %d %s term=%d coord=%d@%d pending=%d mine=%d%s",
		m.id, m.state, m.term, m.coordinator, m.coordEpoch, len(m.reqs), m.mine, fenced)
}
