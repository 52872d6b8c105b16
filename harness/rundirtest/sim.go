package rundirtest

import (
	"container/heap"
	"math/rand/v2"
	"time"
)

// request is one simulated request from issue to end.
type request struct {
	seq        int
	client     int
	issue      time.Duration // from load start
	assign     time.Duration // when the coordinator assigned it (last assignment)
	end        time.Duration
	node       int // serving node (0 if lost)
	coord      int // node that made the (last) assignment
	loads      map[int]float64
	firstLoads map[int]float64 // loads of the first assignment, when it was reassigned
	reassigned bool
	timedOut   bool
}

// sim is the closed-loop world: nodes, their coordinator over time, one
// silent fault.
type sim struct {
	o    Options
	rng  *rand.Rand
	reqs []*request
}

// coordinatorAt is who assigns at t: node 2, node 1 after node 2 went silent
// and was suspected, node 2 again after its recovery election.
func (s *sim) coordinatorAt(t time.Duration) int {
	switch {
	case t < s.o.FaultAt:
		return 2
	case t < s.failoverAt():
		return 0 // nobody assigns: the coordinator is silent and not yet suspected
	case t < s.recoveryElectionAt():
		return 1
	}
	return 2
}

func (s *sim) failoverAt() time.Duration { return s.o.FaultAt + s.o.Failover }
func (s *sim) recoveredAt() time.Duration {
	return s.o.FaultAt + s.o.FaultFor + s.o.SyncDelay
}
func (s *sim) recoveryElectionAt() time.Duration { return s.recoveredAt() + 50*time.Millisecond }

func (s *sim) down(node int, t time.Duration) bool {
	return node == 2 && t >= s.o.FaultAt && t < s.recoveredAt()
}

// outstanding counts node's requests in flight at t.
func (s *sim) outstanding(node int, t time.Duration) int {
	n := 0
	for _, r := range s.reqs {
		if r.node == node && r.assign <= t && t < r.end {
			n++
		}
	}
	return n
}

func (s *sim) load(node int, t time.Duration) float64 {
	return s.o.BaseLoad[node-1] + 0.1*float64(s.outstanding(node, t))
}

// pick is the lowest-load balancer over the live nodes at t.
func (s *sim) pick(t time.Duration) (int, map[int]float64) {
	loads := map[int]float64{}
	best := 0
	for n := 1; n <= 3; n++ {
		if s.down(n, t) {
			continue
		}
		loads[n] = s.load(n, t)
		if best == 0 || loads[n] < loads[best] {
			best = n
		}
	}
	return best, loads
}

func (s *sim) service() time.Duration {
	jitter := time.Duration(s.rng.ExpFloat64() * float64(15*time.Millisecond))
	return s.o.Service + 2*time.Millisecond + jitter
}

// run issues every request in time order across clients.
func (s *sim) run() {
	q := &clientQueue{}
	for c := range s.o.Clients {
		heap.Push(q, clientAt{client: c, at: time.Duration(c) * 7 * time.Millisecond})
	}
	perClient := make([]int, s.o.Clients)
	for q.Len() > 0 {
		ca := heap.Pop(q).(clientAt)
		r := s.issue(len(s.reqs), ca.client, ca.at)
		s.reqs = append(s.reqs, r)
		perClient[ca.client]++
		if perClient[ca.client] < s.o.PerClient {
			heap.Push(q, clientAt{client: ca.client, at: r.end + time.Millisecond})
		}
	}
}

// issue follows one request: assigned when a coordinator is there, abandoned
// by node 2 when it falls silent, then reassigned (or, for every fourth one,
// given up by the client at its deadline).
func (s *sim) issue(seq, client int, t time.Duration) *request {
	r := &request{seq: seq, client: client, issue: t, assign: t}
	if s.coordinatorAt(t) == 0 {
		r.assign = s.failoverAt()
	}
	r.coord = s.coordinatorAt(r.assign)
	r.node, r.loads = s.pick(r.assign)
	r.end = r.assign + s.service()
	if r.node == 2 && r.end > s.o.FaultAt && r.assign < s.o.FaultAt {
		if seq%4 == 0 {
			// Node 2 dropped it; the client gave up at its deadline.
			r.timedOut, r.end, r.node = true, r.issue+s.o.Timeout, 0
			return r
		}
		r.reassigned, r.firstLoads = true, r.loads
		r.assign = s.failoverAt()
		r.coord = 1
		r.node, r.loads = s.pick(r.assign)
		r.end = r.assign + s.service()
	}
	return r
}

type clientAt struct {
	client int
	at     time.Duration
}

// clientQueue orders clients by when they issue next (ties by client id, so
// the order is deterministic).
type clientQueue []clientAt

func (q clientQueue) Len() int { return len(q) }
func (q clientQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].client < q[j].client
}
func (q clientQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *clientQueue) Push(x any)   { *q = append(*q, x.(clientAt)) }
func (q *clientQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
