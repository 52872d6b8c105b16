package harness

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/check"
	"stegocloud/harness/netfault"
)

// nodeSet is the cluster a run talks to: its addresses (where each node
// really listens: control connections go there), the processes when the
// harness launched them (nil for launch: external), the fault proxies when
// the run has them (nil otherwise), and its credentials (nil: plaintext),
// which every control call (ctl) and the load's clients use.
type nodeSet struct {
	addrs cluster.Peers
	procs *Processes
	net   *netfault.Network
	tls   *runTLS
	ctl   cluster.Control
}

var errExternalFault = errors.New("only silent faults can be injected into an external cluster")

func (n *nodeSet) Silent(ctx context.Context, id int, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return n.ctl.FailFor(ctx, n.addrs[id], d)
}

func (n *nodeSet) Crash(id int) error {
	if n.procs == nil {
		return errExternalFault
	}
	return n.procs.Kill(id)
}

func (n *nodeSet) Restart(id int) error {
	if n.procs == nil {
		return errExternalFault
	}
	return n.procs.Restart(id)
}

func (n *nodeSet) Pause(id int) error {
	if n.procs == nil {
		return errExternalFault
	}
	return n.procs.Pause(id)
}

func (n *nodeSet) Resume(id int) error {
	if n.procs == nil {
		return errExternalFault
	}
	return n.procs.Resume(id)
}

// statuses asks every node for its status at once; a node that does not
// answer within the timeout is missing from the map.
func (n *nodeSet) statuses(ctx context.Context, timeout time.Duration) map[int]cluster.NodeStatus {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var mu sync.Mutex
	out := map[int]cluster.NodeStatus{}
	var wg sync.WaitGroup
	for id, addr := range n.addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := n.ctl.Status(ctx, addr)
			if err == nil {
				mu.Lock()
				out[id] = st
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// Coordinator is the node that every Active node follows now, 0 if they do
// not agree or none is Active.
func (n *nodeSet) Coordinator(ctx context.Context) int {
	c, _ := check.AgreedCoordinator(n.statuses(ctx, 500*time.Millisecond))
	return c
}

// waitAgreed polls until want nodes answer, are Active and follow the same
// coordinator, or the timeout passes.
func (n *nodeSet) waitAgreed(ctx context.Context, want int, timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	last := "no node answered"
	for {
		sts := n.statuses(ctx, 500*time.Millisecond)
		active := 0
		for _, st := range sts {
			if st.State == cluster.StateActive {
				active++
			}
		}
		if active >= want {
			c, why := check.AgreedCoordinator(sts)
			if c != 0 {
				return c, nil
			}
			last = why
		} else {
			last = fmt.Sprintf("%d of %d nodes active", active, want)
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("the cluster did not agree on a coordinator within %v: %s", timeout, last)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
