package report

import (
	"testing"
	"time"

	"stegocloud/harness/experiment"
)

// workload is an experiment with w's load, for the report's words about it.
func workload(t *testing.T, w func(*experiment.Workload)) *experiment.Experiment {
	t.Helper()
	e := experiment.DefaultExperiment()
	w(&e.Workload)
	return e
}

func rate(t *testing.T, s string) experiment.Rate {
	t.Helper()
	r, err := experiment.ParseRate(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWorkloadLine(t *testing.T) {
	pacer := func(kind, r string, d time.Duration, more func(*experiment.PacerSpec)) func(*experiment.Workload) {
		return func(w *experiment.Workload) {
			w.Pacer = experiment.PacerSpec{Kind: kind, Rate: rate(t, r)}
			if more != nil {
				more(&w.Pacer)
			}
			w.Duration = d
		}
	}
	sine := func(start string) func(*experiment.PacerSpec) {
		return func(p *experiment.PacerSpec) { p.Amp, p.Period, p.StartAt = rate(t, "50/s"), 30*time.Second, start }
	}
	tests := []struct {
		name string
		e    *experiment.Experiment
		mode string
		want string
	}{
		{"closed loop", workload(t, func(w *experiment.Workload) { w.Clients, w.RequestsPerClient = 50, 200 }), "closed", "closed loop: 50 clients × 200 requests"},
		{"rate shorthand", workload(t, func(w *experiment.Workload) { w.Clients, w.Rate, w.Duration = 16, rate(t, "100/s"), 6*time.Second }), "open", "open loop: 100/s for 6s"},
		{"constant pacer", workload(t, pacer("constant", "150/s", time.Minute, nil)), "open", "open loop: constant 150/s, for 1m"},
		{"linear pacer", workload(t, pacer("linear", "50/s", 90*time.Second, func(p *experiment.PacerSpec) { p.Slope = 10 })), "open", "open loop: linear from 50/s, +10/s per s, for 1m30s"},
		{"linear pacer slowing down", workload(t, pacer("linear", "5/100ms", 20*time.Second, func(p *experiment.PacerSpec) { p.Slope = -0.5 })), "open", "open loop: linear from 5/100ms, -0.5/s per s, for 20s"},
		{"sine pacer", workload(t, pacer("sine", "100/s", time.Hour, sine("trough"))), "open", "open loop: sine around 100/s ± 50/s, period 30s, from the trough, for 1h"},
		{"sine pacer rising from the mean", workload(t, pacer("sine", "100/s", 2*time.Minute, sine("mean-up"))), "open", "open loop: sine around 100/s ± 50/s, period 30s, from the mean, rising, for 2m"},
		{"pacer without duration", workload(t, pacer("constant", "150/s", 0, nil)), "open", "open loop: constant 150/s"},
		{"only the mode", nil, "open", "open loop"},
		{"nothing", nil, "", "—"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := WorkloadLine(tc.e, tc.mode); got != tc.want {
				t.Errorf("workload line = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestIsSeedStress(t *testing.T) {
	seed := func(f func(e *experiment.Experiment)) *experiment.Experiment {
		e := experiment.DefaultExperiment()
		e.Cluster.Nodes, e.Cluster.Service.Delay = 3, 500*time.Millisecond
		e.Workload.Clients, e.Workload.RequestsPerClient = 50, 200
		if f != nil {
			f(e)
		}
		return e
	}
	tests := []struct {
		name string
		e    *experiment.Experiment
		want bool
	}{
		{"the seed's configuration", seed(nil), true},
		{"five nodes", seed(func(e *experiment.Experiment) { e.Cluster.Nodes = 5 }), false},
		{"fewer requests", seed(func(e *experiment.Experiment) { e.Workload.RequestsPerClient = 20 }), false},
		{"no delay", seed(func(e *experiment.Experiment) { e.Cluster.Service.Delay = 0 }), false},
		{"open loop", seed(func(e *experiment.Experiment) {
			e.Workload.RequestsPerClient, e.Workload.Rate, e.Workload.Duration = 0, rate(t, "100/s"), time.Minute
		}), false},
		{"no experiment", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsSeedStress(tc.e); got != tc.want {
				t.Errorf("IsSeedStress = %v, want %v", got, tc.want)
			}
		})
	}
}
