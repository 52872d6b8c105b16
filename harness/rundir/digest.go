package rundir

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"time"

	"stegocloud/cluster"
)

// EventDigest is what figures and the report need from events.jsonl, kept in
// memory bounded by the number of nodes, elections and faults, never by the
// number of requests: load samples and assignment decisions are downsampled,
// everything per request is only counted.
type EventDigest struct {
	Events  int // lines read
	Skipped int // torn lines skipped (a killed writer)

	First     time.Time // earliest event of any kind
	LoadStart time.Time // first load_start event (zero if none)
	LoadStop  time.Time // last load_stop event (zero if none)

	Elections        []Election          // decided elections, by time (at most DigestLimits.Elections)
	ElectionsStarted int                 // election_start events, decided or not
	ElectionsDecided int                 // election_result events, listed or not
	StartedByCause   map[string]int      // election_start events by cause
	Coordinators     []CoordinatorPeriod // who coordinated when, by epoch

	Faults    []FaultWindow    // fault windows the harness logged, by start
	NetFaults []NetFaultWindow // network faults the harness logged, by start

	Load map[int][]LoadSpan // node → its load over time, downsampled

	Assigns         []Assignment // decisions spread over the run
	AssignTotal     int          // every assign event
	AssignByNode    map[int]int  // assign events by assignee
	AssignNotLowest int          // decisions whose assignee was not among the lowest loads
	Reassigns       int

	Final []NodeFinal // per node, by id: the last thing its log said

	Warnings []string // oddities found in the log (conflicting coordinators, unmatched faults)
}

// Election is one decided election: its initiator's election_result.
type Election struct {
	Time      time.Time       `json:"time"`
	Epoch     uint64          `json:"epoch"`
	Initiator int             `json:"initiator"`
	Cause     string          `json:"cause"` // from the initiator's election_start ("" if not logged)
	Winner    int             `json:"winner"`
	Loads     map[int]float64 `json:"loads"`
}

// CoordinatorPeriod is the time from the first sign of an epoch's coordinator
// (a result or a node following it) until the next epoch's.
type CoordinatorPeriod struct {
	Epoch uint64    `json:"epoch"`
	Node  int       `json:"node"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"` // zero for the last period: until the end of the log
}

