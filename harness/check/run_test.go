package check

import (
	"context"
	"testing"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/load"
)

func TestAgreedCoordinator(t *testing.T) {
	act := func(coord int) cluster.NodeStatus {
		return cluster.NodeStatus{State: cluster.StateActive, Coordinator: coord}
	}
	failed := cluster.NodeStatus{State: cluster.StateFailed, Coordinator: 3}
	tests := []struct {
		name string
		sts  map[int]cluster.NodeStatus
		want int
	}{
		{"all agree", map[int]cluster.NodeStatus{1: act(2), 2: act(2), 3: act(2)}, 2},
		{"a failed node's stale view is ignored", map[int]cluster.NodeStatus{1: act(2), 2: act(2), 3: failed}, 2},
		{"disagreement", map[int]cluster.NodeStatus{1: act(2), 2: act(1), 3: act(2)}, 0},
		{"someone knows no coordinator", map[int]cluster.NodeStatus{1: act(2), 2: act(0)}, 0},
		{"the agreed coordinator is not active", map[int]cluster.NodeStatus{1: act(3), 2: act(3), 3: failed}, 0},
		{"the agreed coordinator did not answer", map[int]cluster.NodeStatus{1: act(3), 2: act(3)}, 0},
		{"nobody active", map[int]cluster.NodeStatus{3: failed}, 0},
		{"nobody answered", map[int]cluster.NodeStatus{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, why := AgreedCoordinator(tc.sts)
			if got != tc.want || (got == 0) == (why == "") {
				t.Errorf("agreedCoordinator(%v) = %d, %q; want %d (and a reason exactly when 0)", tc.sts, got, why, tc.want)
			}
		})
	}
}

func TestLoadCompleteCheck(t *testing.T) {
	closed := experiment.DefaultExperiment()
	closed.Workload.RequestsPerClient = 10 // 10 clients × 10
	tests := []struct {
		name        string
		st          load.Stats
		interrupted error
		pass        bool
	}{
		{"complete", load.Stats{Stopped: load.StopComplete, Requests: 100}, nil, true},
		{"short", load.Stats{Stopped: load.StopComplete, Requests: 99}, nil, false},
		{"max duration", load.Stats{Stopped: load.StopMaxDuration, Requests: 100}, nil, false},
		{"interrupted", load.Stats{Stopped: load.StopCancelled, Requests: 5}, context.Canceled, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := LoadComplete(closed, tc.st, tc.interrupted)
			if c.Pass != tc.pass || c.Detail == "" {
				t.Errorf("loadCompleteCheck(%+v) = %+v, want pass=%v with a detail", tc.st, c, tc.pass)
			}
		})
	}
}

func TestStatusAgreementCheck(t *testing.T) {
	act := func(coord int) cluster.NodeStatus {
		return cluster.NodeStatus{State: cluster.StateActive, Coordinator: coord}
	}
	if c := StatusAgreement(map[int]cluster.NodeStatus{1: act(2), 2: act(2), 3: act(2)}, 3); !c.Pass {
		t.Errorf("all follow node 2: %+v, want pass", c)
	}
	if c := StatusAgreement(map[int]cluster.NodeStatus{1: act(2), 2: act(2)}, 3); c.Pass {
		t.Errorf("a node did not answer: %+v, want fail", c)
	}
	if c := StatusAgreement(map[int]cluster.NodeStatus{1: act(1), 2: act(2), 3: act(2)}, 3); c.Pass {
		t.Errorf("split view: %+v, want fail", c)
	}
}
