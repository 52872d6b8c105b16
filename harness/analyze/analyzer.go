package analyze

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/fault"
	"stegocloud/harness/internal/reqid"
	"stegocloud/harness/rundir"
)

type reqidTable = reqid.Table[reqState]

// Config describes the run whose merged event log an Analyzer reads.
type Config struct {
	Start  time.Time     // load start: every offset in the Analysis counts from it (required)
	Nodes  int           // node ids are 1..Nodes (required)
	Faults []fault.Fault // the executed fault list (schedule.json as run)
	// MessageClass maps a message type ("heartbeat", "assign", …) to a class
	// (ClassRequest, ClassHeartbeat, ClassElection, ClassOther); nil uses
	// DefaultMessageClass.
	MessageClass func(msgType string) string
}

// Analysis is what the event log says about a run. Offsets (At, From, To) are
// from the load start. Every metric is defined in package harness's
// documentation.
type Analysis struct {
	Events     int                    // events read
	Elections  rundir.ElectionSummary // elections started, by cause; coordinator changes; max epoch
	Conflicts  []EpochConflict        // epochs for which two coordinators were named (election safety)
	Failovers  []Failover
	Recoveries []Recovery
	Agreement  Agreement
	// Reassigned counts distinct requests named by reassign events;
	// ReassignEvents counts the events.
	Reassigned     int
	ReassignEvents int
	ProtocolErrors int
	Messages       rundir.MessageCounts
	// Raft sums the nodes' Raft counters over their processes (0 with Bully).
	Raft  RaftCounters
	Nodes []NodeStatus // node i+1
	// NetFaults are the network faults the log shows (net_fault_start to
	// net_fault_end), by start.
	NetFaults []NetFault
	Warnings  []string
	// Log is what the report and the figures show of the same events (the
	// coordinator of each period, decided elections, fault windows, load
	// over time, a sample of load-balancing decisions): the events this
	// analysis read, digested once by rundir's Digester.
	Log    *rundir.EventDigest
	faults []fault.Fault

	Reigns   []Reign   // every node's coordinator actions per epoch, in order of first action
	Overlaps []Overlap // reigns of different nodes that overlapped in time (single coordinator)
	// DoublesDropped counts requests assigned by two nodes beyond those kept
	// for Overlap.Both (a bound on memory): when not 0, Both is a lower bound.
	DoublesDropped int
	Duplicates     Duplicates // requests the nodes completed more than once
	Liveness       Liveness
}

// RaftCounters are the Raft stores' counters of a run, each summed like the
// message counters (every process's last value).
type RaftCounters struct {
	Fsyncs   int64 // WAL and snapshot fsyncs ("raft.fsyncs")
	Readies  int64 // Ready batches ("raft.readies")
	WALBytes int64 // bytes written to the WALs ("raft.wal_bytes")
}

// Analyzer reads a merged, time-ordered event log one event at a time: Add
// every event, then Close. It keeps per-node state and per-episode state, never
// the events themselves. Use it from one goroutine.
type Analyzer struct {
	cfg    Config
	start  int64
	last   int64
	closed bool
	a      *Analysis
	nodes  []nodeState
	coord  clusterCoord
	epochs map[uint64]int
	// raftTerm is the highest term in which a node became Raft candidate.
	raftTerm uint64
	reasgn   map[string]struct{}
	open     []*episode
	agree    agreement
	log      *rundir.Digester
	msgs     messages
	unknown  map[cluster.EventType]int
	starts   int // fault_start events
	reigns   reigns
	reqs     *reqidTable
	live     liveness
	// netStarts counts net_fault_start events; netOpen maps the net id of
	// each open network fault to its index in Analysis.NetFaults.
	netStarts int
	netOpen   map[int]int
}