// FaultWindow is one node's time down, as the harness logged it (or, for runs
// without fault events, as schedule.json planned it).
type FaultWindow struct {
	Node   int       `json:"node"` // 0: the whole cluster
	Kind   string    `json:"kind"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Source string    `json:"source"` // "events" or "schedule"
}

// NetFaultWindow is one network fault, as the harness logged it (or, for
// runs without net_fault events, as schedule.json planned it).
type NetFaultWindow struct {
	Kind   string           `json:"kind"`
	What   string           `json:"what"` // the fault in words: "partition [2] | [1 3]"
	Start  time.Time        `json:"start"`
	End    time.Time        `json:"end"` // = Start for a one-shot reset
	Net    cluster.NetFault `json:"net"` // resolved nodes (empty when only planned with selectors)
	Source string           `json:"source"`
}

// NodeFinal is a node's last logged state.
type NodeFinal struct {
	ID          int     `json:"id"`
	State       string  `json:"state"`
	Load        float64 `json:"load"`
	Completions int     `json:"completions"`
	Coordinator int     `json:"coordinator"` // whom it followed last
	Stopped     bool    `json:"stopped"`     // it logged a clean stop
	Exit        string  `json:"exit"`        // node_exit reason, if the harness saw the process end
}

// DigestLimits bound what a digest keeps; a zero field takes its value from
// DefaultDigestLimits.
type DigestLimits struct {
	LoadPoints    int           // per node
	AssignSamples int           // decisions kept
	AssignSlot    time.Duration // initial spacing of kept decisions
	Elections     int           // decided elections kept (the rest are counted)
}

// DefaultDigestLimits keep a few thousand points per node: more than a figure
// can show, and a few hundred kilobytes at most.
var DefaultDigestLimits = DigestLimits{LoadPoints: 2000, AssignSamples: 64, AssignSlot: 100 * time.Millisecond, Elections: 10000}

// DigestEvents reads an events.jsonl stream into a digest. A malformed line
// in the middle of the stream stops the reading with an error that names its
// line; the digest of what came before is still returned so that a report can
// show it with a warning.
func DigestEvents(r io.Reader, lim DigestLimits) (*EventDigest, error) {
	g := NewDigester(lim)
	skipped, err := cluster.ReadEvents(r, func(e cluster.Event) error {
		g.Add(e)
		return nil
	})
	d := g.Finish()
	d.Skipped = skipped
	if err != nil {
		return d, fmt.Errorf("digesting events: %w", err)
	}
	return d, nil
}

type electionKey struct {
	node  int
	epoch uint64
}

type epochSeen struct {
	node int
	at   time.Time
}

// Digester builds an EventDigest one event at a time (Add, then Finish); it
// owns no I/O and accepts events in any order, so that it can read any
// events.jsonl. DigestEvents reads a file with it; the analyzer (package
// analyze) feeds it the events it reads, so a finished run digests its log
// once for the summary and the report.
type Digester struct {
	lim       DigestLimits
	d         EventDigest
	causes    map[electionKey]string
	epochs    map[uint64]epochSeen
	conflicts map[uint64]bool
	open      map[int]FaultWindow
	openDur   map[int]time.Duration
	openNet   map[int]NetFaultWindow // by the event's net id
	openNetD  map[int]time.Duration
	load      map[int]*loadSeries
	assigns   *assignSampler
	final     map[int]*NodeFinal
	last      time.Time
	// suppressed counts warnings beyond maxWarnings.
	suppressed int
	done       *EventDigest // set by Finish
}

// NewDigester starts a digest that keeps what lim allows (zero fields take
// DefaultDigestLimits).
func NewDigester(lim DigestLimits) *Digester {
	def := DefaultDigestLimits
	lim.LoadPoints = cmp.Or(lim.LoadPoints, def.LoadPoints)
	lim.AssignSamples = cmp.Or(lim.AssignSamples, def.AssignSamples)
	lim.AssignSlot = cmp.Or(lim.AssignSlot, def.AssignSlot)
	lim.Elections = cmp.Or(lim.Elections, def.Elections)
	return &Digester{
		lim:       lim,
		d:         EventDigest{StartedByCause: map[string]int{}, AssignByNode: map[int]int{}},
		causes:    map[electionKey]string{},
		epochs:    map[uint64]epochSeen{},
		conflicts: map[uint64]bool{},
		open:      map[int]FaultWindow{},
		openDur:   map[int]time.Duration{},
		openNet:   map[int]NetFaultWindow{},
		openNetD:  map[int]time.Duration{},
		load:      map[int]*loadSeries{},
		assigns:   newAssignSampler(lim.AssignSamples, lim.AssignSlot),
		final:     map[int]*NodeFinal{},
	}
}

func (g *Digester) node(id int) *NodeFinal {
	f := g.final[id]
	if f == nil {
		f = &NodeFinal{ID: id}
		g.final[id] = f
	}
	return f
}

// Add digests one event.
func (g *Digester) Add(e cluster.Event) {
	g.d.Events++
	t := time.Unix(0, e.Time)
	if t.After(g.last) {
		g.last = t
	}
	if g.d.First.IsZero() || t.Before(g.d.First) {
		g.d.First = t
	}
	switch e.Type {
	case cluster.EvLoadStart:
		if g.d.LoadStart.IsZero() || t.Before(g.d.LoadStart) {
			g.d.LoadStart = t
		}
	case cluster.EvLoadStop:
		if t.After(g.d.LoadStop) {
			g.d.LoadStop = t
		}
	case cluster.EvElectionStart:
		g.d.ElectionsStarted++
		g.d.StartedByCause[e.Cause]++
		g.causes[electionKey{e.Node, e.Epoch}] = e.Cause
	case cluster.EvElectionResult:
		g.addElection(t, e)
	case cluster.EvCoordinator:
		g.seeEpoch(e.Epoch, e.Coordinator, t)
		g.node(e.Node).Coordinator = e.Coordinator
	case cluster.EvFaultStart:
		g.faultStart(t, e)
	case cluster.EvFaultEnd:
		g.faultEnd(t, e)
	case cluster.EvNetFaultStart, cluster.EvNetFaultEnd:
		g.netFault(t, e)
	case cluster.EvLoad:
		g.addLoad(t, e)
	case cluster.EvAssign:
		g.addAssign(t, e)
	case cluster.EvReassign:
		g.d.Reassigns++
	default:
		g.addNodeEvent(e)
	}
}

func (g *Digester) addNodeEvent(e cluster.Event) {
	switch e.Type {
	case cluster.EvStart, cluster.EvState:
		g.node(e.Node).State = e.State
	case cluster.EvComplete:
		g.node(e.Node).Completions++
	case cluster.EvStop:
		g.node(e.Node).Stopped = true
	case cluster.EvNodeExit:
		g.node(e.Node).Exit = e.Reason
	}
}

func (g *Digester) addElection(t time.Time, e cluster.Event) {
	g.seeEpoch(e.Epoch, e.Coordinator, t)
	g.d.ElectionsDecided++
	if len(g.d.Elections) >= g.lim.Elections {
		return // counted in ElectionsStarted; finish warns
	}
	g.d.Elections = append(g.d.Elections, Election{
		Time: t, Epoch: e.Epoch, Initiator: e.Node, Winner: e.Coordinator, Loads: maps.Clone(e.Loads),
	})
}

// seeEpoch records the earliest sign of an epoch's coordinator and notes
// epochs that name two different ones (the checker judges them; the figure
// must not hide them).
func (g *Digester) seeEpoch(epoch uint64, node int, t time.Time) {
	if node == 0 {
		return
	}
	s, ok := g.epochs[epoch]
	switch {
	case !ok:
		g.epochs[epoch] = epochSeen{node: node, at: t}
	case s.node != node:
		g.conflicts[epoch] = true
	case t.Before(s.at):
		g.epochs[epoch] = epochSeen{node: node, at: t}
	}
}

func (g *Digester) addLoad(t time.Time, e cluster.Event) {
	s := g.load[e.Node]
	if s == nil {
		s = newLoadSeries(g.lim.LoadPoints)
		g.load[e.Node] = s
	}
	s.add(t, e.Load)
	g.node(e.Node).Load = e.Load
}

func (g *Digester) addAssign(t time.Time, e cluster.Event) {
	g.d.AssignTotal++
	g.d.AssignByNode[e.Assignee]++
	if !AmongLowest(e.Loads, e.Assignee) {
		g.d.AssignNotLowest++
	}
	// No copy of Loads: ReadEvents decodes every line into fresh maps, and
	// copying a million of them to keep sixty-four showed in the profile.
	g.assigns.add(Assignment{Time: t, Request: e.Request, Coordinator: e.Node, Assignee: e.Assignee, Loads: e.Loads})
}

// AmongLowest reports whether node's load is the minimum of loads. Ties count
// as lowest; a decision without loads cannot be judged and counts as lowest;
// one for a node missing from its own loads does not.
func AmongLowest(loads map[int]float64, node int) bool {
	mine, ok := loads[node]
	if !ok {
		return len(loads) == 0
	}
	for _, l := range loads {
		if l < mine-1e-9 {
			return false
		}
	}
	return true
}
