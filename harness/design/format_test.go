package design

import (
	"math"
	"testing"
	"time"

	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/rundir"
)

func TestSpreadOf(t *testing.T) {
	tests := []struct {
		name   string
		served []int
		want   spread
	}{
		// The seed's example: its "Variance: 1.7%" is the SD in points.
		{"the seed's example", []int{3245, 3180, 3575}, spread{SDPoints: 1.7293, CV: 0.05188, MaxMin: 1.1242, MaxDevPoints: 2.4167}},
		{"even", []int{10, 10, 10, 10}, spread{MaxMin: 1}},
		{"a node served nothing", []int{5, 0}, spread{SDPoints: 50, CV: 1, MaxMin: 0, MaxDevPoints: 50}},
		{"nothing served", []int{0, 0, 0}, spread{}},
		{"no nodes", nil, spread{}},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-3 }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := spreadOf(tc.served)
			if !near(got.SDPoints, tc.want.SDPoints) || !near(got.CV, tc.want.CV) || !near(got.MaxMin, tc.want.MaxMin) || !near(got.MaxDevPoints, tc.want.MaxDevPoints) {
				t.Errorf("spreadOf(%v) = %+v, want %+v", tc.served, got, tc.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"claim far above", timesText(1250, 507.65), "the claim is 2.46× the measurement"},
		{"claim below", timesText(45.23, 100.95), "the claim is 0.45× the measurement"},
		{"agreement", timesText(524.32, 503.49), "agrees within 5%"},
		{"no measurement", timesText(153, 0), ""},
		{"below a range", againstRange(99, [2]float64{200, 300}), "below the claimed range"},
		{"inside a range, at its edge", againstRange(300, [2]float64{200, 300}), "within the claimed range"},
		{"above a range", againstRange(100, [2]float64{95, 99}), "above the claimed range"},
		{"range with a unit", rangeText([2]float64{200, 300}, "req/s"), "200–300 req/s"},
		{"percent range", rangeText([2]float64{95, 99}, "%"), "95–99%"},
		{"short name kept", shortName("random"), "random"},
		{"hyphenated name", shortName("lowest-load"), "lowest"},
		{"long name", shortName("coordinator"), "coord."},
		{"abbreviations", abbreviations([]string{"lowest-load", "random", "coordinator"}), "lowest = lowest-load, coord. = coordinator"},
		{"election reference", electionRef(9), "24"},
		{"no election reference for one node", electionRef(1), "—"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestMiddle(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{1, 2, 3}, 2},
		{[]float64{1, 2, 3, 4}, 2.5},
		{[]float64{9.5, inf, inf, inf}, inf},
		{[]float64{1, 2, inf, inf}, inf},
		{[]float64{1, 2, 3, inf}, 2.5},
	}
	for _, tc := range tests {
		if got := middle(tc.in); got != tc.want {
			t.Errorf("middle(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	m := metricByKey("spread_maxmin", nil)
	st := compare.MetricStat{Values: []float64{9.54, inf, inf, inf, inf, inf}, Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if got, want := statOf(m, st), "∞ (9.54–∞)"; got != want {
		t.Errorf("statOf of a sample with ∞ = %q, want %q", got, want)
	}
}

func TestCapacityAndFaults(t *testing.T) {
	e := experiment.DefaultExperiment()
	e.Cluster.Service.Delay, e.Cluster.Service.MaxConcurrent = 100*time.Millisecond, 4
	e.Workload.Clients, e.Workload.RequestsPerClient = 60, 50
	tests := []struct {
		name    string
		n       int
		rps     float64
		formula string
	}{
		{"nodes bind", 3, 120, "3 nodes × 4 / 0.1 s"},
		{"clients bind", 20, 600, "60 clients / 0.1 s"},
	}
	for _, tc := range tests {
		rps, formula := capacity(e, tc.n)
		if rps != tc.rps || formula != tc.formula {
			t.Errorf("%s: capacity(n=%d) = %v (%s), want %v (%s)", tc.name, tc.n, rps, formula, tc.rps, tc.formula)
		}
	}
	if rps, _ := capacity(nil, 3); rps != 0 {
		t.Errorf("capacity without a spec = %v, want 0", rps)
	}

	e.Faults.Kind, e.Faults.Every, e.Faults.Probability = experiment.FaultSilent, 30*time.Second, 0.2
	e.Cluster.Nodes = 3
	if got := expectedFaults(e, 100.95); math.Abs(got-1.8) > 1e-9 {
		t.Errorf("expected faults in 100.95 s = %v, want 3 rounds × 3 nodes × 0.2 = 1.8", got)
	}
	if got := expectedFaults(e, 29); got != 0 {
		t.Errorf("expected faults before the first round = %v, want 0", got)
	}
	e.Faults.Schedule = []experiment.ScheduledFault{{At: time.Second, Node: experiment.SelectCoordinator, For: time.Second}}
	if got := expectedFaults(e, 100); !math.IsNaN(got) {
		t.Errorf("expected faults of a schedule = %v, want NaN (the schedule says)", got)
	}
	if got, want := scheduleWords(e.Faults), "silent of the coordinator for 1s at 1s"; got != want {
		t.Errorf("scheduleWords = %q, want %q", got, want)
	}
}

func TestHeartbeatShare(t *testing.T) {
	e := experiment.DefaultExperiment() // 50 ms heartbeats: 3 nodes send 120/s, 5 nodes 400/s
	sweep := func(perS ...float64) *Sweep {
		sw := &Sweep{Exp: e, Sweep: &compare.Sweep{}}
		for i, r := range perS {
			n := []string{"3", "5"}[i]
			sw.Sweep.Index.Variants = append(sw.Sweep.Index.Variants, rundir.SweepVariant{Label: "nodes=" + n, Values: map[string]string{nodesField: n}})
			sw.Sets = append(sw.Sets, &compare.RunSet{Runs: []compare.LoadedRun{{Summary: rundir.Summary{DurationS: 10, Messages: rundir.MessageCounts{Heartbeat: int64(r * 10)}}}}})
		}
		return sw
	}
	tests := []struct {
		name string
		sw   *Sweep
		want string
	}{
		{"at the nominal rate", sweep(120, 400), " The measured rates are 100% of that."},
		{"below it, with the reason", sweep(103.2, 348), " The measured rates are 86–87% of that: a crashed node sends none"},
		{"no spec", &Sweep{Sweep: &compare.Sweep{}}, ""},
	}
	extra := scalingMetrics()
	for _, tc := range tests {
		got := heartbeatShare(tc.sw, extra)
		if len(got) < len(tc.want) || got[:len(tc.want)] != tc.want {
			t.Errorf("%s: heartbeatShare = %q, want it to start %q", tc.name, got, tc.want)
		}
	}
}
