package harness

import (
	"slices"
	"testing"
	"time"

	"stegocloud/cluster"

	"stegocloud/harness/fault"
)

// A small language for hand-built event logs; times are ms from recT0 (the
// load start).

func anaT(ms int) int64 { return recT0.Add(time.Duration(ms) * time.Millisecond).UnixNano() }

func anaEv(ms, node int, typ cluster.EventType) cluster.Event {
	return cluster.Event{Time: anaT(ms), Node: node, Type: typ}
}

func aevStart(ms, node int, state string) cluster.Event {
	e := anaEv(ms, node, cluster.EvStart)
	e.State = state
	return e
}

func aevState(ms, node int, state string) cluster.Event {
	e := anaEv(ms, node, cluster.EvState)
	e.State = state
	return e
}

func aevCoord(ms, node int, epoch uint64, coord int) cluster.Event {
	e := anaEv(ms, node, cluster.EvCoordinator)
	e.Epoch, e.Coordinator = epoch, coord
	return e
}

func aevResult(ms, node int, epoch uint64, winner int) cluster.Event {
	e := anaEv(ms, node, cluster.EvElectionResult)
	e.Epoch, e.Coordinator = epoch, winner
	return e
}

func aevElect(ms, node int, epoch uint64, cause string) cluster.Event {
	e := anaEv(ms, node, cluster.EvElectionStart)
	e.Epoch, e.Cause = epoch, cause
	return e
}

func aevSuspect(ms, node, peer int) cluster.Event {
	e := anaEv(ms, node, cluster.EvSuspect)
	e.Peer = peer
	return e
}

func aevAlive(ms, node, peer int) cluster.Event {
	e := anaEv(ms, node, cluster.EvAlive)
	e.Peer = peer
	return e
}

func aevFaultStart(ms, node int, kind string) cluster.Event {
	e := anaEv(ms, node, cluster.EvFaultStart)
	e.Kind = kind
	return e
}

func aevFaultEnd(ms, node int, kind string) cluster.Event {
	e := anaEv(ms, node, cluster.EvFaultEnd)
	e.Kind = kind
	return e
}

func aevExit(ms, node int, reason string) cluster.Event {
	e := anaEv(ms, node, cluster.EvNodeExit)
	e.Reason = reason
	return e
}

func aevLoad(ms, node int, load float64, counters map[string]int64) cluster.Event {
	e := anaEv(ms, node, cluster.EvLoad)
	e.Load, e.Counters = load, counters
	return e
}

func aevStop(ms, node int, counters map[string]int64) cluster.Event {
	e := anaEv(ms, node, cluster.EvStop)
	e.Counters = counters
	return e
}

func aevAssign(ms, coord int, req string, assignee int, loads map[int]float64) cluster.Event {
	e := anaEv(ms, coord, cluster.EvAssign)
	e.Request, e.Assignee, e.Loads = req, assignee, loads
	return e
}

// anaSteady is three nodes started before the load, following node 1 at epoch 1.
func anaSteady() []cluster.Event {
	return []cluster.Event{
		aevStart(-1000, 1, "Active"), aevStart(-1000, 2, "Active"), aevStart(-1000, 3, "Active"),
		aevElect(-950, 1, 1, "startup"), aevResult(-900, 1, 1, 1),
		aevCoord(-900, 1, 1, 1), aevCoord(-899, 2, 1, 1), aevCoord(-899, 3, 1, 1),
	}
}

func anaRun(t *testing.T, faults []fault.Fault, evs ...[]cluster.Event) *Analysis {
	t.Helper()
	a, err := Analyze(AnalysisConfig{Start: recT0, Nodes: 3, Faults: faults}, slices.Values(slices.Concat(evs...)))
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return a
}

func anaMs(n int) time.Duration { return time.Duration(n) * time.Millisecond }
