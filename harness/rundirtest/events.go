package rundirtest

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"stegocloud/cluster"
)

// events is the merged event log of the three nodes and the harness.
func (s *sim) events() []cluster.Event {
	o := s.o
	at := func(d time.Duration) int64 { return o.Origin.Add(d).UnixNano() }
	var ev []cluster.Event
	add := func(d time.Duration, e cluster.Event) {
		e.Time = at(d)
		ev = append(ev, e)
	}
	for n := 1; n <= 3; n++ {
		add(-2*time.Second, cluster.Event{Node: n, Type: cluster.EvStart, State: "active"})
	}
	s.addElection(add, -1500*time.Millisecond, 3, 1, "startup", 2, []int{1, 2, 3})
	add(0, cluster.Event{Type: cluster.EvLoadStart})
	s.addLoads(add)
	s.addRequests(add)
	s.addFault(add)
	end := s.lastEnd()
	add(end, cluster.Event{Type: cluster.EvLoadStop})
	for n := 1; n <= 3; n++ {
		add(end+time.Second, cluster.Event{Node: n, Type: cluster.EvStop, Counters: map[string]int64{"sent.heartbeat": int64(end/(50*time.Millisecond)) * 2}})
	}
	slices.SortStableFunc(ev, func(a, b cluster.Event) int { return cmp.Compare(a.Time, b.Time) })
	return ev
}

type adder func(time.Duration, cluster.Event)

// addElection logs an election the initiator won for winner among voters.
func (s *sim) addElection(add adder, t time.Duration, initiator int, epoch uint64, cause string, winner int, voters []int) {
	loads := map[int]float64{}
	for _, v := range voters {
		loads[v] = s.load(v, t)
	}
	add(t, cluster.Event{Node: initiator, Type: cluster.EvElectionStart, Epoch: epoch, Cause: cause})
	add(t+50*time.Millisecond, cluster.Event{Node: initiator, Type: cluster.EvElectionResult, Epoch: epoch, Coordinator: winner, Loads: loads})
	for _, v := range voters {
		add(t+51*time.Millisecond, cluster.Event{Node: v, Type: cluster.EvCoordinator, Epoch: epoch, Coordinator: winner})
	}
}

// addLoads is every node's periodic load sample; a silent node logs none.
func (s *sim) addLoads(add adder) {
	o := s.o
	for t := -2 * time.Second; t <= s.lastEnd()+o.LoadEvery; t += o.LoadEvery {
		for n := 1; n <= 3; n++ {
			if n == 2 && t >= o.FaultAt && t < o.FaultAt+o.FaultFor {
				continue
			}
			add(t, cluster.Event{Node: n, Type: cluster.EvLoad, Load: s.load(n, t), Outstanding: s.outstanding(n, t)})
		}
	}
}

func (s *sim) addRequests(add adder) {
	for _, r := range s.reqs {
		id := fmt.Sprintf("c%d-%d", r.client, r.seq)
		switch {
		case r.timedOut:
			add(r.issue, cluster.Event{Node: 2, Type: cluster.EvAssign, Request: id, Assignee: 2, Loads: r.loads})
		case r.reassigned:
			add(r.issue, cluster.Event{Node: 2, Type: cluster.EvAssign, Request: id, Assignee: 2, Loads: r.firstLoads})
			add(r.assign, cluster.Event{Node: 1, Type: cluster.EvReassign, Request: id, Assignee: r.node, Reason: "assignee suspected"})
		default:
			add(r.assign, cluster.Event{Node: r.coord, Type: cluster.EvAssign, Request: id, Assignee: r.node, Loads: r.loads})
		}
		if !r.timedOut {
			add(r.end, cluster.Event{Node: r.node, Type: cluster.EvComplete, Request: id, Duration: r.end - r.assign})
		}
	}
}

// addFault is node 2's silent fault: the harness's window, the node's state
// changes, the others' suspicion and the two elections it causes.
func (s *sim) addFault(add adder) {
	o := s.o
	back := o.FaultAt + o.FaultFor
	add(o.FaultAt, cluster.Event{Node: 2, Type: cluster.EvFaultStart, Kind: "silent", Duration: o.FaultFor})
	add(o.FaultAt, cluster.Event{Node: 2, Type: cluster.EvState, From: "active", State: "failed"})
	for _, n := range []int{1, 3} {
		add(s.failoverAt()-50*time.Millisecond, cluster.Event{Node: n, Type: cluster.EvSuspect, Peer: 2})
	}
	s.addElection(add, s.failoverAt()-50*time.Millisecond, 1, 2, "coordinator_suspected", 1, []int{1, 3})
	add(back, cluster.Event{Node: 2, Type: cluster.EvFaultEnd, Kind: "silent"})
	add(back, cluster.Event{Node: 2, Type: cluster.EvState, From: "failed", State: "recovering"})
	for i := range s.abandoned() {
		add(back+time.Duration(i+1)*time.Millisecond, cluster.Event{Node: 2, Type: cluster.EvComplete, Request: "abandoned"})
	}
	add(back+10*time.Millisecond, cluster.Event{Node: 2, Type: cluster.EvCoordinator, Epoch: 2, Coordinator: 1})
	add(s.recoveredAt(), cluster.Event{Node: 2, Type: cluster.EvState, From: "recovering", State: "active"})
	for _, n := range []int{1, 3} {
		add(s.recoveredAt(), cluster.Event{Node: n, Type: cluster.EvAlive, Peer: 2})
	}
	s.addElection(add, s.recoveryElectionAt()-50*time.Millisecond, 2, 3, "recovery", 2, []int{1, 2, 3})
}

func (s *sim) writeEvents(w io.Writer) error {
	log := cluster.NewEventLog(w, nil)
	for _, e := range s.events() {
		log.Emit(e)
	}
	return log.Flush()
}
