// Package synth builds the streams the pure stages consume — load results
// and event logs — for their tests: a small language for hand-built event
// logs (times in ms from T0, the load start) and one synthetic run. Tests
// feed these to the real Recorder, Analyzer and checker rather than
// re-deriving what those compute.
package synth

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/fault"
	"stegocloud/harness/load"
)

// T0 is the load start of every synthetic stream.
var T0 = time.Date(2025, 10, 1, 14, 23, 15, 0, time.UTC)

// At is ms milliseconds after T0, as an event time (Unix ns).
func At(ms int) int64 { return T0.Add(time.Duration(ms) * time.Millisecond).UnixNano() }

// Ev is an event of type typ by node at ms; the builders below fill the
// fields each type carries.
func Ev(ms, node int, typ cluster.EventType) cluster.Event {
	return cluster.Event{Time: At(ms), Node: node, Type: typ}
}

// Start is a node (re)starting in state.
func Start(ms, node int, state string) cluster.Event {
	e := Ev(ms, node, cluster.EvStart)
	e.State = state
	return e
}

// State is a node changing state.
func State(ms, node int, state string) cluster.Event {
	e := Ev(ms, node, cluster.EvState)
	e.State = state
	return e
}

// Coordinator is node following coord for epoch.
func Coordinator(ms, node int, epoch uint64, coord int) cluster.Event {
	e := Ev(ms, node, cluster.EvCoordinator)
	e.Epoch, e.Coordinator = epoch, coord
	return e
}

// Elected is node's election_result: winner coordinates epoch.
func Elected(ms, node int, epoch uint64, winner int) cluster.Event {
	e := Ev(ms, node, cluster.EvElectionResult)
	e.Epoch, e.Coordinator = epoch, winner
	return e
}

// Election is node starting an election for epoch, for cause.
func Election(ms, node int, epoch uint64, cause string) cluster.Event {
	e := Ev(ms, node, cluster.EvElectionStart)
	e.Epoch, e.Cause = epoch, cause
	return e
}

// Suspect is node suspecting peer.
func Suspect(ms, node, peer int) cluster.Event {
	e := Ev(ms, node, cluster.EvSuspect)
	e.Peer = peer
	return e
}

// Alive is node hearing peer again.
func Alive(ms, node, peer int) cluster.Event {
	e := Ev(ms, node, cluster.EvAlive)
	e.Peer = peer
	return e
}

// FaultStart is the harness taking node down.
func FaultStart(ms, node int, kind string) cluster.Event {
	e := Ev(ms, node, cluster.EvFaultStart)
	e.Kind = kind
	return e
}

// FaultEnd is the harness letting node back.
func FaultEnd(ms, node int, kind string) cluster.Event {
	e := Ev(ms, node, cluster.EvFaultEnd)
	e.Kind = kind
	return e
}

// NetFaultStart is the harness starting network fault id of kind (its
// sides in groups), lasting dur.
func NetFaultStart(ms, id int, kind string, dur time.Duration, groups ...[]int) cluster.Event {
	e := Ev(ms, 0, cluster.EvNetFaultStart)
	e.Kind, e.Duration, e.Net = kind, dur, &cluster.NetFault{ID: id, Groups: groups}
	return e
}

// NetFaultEnd is the harness ending network fault id.
func NetFaultEnd(ms, id int, kind string, groups ...[]int) cluster.Event {
	e := Ev(ms, 0, cluster.EvNetFaultEnd)
	e.Kind, e.Net = kind, &cluster.NetFault{ID: id, Groups: groups}
	return e
}

// Exit is node's process ending.
func Exit(ms, node int, reason string) cluster.Event {
	e := Ev(ms, node, cluster.EvNodeExit)
	e.Reason = reason
	return e
}

// Load is node logging its load and message counters.
func Load(ms, node int, load float64, counters map[string]int64) cluster.Event {
	e := Ev(ms, node, cluster.EvLoad)
	e.Load, e.Counters = load, counters
	return e
}

// Stop is node stopping cleanly.
func Stop(ms, node int, counters map[string]int64) cluster.Event {
	e := Ev(ms, node, cluster.EvStop)
	e.Counters = counters
	return e
}

// Assign is coord assigning req to assignee, seeing loads.
func Assign(ms, coord int, req string, assignee int, loads map[int]float64) cluster.Event {
	e := Ev(ms, coord, cluster.EvAssign)
	e.Request, e.Assignee, e.Loads = req, assignee, loads
	return e
}

// Steady is three nodes started before the load, following node 1 at epoch 1.
func Steady() []cluster.Event {
	return []cluster.Event{
		Start(-1000, 1, "Active"), Start(-1000, 2, "Active"), Start(-1000, 3, "Active"),
		Election(-950, 1, 1, "startup"), Elected(-900, 1, 1, 1),
		Coordinator(-900, 1, 1, 1), Coordinator(-899, 2, 1, 1), Coordinator(-899, 3, 1, 1),
	}
}

// OK is an ok, verified result due at off from T0 that took lat.
func OK(seq uint64, off, lat time.Duration, node int) load.Result {
	return load.Result{Seq: seq, Intended: T0.Add(off), Start: T0.Add(off), Latency: lat,
		Outcome: load.OK, Node: node, Attempts: 1, Verified: true}
}

