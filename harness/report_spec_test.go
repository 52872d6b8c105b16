package harness

import "testing"

func TestReportWorkloadLine(t *testing.T) {
	tests := []struct {
		name, spec, mode, want string
	}{
		{"closed loop", "workload: {clients: 50, requests_per_client: 200}", "closed", "closed loop: 50 clients × 200 requests"},
		{"rate shorthand", "workload: {clients: 16, rate: 100/s, duration: 6s}", "open", "open loop: 100/s for 6s"},
		{"constant pacer", "workload: {pacer: {kind: constant, rate: 150/s}, duration: 1m0s}", "open", "open loop: constant 150/s, for 1m"},
		{"linear pacer", "workload: {pacer: {kind: linear, rate: 50/s, slope: 10}, duration: 1m30s}", "open", "open loop: linear from 50/s, +10/s per s, for 1m30s"},
		{"linear pacer slowing down", "workload: {pacer: {kind: linear, rate: 5/100ms, slope: -0.5}, duration: 20s}", "open", "open loop: linear from 5/100ms, -0.5/s per s, for 20s"},
		{"sine pacer", "workload: {pacer: {kind: sine, rate: 100/s, amp: 50/s, period: 30s, start_at: trough}, duration: 1h0m0s}", "open", "open loop: sine around 100/s ± 50/s, period 30s, from the trough, for 1h"},
		{"sine pacer rising from the mean", "workload: {pacer: {kind: sine, rate: 100/s, amp: 50/s, period: 30s, start_at: mean-up}, duration: 2m0s}", "open", "open loop: sine around 100/s ± 50/s, period 30s, from the mean, rising, for 2m"},
		{"pacer without duration", "workload: {pacer: {kind: constant, rate: 150/s}}", "open", "open loop: constant 150/s"},
		{"only the mode", "name: x", "open", "open loop"},
		{"nothing", "", "", "—"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseReportSpec(tc.spec)
			if err != nil {
				t.Fatalf("parseReportSpec(%q): %v", tc.spec, err)
			}
			if got := s.workloadLine(tc.mode); got != tc.want {
				t.Errorf("workloadLine of %q = %q, want %q", tc.spec, got, tc.want)
			}
		})
	}
}

func TestReportIsSeedStress(t *testing.T) {
	const seed = "cluster: {nodes: 3, service: {delay: 500ms}}\nworkload: {clients: 50, requests_per_client: 200}\n"
	tests := []struct {
		name, spec string
		want       bool
	}{
		{"the seed's configuration", seed, true},
		{"five nodes", "cluster: {nodes: 5, service: {delay: 500ms}}\nworkload: {clients: 50, requests_per_client: 200}\n", false},
		{"fewer requests", "cluster: {nodes: 3, service: {delay: 500ms}}\nworkload: {clients: 50, requests_per_client: 20}\n", false},
		{"other delay", "cluster: {nodes: 3, service: {delay: 0.5s}}\nworkload: {clients: 50, requests_per_client: 200}\n", true},
		{"no delay", "cluster: {nodes: 3, service: {delay: 0s}}\nworkload: {clients: 50, requests_per_client: 200}\n", false},
		{"open loop", "cluster: {nodes: 3, service: {delay: 500ms}}\nworkload: {clients: 50, rate: 100/s, duration: 1m}\n", false},
		{"no spec", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseReportSpec(tc.spec)
			if err != nil {
				t.Fatalf("parseReportSpec(%q): %v", tc.spec, err)
			}
			if got := s.isSeedStress(); got != tc.want {
				t.Errorf("isSeedStress of %q = %v, want %v", tc.spec, got, tc.want)
			}
		})
	}
}
