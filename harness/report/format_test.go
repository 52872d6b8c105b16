package report

import (
	"testing"
	"time"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

func TestReportFormatting(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"loads in the seed's format", loadsText(map[int]float64{3: 0.9, 1: 0.75, 2: 0.5}), "[(1, 0.75), (2, 0.50), (3, 0.90)]"},
		{"no loads", loadsText(nil), "[]"},
		{"a pipe stays inside its cell", markdown.Cell("a|b\nc"), `a\|b c`},
		{"counts in key order", Counts(map[string]int{"startup": 1, "": 2, "recovery": 3}), "(none): 2, recovery: 3, startup: 1"},
		{"no counts", Counts(map[int]int{}), "—"},
		{"arguments with spaces are quoted", joinArgs([]string{"stegocloud", "run", "my exp.yaml"}), `stegocloud run "my exp.yaml"`},
		{"no stats", statsText(rundir.Stats{}), "none measured"},
		{"one of a noun is singular", countOf(1, "reassignment"), "1 reassignment"},
		{"none or many are plural", countOf(0, "assignment") + ", " + countOf(599, "assignment"), "0 assignments, 599 assignments"},
		{"clock in the run's zone", clock(time.Date(2026, 3, 14, 14, 23, 5, 0, time.UTC), time.FixedZone("", 3600)), "15:23:05"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestReportPickSamples(t *testing.T) {
	kept := make([]rundir.Assignment, 20)
	for i := range kept {
		kept[i].Assignee = i
	}
	tests := []struct {
		name string
		kept []rundir.Assignment
		n    int
		want []int
	}{
		{"fewer than asked: all", kept[:3], 8, []int{0, 1, 2}},
		{"spread, first and last included", kept, 5, []int{0, 4, 9, 14, 19}},
		{"none", nil, 5, nil},
	}
	for _, tc := range tests {
		var got []int
		for _, a := range pickSamples(tc.kept, tc.n) {
			got = append(got, a.Assignee)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: picked %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: picked %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestReportFaultGaps(t *testing.T) {
	tests := []struct {
		name               string
		f                  rundir.FaultSummary
		failover, recovery string
	}{
		{"every loss measured", rundir.FaultSummary{}, "", ""},
		{"masked and unresolved", rundir.FaultSummary{FailoverMasked: 2, FailoverUnresolved: 1, RecoveryUnresolved: 3},
			"; 2 masked (the coordinator was back before any node reacted), 1 unresolved (the live nodes never agreed)",
			"; 3 unresolved (no return to Active logged)"},
		{"only unresolved", rundir.FaultSummary{FailoverUnresolved: 1}, "; 1 unresolved (the live nodes never agreed)", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FailoverGaps(tc.f); got != tc.failover {
				t.Errorf("FailoverGaps(%+v) = %q, want %q", tc.f, got, tc.failover)
			}
			if got := recoveryGaps(tc.f); got != tc.recovery {
				t.Errorf("recoveryGaps(%+v) = %q, want %q", tc.f, got, tc.recovery)
			}
		})
	}
}