// Run is a small closed-loop run: 3 nodes, 20 clients × 100
// requests, a 500 ms service time, node 1 (the coordinator) silent 10–13 s and
// node 3 crashed 20–22 s; requests in flight to a down node take a retry.
func Run() (faults []fault.Fault, results []load.Result, events []cluster.Event) {
	faults = []fault.Fault{
		{At: 10 * time.Second, Node: 1, Kind: "silent", For: 3 * time.Second},
		{At: 20 * time.Second, Node: 3, Kind: "crash", For: 2 * time.Second},
	}
	rng := rand.New(rand.NewPCG(42, 4411))
	down := func(node int, at time.Duration) bool {
		for _, f := range faults {
			if f.Node == node && at >= f.At && at < f.End() {
				return true
			}
		}
		return false
	}
	seq := uint64(0)
	for c := range 20 {
		at := time.Duration(c) * 5 * time.Millisecond
		for range 100 {
			node := 1 + rng.IntN(3)
			lat := 500*time.Millisecond + time.Duration(rng.ExpFloat64()*float64(20*time.Millisecond))
			r := load.Result{Seq: seq, ID: fmt.Sprintf("c%d-%d", c, seq), Client: c, Intended: T0.Add(at), Start: T0.Add(at),
				Outcome: load.OK, Node: node, Attempts: 1, Verified: true, BytesOut: 49152, BytesIn: 49400}
			if down(node, at) {
				r.Attempts, r.Node = 2, 1+node%3
				lat += 700 * time.Millisecond
				if seq%7 == 0 {
					r.Outcome, r.Reason, r.Node, r.Verified, r.BytesIn = load.TimedOut, "no valid response within 3s", 0, false, 0
					lat = 3 * time.Second
				}
			}
			if seq%250 == 0 {
				r.Duplicates = 1
			}
			r.Latency = lat
			results = append(results, r)
			seq++
			at += lat
		}
	}
	slices.SortStableFunc(results, func(a, b load.Result) int { return a.Intended.Add(a.Latency).Compare(b.Intended.Add(b.Latency)) })

	counters := func(k int64) map[string]int64 {
		return map[string]int64{"sent.heartbeat": 40 * k, "recv.heartbeat": 40 * k, "recv.request": 200 * k,
			"sent.assign": 70 * k, "sent.response": 66 * k, "sent.done": 66 * k, "sent.election": k / 10}
	}
	loads := map[int]float64{1: 0.75, 2: 0.5, 3: 0.9}
	events = slices.Concat(Steady(), []cluster.Event{
		Ev(0, 0, cluster.EvLoadStart),
		Assign(100, 1, "c0-0", 2, loads),
		Load(5000, 1, 0.7, counters(5)), Load(5000, 2, 0.6, counters(5)), Load(5000, 3, 0.8, counters(5)),
		FaultStart(10000, 1, "silent"), State(10000, 1, "Failed"),
		Suspect(10210, 2, 1), Suspect(10215, 3, 1), Election(10215, 3, 2, "coordinator suspected"),
		Elected(10240, 3, 2, 2), Coordinator(10240, 3, 2, 2), Coordinator(10250, 2, 2, 2),
		Assign(11000, 2, "c3-310", 3, map[int]float64{2: 0.6, 3: 0.55}),
		{Time: At(11200), Node: 2, Type: cluster.EvReassign, Request: "c3-310", Assignee: 2, Reason: "assignee suspected"},
		FaultEnd(13000, 1, "silent"), State(13000, 1, "Recovering"), State(13500, 1, "Active"), Coordinator(13500, 1, 2, 2),
		Load(15000, 1, 0.5, counters(15)), Load(15000, 2, 0.65, counters(15)), Load(15000, 3, 0.75, counters(15)),
		FaultStart(20000, 3, "crash"), Exit(20001, 3, "signal: killed"),
		FaultEnd(22000, 3, "crash"), Start(22040, 3, "Recovering"), State(22560, 3, "Active"), Coordinator(22560, 3, 2, 2),
		Assign(25000, 2, "c9-999", 1, map[int]float64{1: 0.6, 2: 0.8, 3: 0.5}),
		Election(25100, 1, 3, "periodic"), Elected(25150, 1, 3, 3), Coordinator(25150, 1, 3, 3), Coordinator(25151, 2, 3, 3), Coordinator(25152, 3, 3, 3),
		Ev(40000, 0, cluster.EvLoadStop),
		Stop(40100, 1, counters(40)), Stop(40100, 2, counters(40)), Stop(40100, 3, counters(18)),
		Exit(40200, 1, "exit status 0"), Exit(40200, 2, "exit status 0"), Exit(40200, 3, "exit status 0"),
	})
	// Each ok request: the coordinator of the moment assigns it 1 ms after it
	// is due and the serving node completes it when it ends.
	coordAt := func(ms int) int {
		switch {
		case ms < 10240:
			return 1
		case ms < 25150:
			return 2
		}
		return 3
	}
	for _, r := range results {
		if r.Outcome != load.OK {
			continue
		}
		due := int(r.Intended.Sub(T0) / time.Millisecond)
		if c := coordAt(due + 1); !down(c, time.Duration(due+1)*time.Millisecond) {
			events = append(events, Assign(due+1, c, r.ID, r.Node, map[int]float64{1: 0.7, 2: 0.6, 3: 0.8}))
		}
		events = append(events, Ev(due+int(r.Latency/time.Millisecond), r.Node, cluster.EvComplete))
	}
	slices.SortStableFunc(events, func(a, b cluster.Event) int { return cmp.Compare(a.Time, b.Time) })
	return faults, results, events
}

// Ms is n milliseconds.
func Ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }
