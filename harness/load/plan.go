package load

import (
	"fmt"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"stegocloud/harness/experiment"
)

// Plan is what the load driver needs to know, taken from an experiment by
// PlanFor or written directly (tests, benchmarks).
type Plan struct {
	Name    string // attack name in results.gob
	Clients int    // closed loop: concurrent clients; open loop: most requests in flight

	// Closed loop: exactly this many requests, Clients at a time, back to back.
	Requests uint64

	// Open loop: requests due on Pacer's schedule until Duration has passed.
	Pacer    vegeta.Pacer
	Duration time.Duration

	// MaxDuration bounds the whole load, requests in flight included; when it
	// passes, in-flight requests are cancelled and the load ends.
	MaxDuration time.Duration

	// RequestTimeout bounds one request including its retries (0: none). It is
	// a backstop above the Target's own per-attempt timeouts.
	RequestTimeout time.Duration
}

// PlanFor builds the load plan of a validated experiment. The per-request
// deadline is the workload's retry budget plus a grace of a tenth (at least
// 100 ms), so that the Target's own timeouts decide first.
func PlanFor(e *experiment.Experiment) Plan {
	w := &e.Workload
	budget := w.RequestBudget()
	p := Plan{
		Name:           e.Name,
		Clients:        w.Clients,
		MaxDuration:    w.MaxDuration,
		RequestTimeout: budget + max(budget/10, 100*time.Millisecond),
	}
	if w.Mode() == experiment.ModeClosed {
		p.Requests = w.TotalRequests()
	} else {
		p.Pacer, p.Duration = w.VegetaPacer(), w.Duration
	}
	return p
}

// Mode is ModeOpen when the plan has a pacer.
func (p *Plan) Mode() string {
	if p.Pacer != nil {
		return experiment.ModeOpen
	}
	return experiment.ModeClosed
}

func (p *Plan) validate() error {
	var problem string
	switch {
	case p.Clients < 1:
		problem = fmt.Sprintf("clients must be ≥ 1, got %d", p.Clients)
	case p.MaxDuration <= 0:
		problem = fmt.Sprintf("max duration must be > 0, got %v", p.MaxDuration)
	case p.RequestTimeout < 0:
		problem = fmt.Sprintf("request timeout must be ≥ 0, got %v", p.RequestTimeout)
	case p.Pacer == nil && p.Requests == 0:
		problem = "closed loop needs requests > 0 (or give a pacer for open loop)"
	case p.Pacer != nil && p.Requests != 0:
		problem = "set requests (closed loop) or a pacer (open loop), not both"
	case p.Pacer != nil && p.Duration <= 0:
		problem = fmt.Sprintf("open loop needs a duration > 0, got %v", p.Duration)
	default:
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadLoadPlan, problem)
}

// initialWorkers: a closed loop starts all its clients; an open loop starts a
// few and lets vegeta add workers up to Clients when requests pile up.
func (p *Plan) initialWorkers() uint64 {
	if p.Mode() == experiment.ModeClosed {
		return uint64(p.Clients)
	}
	return uint64(min(p.Clients, int(vegeta.DefaultWorkers)))
}