// New checks cfg and returns an analyzer ready for Add.
func New(cfg Config) (*Analyzer, error) {
	switch {
	case cfg.Start.IsZero():
		return nil, fmt.Errorf("%w: Start (the load start) is not set", ErrAnalysisConfig)
	case cfg.Nodes < 1:
		return nil, fmt.Errorf("%w: Nodes is %d, want ≥ 1", ErrAnalysisConfig, cfg.Nodes)
	}
	for i, f := range cfg.Faults {
		if !f.IsNetwork() && (f.Node < 1 || f.Node > cfg.Nodes) {
			return nil, fmt.Errorf("%w: fault %d is on node %d, want 1..%d", ErrAnalysisConfig, i, f.Node, cfg.Nodes)
		}
	}
	if cfg.MessageClass == nil {
		cfg.MessageClass = DefaultMessageClass
	}
	z := &Analyzer{
		cfg: cfg, start: cfg.Start.UnixNano(),
		a:      &Analysis{Elections: rundir.ElectionSummary{ByCause: map[string]int{}}, faults: cfg.Faults},
		nodes:  make([]nodeState, cfg.Nodes),
		epochs: map[uint64]int{},
		reasgn: map[string]struct{}{}, unknown: map[cluster.EventType]int{}, netOpen: map[int]int{},
		log:  rundir.NewDigester(rundir.DefaultDigestLimits),
		msgs: newMessages(cfg.Nodes),
	}
	z.reigns, z.reqs, z.live = newReigns(), reqid.New[reqState](), newLiveness()
	return z, nil
}

// Events runs an Analyzer over events, stopping at the first error.
func Events(cfg Config, events iter.Seq[cluster.Event]) (*Analysis, error) {
	z, err := New(cfg)
	if err != nil {
		return nil, err
	}
	for e := range events {
		if err := z.Add(e); err != nil {
			return nil, err
		}
	}
	return z.Close(), nil
}

// Add reads the next event. Events must come in time order (equal times keep
// their order) and name nodes in 1..Nodes (0 for harness events about the
// whole cluster); anything else is an error and the event is not counted.
func (z *Analyzer) Add(e cluster.Event) error {
	if z.closed {
		return ErrAnalyzerClosed
	}
	if e.Time < z.last {
		return fmt.Errorf("%w: event %d (%s of node %d) at %d ns comes after one at %d ns", ErrEventOrder, z.a.Events+1, e.Type, e.Node, e.Time, z.last)
	}
	clusterWide := e.Type == cluster.EvLoadStart || e.Type == cluster.EvLoadStop ||
		e.Type == cluster.EvNetFaultStart || e.Type == cluster.EvNetFaultEnd
	if e.Node < 0 || e.Node > z.cfg.Nodes || (e.Node == 0 && !clusterWide) {
		return fmt.Errorf("%w: event %d (%s) names node %d, want 1..%d", ErrEventNode, z.a.Events+1, e.Type, e.Node, z.cfg.Nodes)
	}
	z.last = e.Time
	z.a.Events++
	z.log.Add(e)
	z.a.Elections.MaxEpoch = max(z.a.Elections.MaxEpoch, e.Epoch)
	z.dispatch(&e)
	z.afterEvent(&e)
	z.progress(&e)
	return nil
}

// at is an event time as an offset from the load start.
func (z *Analyzer) at(t int64) time.Duration { return time.Duration(t - z.start) }

func (z *Analyzer) node(id int) *nodeState { return &z.nodes[id-1] }

func (z *Analyzer) warnf(format string, a ...any) {
	z.a.Warnings = append(z.a.Warnings, fmt.Sprintf(format, a...))
}

