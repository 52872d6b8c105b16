package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Balancer names.
const (
	BalancerLowestLoad  = "lowest-load" // the seed's "lowest load wins", per request; ties rotate by id
	BalancerRoundRobin  = "round-robin" // next live node in id order
	BalancerRandom      = "random"      // uniformly, from the seeded source
	BalancerCoordinator = "coordinator" // the coordinator serves everything (the seed read literally)
)

// Balancers lists the valid balancer names.
var Balancers = []string{BalancerLowestLoad, BalancerRoundRobin, BalancerRandom, BalancerCoordinator}

func validBalancer(name string) bool { return slices.Contains(Balancers, name) }

// Candidate is a node the coordinator may assign a request to, with the load
// the coordinator believes it has.
type Candidate struct {
	ID   int
	Load float64
}

// Balancer picks the node that serves a request. It is called only by the
// acting coordinator's state machine, from one goroutine.
type Balancer interface {
	// Pick returns the ID of one of cands (non-empty, sorted by ID); self is
	// the coordinator's own id.
	Pick(cands []Candidate, self int) int
}

// NewBalancer returns the balancer called name; rng feeds the random one.
func NewBalancer(name string, rng *rand.Rand) (Balancer, error) {
	switch name {
	case BalancerLowestLoad:
		return &lowestLoad{}, nil
	case BalancerRoundRobin:
		return &roundRobin{}, nil
	case BalancerRandom:
		return randomBalancer{rng: rng}, nil
	case BalancerCoordinator:
		return coordinatorBalancer{}, nil
	}
	return nil, fmt.Errorf("balancer %q: %w (want one of %v)", name, ErrUnknownBalancer, Balancers)
}

// lowestLoad picks the least loaded node. Ties are common in a closed loop
// (a third of all decisions with 30 clients on 3 nodes) and always giving
// them to the lowest id skews the shares (node 1 served 35–36% in
// TestE2EBalanceAndMessagesPerRequest), so tied nodes take turns in id order.
type lowestLoad struct{ last int }

func (b *lowestLoad) Pick(cands []Candidate, _ int) int {
	min := cands[lowestIndex(cands)].Load
	next := 0
	for _, c := range cands {
		if c.Load != min {
			continue
		}
		if next == 0 {
			next = c.ID // wraps around to the lowest tied id
		}
		if c.ID > b.last {
			next = c.ID
			break
		}
	}
	b.last = next
	return next
}

func lowestIndex(cands []Candidate) int {
	best := 0
	for i, c := range cands[1:] {
		if c.Load < cands[best].Load {
			best = i + 1
		}
	}
	return best
}

// lowest is the minimum by (load, id); cands are sorted by id so the first
// minimum wins ties.
func lowest(cands []Candidate) int { return cands[lowestIndex(cands)].ID }

type roundRobin struct{ last int }

func (r *roundRobin) Pick(cands []Candidate, _ int) int {
	next := cands[0].ID
	for _, c := range cands {
		if c.ID > r.last {
			next = c.ID
			break
		}
	}
	r.last = next
	return next
}

type randomBalancer struct{ rng *rand.Rand }

func (b randomBalancer) Pick(cands []Candidate, _ int) int {
	return cands[b.rng.IntN(len(cands))].ID
}

type coordinatorBalancer struct{}

func (coordinatorBalancer) Pick(cands []Candidate, self int) int {
	for _, c := range cands {
		if c.ID == self {
			return self
		}
	}
	return lowest(cands)
}
