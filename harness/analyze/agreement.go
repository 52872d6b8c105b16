package analyze

import "time"

// Agreement is whether the cluster settled after its last disturbance. See
// harness/doc.go, "Agreement".
type Agreement struct {
	Reference   time.Duration // the last membership change before shutdown (or the first event)
	Reached     bool
	At          time.Duration // when every live node first followed one live coordinator
	After       time.Duration // At − Reference
	Coordinator int
	Live        []int         // live nodes when it was reached, or at the end when not
	Follows     []int         // what each node (i+1) followed then; 0 none or not live
	End         time.Duration // the end of the observed period: the first stop event, else the last event
	Shutdown    bool          // the period ended at a stop event
}

// agreement watches for agreement after each membership change (a fault
// starting or ending, a process exiting or starting) until the cluster begins
// to shut down.
type agreement struct {
	started bool
	ref     int64
	frozen  bool
	end     int64
	reached bool
	at      int64
	coord   int
	live    []int
	follows []int
	settled int // election_start events since agreement was reached
}

// membership restarts the watch at a change of membership.
func (g *agreement) membership(t int64) {
	if g.frozen {
		return
	}
	g.started, g.ref, g.reached, g.at, g.coord, g.settled = true, t, false, 0, 0, 0
}

// electionStarted counts an election begun after agreement was reached
// and before shutdown.
func (g *agreement) electionStarted() {
	if g.reached && !g.frozen {
		g.settled++
	}
}

// freeze ends the observed period (the first stop event).
func (g *agreement) freeze(z *Analyzer, t int64) {
	if g.frozen {
		return
	}
	g.frozen, g.end = true, t
	if !g.reached {
		g.snapshot(z)
	}
}

// evaluate checks agreement after an event that may have changed it.
func (g *agreement) evaluate(z *Analyzer, t int64) {
	if !g.started {
		g.started, g.ref = true, t
	}
	if g.frozen || g.reached {
		return
	}
	if k := agreed(z.nodes); k != 0 {
		g.reached, g.at, g.coord = true, t, k
		g.snapshot(z)
	}
}

func (g *agreement) snapshot(z *Analyzer) {
	g.live, g.follows = g.live[:0], make([]int, len(z.nodes))
	for i := range z.nodes {
		if z.nodes[i].isLive() {
			g.live = append(g.live, i+1)
			g.follows[i] = z.nodes[i].follow
		}
	}
}

// agreed is the coordinator every live node follows, when there is one and
// it is live itself; 0 otherwise.
func agreed(nodes []nodeState) int {
	k := 0
	for i := range nodes {
		if !nodes[i].isLive() {
			continue
		}
		f := nodes[i].follow
		if f == 0 || (k != 0 && f != k) {
			return 0
		}
		k = f
	}
	if k < 1 || k > len(nodes) || !nodes[k-1].isLive() {
		return 0
	}
	return k
}

func (g *agreement) result(z *Analyzer) Agreement {
	if !g.frozen {
		g.end = z.last
		if !g.reached {
			g.snapshot(z)
		}
	}
	a := Agreement{Reference: z.at(g.ref), Reached: g.reached, Coordinator: g.coord,
		Live: g.live, Follows: g.follows, End: z.at(g.end), Shutdown: g.frozen}
	if g.reached {
		a.At, a.After = z.at(g.at), time.Duration(g.at-g.ref)
	}
	return a
}
