package rundir

import (
	"maps"
	"slices"
	"time"

	"stegocloud/cluster"
)

// netFault pairs net_fault_start and net_fault_end by their net id into
// NetFaultWindows.
func (g *Digester) netFault(t time.Time, e cluster.Event) {
	if e.Net == nil {
		g.warnf("%s at %s without its net section", e.Type, t.Format(time.RFC3339Nano))
		return
	}
	id := e.Net.ID
	w, open := g.openNet[id]
	if e.Type == cluster.EvNetFaultStart {
		if open {
			g.warnf("network fault %d: started again at %s while open; closing it there", id, t.Format(time.RFC3339Nano))
			w.End = t
			g.d.NetFaults = append(g.d.NetFaults, w)
		}
		g.openNet[id] = NetFaultWindow{Kind: e.Kind, What: e.Reason, Start: t, Net: *e.Net, Source: "events"}
		g.openNetD[id] = e.Duration
		return
	}
	if !open {
		g.warnf("network fault %d: net_fault_end at %s without a net_fault_start", id, t.Format(time.RFC3339Nano))
		return
	}
	delete(g.openNet, id)
	w.End = t
	g.d.NetFaults = append(g.d.NetFaults, w)
}

// finishNetFaults closes the network faults the log left open (drawn until
// their planned end, or the end of the log) and orders them by start.
func (g *Digester) finishNetFaults() {
	d := &g.d
	for _, id := range slices.Sorted(maps.Keys(g.openNet)) {
		w := g.openNet[id]
		w.End = w.Start.Add(g.openNetD[id])
		if w.End.After(g.last) {
			w.End = g.last
		}
		g.warnf("network fault %d (%s) started at %s has no net_fault_end; drawn until %s", id, w.Kind, w.Start.Format(time.RFC3339Nano), w.End.Format(time.RFC3339Nano))
		d.NetFaults = append(d.NetFaults, w)
	}
	slices.SortStableFunc(d.NetFaults, func(a, b NetFaultWindow) int { return a.Start.Compare(b.Start) })
}
