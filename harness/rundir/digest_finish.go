package rundir

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"stegocloud/cluster"
)

func (g *Digester) faultStart(t time.Time, e cluster.Event) {
	if w, ok := g.open[e.Node]; ok {
		g.warnf("node %d: fault_start at %s while a %s fault was open; closing it there", e.Node, t.Format(time.RFC3339Nano), w.Kind)
		w.End = t
		g.d.Faults = append(g.d.Faults, w)
	}
	g.open[e.Node] = FaultWindow{Node: e.Node, Kind: e.Kind, Start: t, Source: "events"}
	g.openDur[e.Node] = e.Duration
}

func (g *Digester) faultEnd(t time.Time, e cluster.Event) {
	w, ok := g.open[e.Node]
	if !ok {
		g.warnf("node %d: fault_end at %s without a fault_start", e.Node, t.Format(time.RFC3339Nano))
		return
	}
	delete(g.open, e.Node)
	w.End = t
	g.d.Faults = append(g.d.Faults, w)
}

// maxWarnings caps the warnings of one digest: a log that is wrong on
// every line must not turn the report into a copy of it.
const maxWarnings = 50

func (g *Digester) warnf(format string, a ...any) {
	if len(g.d.Warnings) >= maxWarnings {
		g.suppressed++
		return
	}
	g.d.Warnings = append(g.d.Warnings, FileEvents+": "+fmt.Sprintf(format, a...))
}

// Finish closes what the log left open, orders everything by time and
// returns the digest; later calls return the same digest.
func (g *Digester) Finish() *EventDigest {
	if g.done != nil {
		return g.done
	}
	d := &g.d
	g.done = d
	for _, id := range slices.Sorted(maps.Keys(g.open)) {
		w := g.open[id]
		w.End = w.Start.Add(g.openDur[id])
		if g.openDur[id] <= 0 || w.End.After(g.last) {
			w.End = g.last
		}
		g.warnf("node %d: %s fault started at %s has no fault_end; drawn until %s", id, w.Kind, w.Start.Format(time.RFC3339Nano), w.End.Format(time.RFC3339Nano))
		d.Faults = append(d.Faults, w)
	}
	slices.SortStableFunc(d.Faults, func(a, b FaultWindow) int { return a.Start.Compare(b.Start) })
	g.finishNetFaults()

	for i := range d.Elections {
		el := &d.Elections[i]
		el.Cause = g.causes[electionKey{el.Initiator, el.Epoch}]
	}
	slices.SortStableFunc(d.Elections, func(a, b Election) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Epoch, b.Epoch))
	})
	if dropped := d.ElectionsDecided - len(d.Elections); dropped > 0 {
		g.warnf("%d decided elections beyond the first %d are counted but not listed", dropped, g.lim.Elections)
	}

	d.Coordinators = g.periods()
	for _, ep := range slices.Sorted(maps.Keys(g.conflicts)) {
		g.warnf("epoch %d names more than one coordinator; the figures show the first seen (node %d)", ep, g.epochs[ep].node)
	}

	if g.suppressed > 0 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s: %d more warnings like these were left out", FileEvents, g.suppressed))
	}
	d.Load = make(map[int][]LoadSpan, len(g.load))
	for id, s := range g.load {
		d.Load[id] = s.pts
	}
	d.Assigns = g.assigns.kept
	for _, id := range slices.Sorted(maps.Keys(g.final)) {
		d.Final = append(d.Final, *g.final[id])
	}
	return d
}

// periods turns the epochs seen into consecutive coordinator periods. Epochs
// only grow, so they order the periods; a period never starts before the one
// it follows (clocks of different processes can disagree by a little).
func (g *Digester) periods() []CoordinatorPeriod {
	var out []CoordinatorPeriod
	for _, ep := range slices.Sorted(maps.Keys(g.epochs)) {
		s := g.epochs[ep]
		from := s.at
		if n := len(out); n > 0 {
			if from.Before(out[n-1].From) {
				from = out[n-1].From
			}
			out[n-1].To = from
		}
		out = append(out, CoordinatorPeriod{Epoch: ep, Node: s.node, From: from})
	}
	return out
}
