package harness

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/load"
	"stegocloud/harness/netfault"
)

// faultActor is what the fault executor does to nodes; the local process
// cluster and an external cluster (silent faults only) implement it.
type faultActor interface {
	Silent(ctx context.Context, id int, d time.Duration) error
	Crash(id int) error
	Restart(id int) error
	Pause(id int) error
	Resume(id int) error
	// Coordinator is the node the live nodes follow now (0: none agreed).
	Coordinator(ctx context.Context) int
	// ApplyNet starts a network fault on the proxies; RemoveNet ends it.
	ApplyNet(f netfault.Fault) (netfault.FaultID, error)
	RemoveNet(id netfault.FaultID) error
}

// faultExecutor injects a fault schedule on time and records what it did.
type faultExecutor struct {
	act    faultActor
	events *cluster.EventLog
	start  time.Time // load start: fault offsets count from it
	nodes  int       // cluster size, for resolving network faults
	logf   func(format string, a ...any)

	mu       sync.Mutex
	executed []fault.Fault
	down     map[int]bool
	leftDown []fault.Fault // faults in progress when abort came: their nodes were left down
	netSeq   int           // network faults started, numbering their events
}

// run injects faults (offsets from x.start) until every fault has ended. A
// fault not yet due when stop is done is not injected (it is recorded as
// suppressed); one in progress runs to its end, so that the run sees its
// recovery. When abort is done (Ctrl-C), a fault in progress ends at once and
// its node is left as the fault left it (see one).
func (x *faultExecutor) run(stop, abort context.Context, faults []fault.Fault) {
	x.down = map[int]bool{}
	var wg sync.WaitGroup
	for _, f := range faults {
		if f.Suppressed != "" {
			x.record(f)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if f.IsNetwork() {
				x.oneNet(stop, abort, f)
				return
			}
			x.one(stop, abort, f)
		}()
	}
	wg.Wait()
}

// due waits until f is due and resolves its selector (coordinator,
// others) against the cluster then. false: f was recorded as suppressed
// (the load ended first, or the selector could not be resolved).
func (x *faultExecutor) due(stop, abort context.Context, f fault.Fault) (fault.Fault, bool) {
	if !load.SleepUntil(x.start.Add(f.At), stop.Done()) {
		f.Suppressed = "not reached: the load ended first"
		x.record(f)
		return f, false
	}
	if f.Selector != "" {
		rf, err := fault.Resolve(f, x.act.Coordinator(abort), x.nodes)
		if err != nil {
			f.Suppressed = err.Error()
			x.record(f)
			return f, false
		}
		f = rf
	}
	return f, true
}

// one waits for f, injects it, holds it for f.For and heals it.
func (x *faultExecutor) one(stop, abort context.Context, f fault.Fault) {
	f, ok := x.due(stop, abort, f)
	if !ok {
		return
	}
	x.mu.Lock()
	busy := x.down[f.Node]
	if !busy {
		x.down[f.Node] = true
	}
	x.mu.Unlock()
	if busy {
		f.Suppressed = fmt.Sprintf("node %d was already down", f.Node)
		x.record(f)
		return
	}
	defer func() {
		x.mu.Lock()
		delete(x.down, f.Node)
		x.mu.Unlock()
	}()
	f.At = time.Since(x.start) // as executed
	// The start is logged before the fault is injected: peers react within
	// milliseconds (a killed node's connections close at once, and Crash
	// returns only once the process is reaped), and a fault logged after the
	// cluster had already elected a new coordinator would not count as the
	// coordinator's loss at all.
	x.events.Emit(cluster.Event{Node: f.Node, Type: cluster.EvFaultStart, Kind: f.Kind, Duration: f.For})
	if err := x.inject(abort, f); err != nil {
		f.Suppressed = "injection failed: " + err.Error()
		x.events.Emit(cluster.Event{Node: f.Node, Type: cluster.EvFaultEnd, Kind: f.Kind, Reason: f.Suppressed})
		x.logf("fault: %v", err)
		x.record(f)
		return
	}
	x.logf("fault: node %d %s for %v", f.Node, f.Kind, f.For)
	if !load.SleepUntil(x.start.Add(f.At+f.For), abort.Done()) {
		// Interrupted: the run is ending. The node is not healed — a
		// crashed node is not restarted only to be stopped (the shutdown
		// continues a paused one before it stops it) — and no fault_end is
		// logged, since the node never came back: the analysis sees it
		// down to the end, and its final state says so.
		f.For = time.Since(x.start) - f.At
		x.logf("fault: node %d left down (%s): the run was interrupted", f.Node, f.Kind)
		x.mu.Lock()
		x.leftDown = append(x.leftDown, f)
		x.mu.Unlock()
		x.record(f)
		return
	}
	if err := x.heal(f); err != nil {
		x.logf("fault: %v", err)
	}
	x.events.Emit(cluster.Event{Node: f.Node, Type: cluster.EvFaultEnd, Kind: f.Kind})
	f.For = time.Since(x.start) - f.At
	x.record(f)
}

func (x *faultExecutor) inject(ctx context.Context, f fault.Fault) error {
	switch f.Kind {
	case experiment.FaultSilent:
		return x.act.Silent(ctx, f.Node, f.For)
	case experiment.FaultCrash:
		return x.act.Crash(f.Node)
	case experiment.FaultPause:
		return x.act.Pause(f.Node)
	}
	return fmt.Errorf("injecting fault on node %d: unknown kind %q", f.Node, f.Kind)
}

// heal ends a fault: a crashed node is restarted (in Recovering), a paused one
// continued; a silent node recovers by itself when its time is up.
func (x *faultExecutor) heal(f fault.Fault) error {
	switch f.Kind {
	case experiment.FaultCrash:
		return x.act.Restart(f.Node)
	case experiment.FaultPause:
		return x.act.Resume(f.Node)
	}
	return nil
}

func (x *faultExecutor) record(f fault.Fault) {
	x.mu.Lock()
	x.executed = append(x.executed, f)
	x.mu.Unlock()
}

// stillDown is the faults whose nodes were left down when the run was
// interrupted, in node order.
func (x *faultExecutor) stillDown() []fault.Fault {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := append([]fault.Fault(nil), x.leftDown...)
	sort.Slice(out, func(i, j int) bool { return out[i].Node < out[j].Node })
	return out
}

// result is the schedule as run, in order of start.
func (x *faultExecutor) result() []fault.Fault {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := append([]fault.Fault(nil), x.executed...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}