// dispatch updates the state one event touches.
func (z *Analyzer) dispatch(e *cluster.Event) {
	switch e.Type {
	case cluster.EvStart, cluster.EvState, cluster.EvSuspect, cluster.EvAlive,
		cluster.EvLoad, cluster.EvProtocolError, cluster.EvStop, cluster.EvNodeExit:
		z.nodeEvent(e)
	case cluster.EvComplete:
		z.nodeEvent(e)
		z.completed(e)
	case cluster.EvElectionStart, cluster.EvElectionResult, cluster.EvCoordinator:
		z.electionEvent(e)
	case cluster.EvRaftLeader:
		// Leader changes also arrive as coordinator events; a candidate is an election.
		z.raftRole(e)
	case cluster.EvRaftRecover, cluster.EvRaftSnapshot, cluster.EvRaftBadEntry:
		// Election raft's own account of its store.
	case cluster.EvAssign:
		// Also counted and sampled by the digest (Analysis.Log).
		z.coordinatorAction(e)
	case cluster.EvReassign:
		z.a.ReassignEvents++
		z.reasgn[e.Request] = struct{}{}
		z.coordinatorAction(e)
	case cluster.EvFaultStart, cluster.EvFaultEnd:
		z.faultEvent(e)
	case cluster.EvNetFaultStart, cluster.EvNetFaultEnd:
		z.netFaultEvent(e)
		z.netFault(e)
	case cluster.EvLoadStart, cluster.EvLoadStop, cluster.EvSync:
		// Nothing to measure: the recovery they bracket is timed from state events.
	case cluster.EvReject, cluster.EvStall, cluster.EvFenced, cluster.EvElectionBackoff:
		// The node's own account of refusals; nothing the checks judge.
	case cluster.EvTableApply, cluster.EvTableUpdate, cluster.EvTableSync, cluster.EvTableAnswer:
		// The table's own account; the harness judges the table from its
		// clients' history (history.jsonl), not from the nodes' word.
	default:
		z.unknown[e.Type]++
	}
}

// afterEvent re-evaluates what depends on the whole cluster's state: failover
// episodes and agreement.
func (z *Analyzer) afterEvent(e *cluster.Event) {
	switch e.Type {
	case cluster.EvStart, cluster.EvNodeExit, cluster.EvFaultStart, cluster.EvFaultEnd, cluster.EvStop,
		cluster.EvCoordinator, cluster.EvElectionResult, cluster.EvNetFaultStart, cluster.EvNetFaultEnd:
		z.settleAll(e.Time)
		z.agree.evaluate(z, e.Time)
	default:
		if !z.agree.started {
			z.agree.started, z.agree.ref = true, e.Time
		}
	}
}

// Close ends the stream: open episodes become unresolved and the totals are
// computed. The Analysis is complete afterwards; Close may be called again.
func (z *Analyzer) Close() *Analysis {
	if z.closed {
		return z.a
	}
	z.closed = true
	for _, f := range z.open {
		z.finishFailover(f, "unresolved", "the log ended before every live node agreed")
	}
	z.open = nil
	z.closeRecoveries()
	z.closeNetFaults()
	z.a.Agreement = z.agree.result(z)
	z.a.Liveness = z.live.result(z)
	z.a.Reigns, z.a.Overlaps, z.a.DoublesDropped = z.reigns.list, z.reigns.overlaps(), z.reigns.dropped
	z.a.Reassigned = len(z.reasgn)
	z.a.Messages = z.msgs.total(z.cfg.MessageClass)
	z.a.Raft = RaftCounters{Fsyncs: z.msgs.counter("raft.fsyncs"), Readies: z.msgs.counter("raft.readies"),
		WALBytes: z.msgs.counter("raft.wal_bytes")}
	z.a.Log = z.log.Finish()
	z.a.Nodes = z.nodeStatuses()
	nodeFaults, netFaults := 0, 0
	for _, f := range z.cfg.Faults {
		if f.IsNetwork() {
			netFaults++
		} else {
			nodeFaults++
		}
	}
	if z.starts != nodeFaults {
		z.warnf("the log has %d fault_start events but the fault list has %d node faults", z.starts, nodeFaults)
	}
	if z.netStarts != netFaults {
		z.warnf("the log has %d net_fault_start events but the fault list has %d network faults", z.netStarts, netFaults)
	}
	for _, t := range slices.Sorted(maps.Keys(z.unknown)) {
		z.warnf("%d events of unknown type %q were ignored", z.unknown[t], t)
	}
	return z.a
}
