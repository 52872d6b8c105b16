package analyze

import (
	"time"

	"stegocloud/cluster"
)

// connectedKinds are the network faults that slow links but cut none: the
// nodes stay connected while they last.
var connectedKinds = map[string]bool{"latency": true, "reset": true}

// Liveness is what the log says about progress. See harness/doc.go,
// "Liveness".
type Liveness struct {
	// Heal is the end of the last fault (a node's fault_end or a
	// net_fault_end); Healed is false when no fault ended.
	Heal   time.Duration
	Healed bool
	// NetFaults counts net_fault_start events.
	NetFaults int
	// ElectionsSettled counts election_start events after the agreement
	// (Agreement.At) over Settled, the time from it to the end of the
	// observed period; without agreement, from the reference.
	ElectionsSettled int
	SettledFrom      time.Duration
	Settled          time.Duration
	// Stall is the longest window without a completion (a complete event
	// without a service error) while a majority of nodes was live and
	// connected and load was offered (between load_start and load_stop);
	// Judged is the total time those conditions held.
	Stall  Window
	Judged time.Duration
}

// Window is a span of time from the load start.
type Window struct{ From, To time.Duration }

// Duration is To − From.
func (w Window) Duration() time.Duration { return w.To - w.From }

// liveness tracks the conditions under which completions are expected.
type liveness struct {
	offered  bool
	cut      int            // disconnecting network faults in progress
	active   map[string]int // network faults in progress, by kind
	judging  bool           // majority live and connected, load offered
	since    int64          // last completion, or when judging began
	judged   int64
	longest  Window
	heal     int64
	healed   bool
	netStart int
}

func newLiveness() liveness { return liveness{active: map[string]int{}} }

// netFault handles net_fault_start and net_fault_end.
func (z *Analyzer) netFault(e *cluster.Event) {
	l := &z.live
	kind := e.Kind
	if e.Type == cluster.EvNetFaultStart {
		l.netStart++
		l.active[kind]++
		if !connectedKinds[kind] {
			l.cut++
		}
	} else {
		if kind == "" || l.active[kind] == 0 {
			kind = l.anyActive() // an end that does not say which: end one
		}
		if l.active[kind] > 0 {
			l.active[kind]--
			if !connectedKinds[kind] {
				l.cut--
			}
		}
		l.heal, l.healed = e.Time, true
	}
	z.agree.membership(e.Time)
}

// anyActive names a network fault in progress, a disconnecting one first.
func (l *liveness) anyActive() string {
	pick := ""
	for k, n := range l.active {
		if n > 0 && (pick == "" || connectedKinds[pick]) {
			pick = k
		}
	}
	return pick
}

// progress re-evaluates, after an event that can change them, whether
// completions are expected now, and takes a completion as progress.
func (z *Analyzer) progress(e *cluster.Event) {
	l := &z.live
	judging := l.judging
	switch e.Type {
	case cluster.EvLoadStart:
		l.offered = true
	case cluster.EvLoadStop:
		l.offered = false
	case cluster.EvFaultEnd:
		l.heal, l.healed = e.Time, true
	case cluster.EvElectionStart:
		z.agree.electionStarted()
	}
	switch e.Type {
	case cluster.EvLoadStart, cluster.EvLoadStop, cluster.EvFaultStart, cluster.EvFaultEnd, cluster.EvStart,
		cluster.EvNodeExit, cluster.EvStop, cluster.EvNetFaultStart, cluster.EvNetFaultEnd:
		judging = l.offered && l.cut == 0 && z.liveMajority()
	}
	switch {
	case judging && !l.judging:
		l.since = e.Time
	case !judging && l.judging:
		l.gap(z, e.Time)
	case judging && e.Type == cluster.EvComplete && e.Reason == "":
		l.gap(z, e.Time)
		l.since = e.Time
	}
	l.judging = judging
}

// gap closes a window without completions at t.
func (l *liveness) gap(z *Analyzer, t int64) {
	l.judged += t - l.since
	if d := time.Duration(t - l.since); d > l.longest.Duration() {
		l.longest = Window{From: z.at(l.since), To: z.at(t)}
	}
}

// liveMajority: more than half of the nodes are started and live.
func (z *Analyzer) liveMajority() bool {
	n := 0
	for i := range z.nodes {
		if z.nodes[i].started && z.nodes[i].isLive() {
			n++
		}
	}
	return 2*n > len(z.nodes)
}

// result closes the observation at the end of the log.
func (l *liveness) result(z *Analyzer) Liveness {
	if l.judging {
		l.gap(z, z.last)
		l.judging = false
	}
	out := Liveness{Healed: l.healed, NetFaults: l.netStart, ElectionsSettled: z.agree.settled,
		Stall: l.longest, Judged: time.Duration(l.judged)}
	if l.healed {
		out.Heal = z.at(l.heal)
	}
	g := z.a.Agreement
	from := g.Reference
	if g.Reached {
		from = g.At
	}
	out.SettledFrom, out.Settled = from, max(g.End-from, 0)
	return out
}
