package record

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/load"
	"stegocloud/harness/rundir"
)

func newRecorder(t testing.TB, cfg Config) *Recorder {
	t.Helper()
	if cfg.Start.IsZero() {
		cfg.Start = synth.T0
	}
	if cfg.Nodes == 0 {
		cfg.Nodes = 3
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return r
}

// oracle is the nearest-rank percentile of sorted values, the value at rank
// ceil(q/100·n) (the ulp HdrHistogram takes off q keeps 99.9% of 1000 at
// rank 999), widened only by the histogram's 0.1% precision and the 1 µs
// rounding: the rank itself must be exact, since one rank is what tells a
// tail's p99.9 from its maximum.
func oracle(sorted []time.Duration, q float64) (lo, hi float64) {
	n := len(sorted)
	rank := max(int(math.Ceil(math.Nextafter(q, 0)/100*float64(n))), 1)
	v := units.Ms(sorted[rank-1])
	return v*(1-1e-3) - 0.001, v*(1+1e-3) + 0.001
}

func TestRecorderPercentilesAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := map[string]func(i int) time.Duration{
		"constant 500ms": func(int) time.Duration { return 500 * time.Millisecond },
		"uniform 1µs..2s": func(int) time.Duration {
			return time.Microsecond + time.Duration(rng.Int64N(int64(2*time.Second)))
		},
		"exponential mean 50ms": func(int) time.Duration {
			return time.Duration(rng.ExpFloat64() * float64(50*time.Millisecond))
		},
		"bimodal 1ms and 3s": func(i int) time.Duration {
			if i%10 == 0 {
				return 3*time.Second + time.Duration(rng.Int64N(int64(time.Millisecond)))
			}
			return time.Millisecond + time.Duration(rng.Int64N(int64(100*time.Microsecond)))
		},
		"sub-microsecond": func(int) time.Duration { return time.Duration(rng.Int64N(1000)) },
	}
	for _, name := range slices.Sorted(maps.Keys(gen)) {
		for _, n := range []int{1, 7, 1000, 20000} {
			t.Run(fmt.Sprintf("%s/n=%d", name, n), func(t *testing.T) {
				r := newRecorder(t, Config{})
				vals := make([]time.Duration, n)
				for i := range vals {
					vals[i] = gen[name](i)
					r.Add(synth.OK(uint64(i), time.Duration(i)*time.Millisecond, vals[i], 1+i%3))
				}
				if err := r.Close(); err != nil {
					t.Fatal(err)
				}
				var s rundir.Summary
				if err := r.Summarize(&s); err != nil {
					t.Fatal(err)
				}
				slices.Sort(vals)
				got := s.Latency
				for _, p := range []struct {
					q   float64
					got float64
				}{{50, got.P50Ms}, {90, got.P90Ms}, {95, got.P95Ms}, {99, got.P99Ms}, {99.9, got.P999Ms}} {
					lo, hi := oracle(vals, p.q)
					if p.got < lo || p.got > hi {
						t.Errorf("p%g of %d values = %.4f ms, want within [%.4f, %.4f] (sorted-slice oracle)", p.q, n, p.got, lo, hi)
					}
				}
				var sum float64
				for _, v := range vals {
					sum += units.Ms(v)
				}
				mean := sum / float64(n)
				var sq float64
				for _, v := range vals {
					sq += (units.Ms(v) - mean) * (units.Ms(v) - mean)
				}
				exact := []struct {
					what      string
					got, want float64
				}{
					{"count", float64(got.Count), float64(n)},
					{"mean", got.MeanMs, mean},
					{"stddev", got.StdDevMs, math.Sqrt(sq / float64(n))},
					{"min", got.MinMs, units.Ms(vals[0])},
					{"max", got.MaxMs, units.Ms(vals[n-1])},
				}
				for _, e := range exact {
					if math.Abs(e.got-e.want) > 1e-9*math.Max(1, math.Abs(e.want)) {
						t.Errorf("%s of %d values = %v, want %v", e.what, n, e.got, e.want)
					}
				}
				if got.P999Ms > got.MaxMs || got.P50Ms < got.MinMs {
					t.Errorf("percentiles outside [min, max]: %+v", got)
				}
			})
		}
	}
}

// TestRecorderTailPercentiles is issue 15's smoke run in miniature: 599
// latencies, whose p99 is the 594th and p99.9 the 599th (the maximum) by the
// definition latency.hgrm uses; rounding the rank instead gave the 593rd and
// the 598th, reporting the tail low.
func TestRecorderTailPercentiles(t *testing.T) {
	r := newRecorder(t, Config{})
	for i := range 599 {
		r.Add(synth.OK(uint64(i), 0, time.Duration(599-i)*time.Millisecond, 1))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	l := s.Latency
	for _, p := range []struct {
		name      string
		got, want float64
	}{{"p50", l.P50Ms, 300}, {"p90", l.P90Ms, 540}, {"p95", l.P95Ms, 570}, {"p99", l.P99Ms, 594}, {"p99.9", l.P999Ms, 599}} {
		// 3 significant figures: a value is reported as its bucket's top.
		if p.got < p.want || p.got > p.want*1.001 {
			t.Errorf("%s of 1..599 ms = %.3f ms, want %g ms (rank ceil(q·599))", p.name, p.got, p.want)
		}
	}
	if l.P999Ms != l.MaxMs {
		t.Errorf("p99.9 of 599 values = %.3f ms, want the maximum %.3f ms", l.P999Ms, l.MaxMs)
	}
}

// unsentResult is a request the pacer issued at due after the load had
// stopped: the driver never sent it.
func unsentResult(seq uint64, due time.Duration) load.Result {
	r := synth.OK(seq, due, 50*time.Millisecond, 0)
	r.Outcome, r.Reason, r.Verified, r.Attempts, r.Node = load.Unsent, "not sent: load stopped (interrupt signal received)", false, 0, 0
	r.Start = time.Time{}
	return r
}

// TestRecorderUnsentIsInNoMeasure: requests issued after the load stopped
// (issue 15: counted as failed and lost) are counted as unsent and nowhere
// else — not in the total, the failures, the success rate, the offered
// rate, a latency or the time series — while requests.csv still has a row
// for each, so that every issued request is accounted.
func TestRecorderUnsentIsInNoMeasure(t *testing.T) {
	var csvOut bytes.Buffer
	r := newRecorder(t, Config{CSV: &csvOut})
	for i := range 10 {
		r.Add(synth.OK(uint64(i), time.Duration(i)*100*time.Millisecond, 10*time.Millisecond, 1+i%3))
	}
	for i := 10; i < 14; i++ {
		r.Add(unsentResult(uint64(i), 3*time.Second))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	want := rundir.Counts{Total: 10, OK: 10, Unsent: 4}
	if s.Requests != want {
		t.Errorf("counts = %+v, want %+v", s.Requests, want)
	}
	if s.SuccessRate != 1 || s.Latency.Count != 10 || s.LatencyOutFaults.Count != 10 {
		t.Errorf("success rate %v, latency count %d (out of faults %d); want 1 and 10: unsent requests did not run",
			s.SuccessRate, s.Latency.Count, s.LatencyOutFaults.Count)
	}
	if s.DurationS > 1 || math.Abs(s.OfferedRPS-s.ThroughputRPS) > 1e-9 {
		t.Errorf("duration %.3f s, offered %.2f req/s, throughput %.2f req/s; want ≤ 1 s and offered = throughput (the unsent are due at 3 s)",
			s.DurationS, s.OfferedRPS, s.ThroughputRPS)
	}
	buckets, err := r.Buckets()
	if err != nil {
		t.Fatal(err)
	}
	ok, errs := 0, 0
	for _, b := range buckets {
		ok, errs = ok+b.OK, errs+b.Errors
	}
	if ok != 10 || errs != 0 || len(buckets) > 2 {
		t.Errorf("time series: %d ok, %d errors over %d buckets; want 10, 0 within the first second", ok, errs, len(buckets))
	}
	if n := strings.Count(csvOut.String(), ",unsent,"); n != 4 {
		t.Errorf("requests.csv has %d unsent rows, want 4:\n%s", n, csvOut.String())
	}
	if a := r.Accounting(); a.Results != 14 || a.Unsent != 4 || a.Failed != 0 || a.UnknownOutcome != 0 {
		t.Errorf("accounting %+v, want 14 results of which 4 unsent and none failed", a)
	}
}

func TestRecorderCounts(t *testing.T) {
	fail := func(seq uint64, reason string) load.Result {
		r := synth.OK(seq, 0, time.Second, 0)
		r.Outcome, r.Reason, r.Verified = load.Failed, reason, false
		return r
	}
	timeout := func(seq uint64) load.Result {
		r := synth.OK(seq, 0, 3*time.Second, 0)
		r.Outcome, r.Reason, r.Verified, r.Attempts = load.TimedOut, "deadline", false, 4
		return r
	}
	retried := synth.OK(3, 0, time.Second, 2)
	retried.Attempts, retried.Duplicates, retried.Invalid = 2, 2, 1
	unverified := synth.OK(4, 0, time.Second, 1)
	unverified.Verified = false
	unknown := synth.OK(5, 0, time.Second, 1)
	unknown.Outcome = load.Outcome(9)
	unsent := func(seq uint64) load.Result { return unsentResult(seq, 0) }
	tests := []struct {
		name    string
		in      []load.Result
		want    rundir.Counts
		wantAcc Accounting
	}{
		{"empty", nil, rundir.Counts{}, Accounting{}},
		{"all ok", []load.Result{synth.OK(0, 0, time.Second, 1), synth.OK(1, 0, time.Second, 2)},
			rundir.Counts{Total: 2, OK: 2}, Accounting{Results: 2, OK: 2, DistinctSeq: 2, MaxSeq: 1}},
		{"mixed", []load.Result{synth.OK(0, 0, time.Second, 1), fail(1, "no node reachable"), timeout(2), retried},
			rundir.Counts{Total: 4, OK: 2, Failed: 1, TimedOut: 1, Retried: 2, Duplicates: 1, DuplicatesClient: 1, Invalid: 1, Lost: 2},
			Accounting{Results: 4, OK: 2, Failed: 1, TimedOut: 1, Invalid: 1, InvalidRequests: 1, InvalidThenOK: 1, DistinctSeq: 4, MaxSeq: 3}},
		{"failed without reason, duplicate seq", []load.Result{fail(1, ""), synth.OK(1, 0, time.Second, 1)},
			rundir.Counts{Total: 2, OK: 1, Failed: 1, Lost: 1},
			Accounting{Results: 2, OK: 1, Failed: 1, FailedNoReason: 1, DuplicateSeq: 1, DistinctSeq: 1, MaxSeq: 1}},
		{"unverified ok, unknown outcome, no node", []load.Result{unverified, unknown, synth.OK(6, 0, time.Second, 0)},
			rundir.Counts{Total: 3, OK: 2, Failed: 1, Lost: 1},
			Accounting{Results: 3, OK: 2, Failed: 1, UnknownOutcome: 1, OKUnverified: 1, OKNoNode: 1, DistinctSeq: 3, MaxSeq: 6}},
		{"unsent after the load stopped", []load.Result{synth.OK(0, 0, time.Second, 1), unsent(1), synth.OK(2, 0, time.Second, 2)},
			rundir.Counts{Total: 2, OK: 2, Unsent: 1},
			Accounting{Results: 3, OK: 2, Unsent: 1, DistinctSeq: 3, MaxSeq: 2}},
		{"untracked seq", []load.Result{synth.OK(1<<40, 0, time.Second, 1)},
			rundir.Counts{Total: 1, OK: 1}, Accounting{Results: 1, OK: 1, UntrackedSeq: 1, MaxSeq: 1 << 40}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder(t, Config{})
			for _, res := range tc.in {
				r.Add(res)
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			var s rundir.Summary
			if err := r.Summarize(&s); err != nil {
				t.Fatal(err)
			}
			if s.Requests != tc.want {
				t.Errorf("counts of %d results = %+v, want %+v", len(tc.in), s.Requests, tc.want)
			}
			if c := s.Requests; c.Total != c.OK+c.Failed+c.TimedOut || c.Lost != c.Failed+c.TimedOut {
				t.Errorf("counts do not add up: %+v", c)
			}
			acc := r.Accounting()
			// The per-request ledgers have tests of their own.
			acc.seqs, acc.InvalidByNode, acc.InvalidSamples, acc.Duplicates = nil, nil, nil, Duplicates{}
			if !reflect.DeepEqual(acc, tc.wantAcc) {
				t.Errorf("accounting = %+v, want %+v", acc, tc.wantAcc)
			}
		})
	}
}

func TestFaultWindowEdges(t *testing.T) {
	faults := []fault.Fault{
		{At: 10 * time.Second, Node: 1, Kind: "silent", For: 5 * time.Second},       // [10, 15)
		{At: 14 * time.Second, Node: 2, Kind: "crash", For: 2 * time.Second},        // merges: [10, 16)
		{At: 30 * time.Second, Node: 3, Kind: "pause", For: 0},                      // empty: ignored
		{At: 40 * time.Second, Node: 3, Kind: "pause", For: 500 * time.Millisecond}, // [40, 40.5)
		// `node: coordinator`, resolved only when due: its window counts.
		{At: 50 * time.Second, Node: 0, Selector: "coordinator", Kind: "crash", For: time.Second}, // [50, 51)
	}
	s := time.Second
	ms := time.Millisecond
	tests := []struct {
		name       string
		start, end time.Duration
		want       bool
	}{
		{"well before", 0, 5 * s, false},
		{"ends 1ns before the fault", 9 * s, 10*s - 1, false},
		{"ends the instant the fault starts", 9 * s, 10 * s, true},
		{"inside", 11 * s, 12 * s, true},
		{"spans the whole window", 9 * s, 17 * s, true},
		{"starts in the merged tail", 15500 * ms, 15600 * ms, true},
		{"starts 1ns before the merged end", 16*s - 1, 17 * s, true},
		{"starts the instant the fault ends", 16 * s, 17 * s, false},
		{"zero-length fault", 29 * s, 31 * s, false},
		{"zero latency at a window start", 40 * s, 40 * s, true},
		{"after the pause, before the coordinator fault", 41 * s, 42 * s, false},
		{"inside the coordinator's fault", 50 * s, 50*s + 1, true},
		{"after every window", 51 * s, 52 * s, false},
	}
	ws, err := newWindows(faults, 3)
	if err != nil {
		t.Fatal(err)
	}
	r := newRecorder(t, Config{Faults: faults})
	wantIn := 0
	for i, tc := range tests {
		if got := ws.overlaps(tc.start, tc.end); got != tc.want {
			t.Errorf("%s: overlaps([%v, %v]) with windows %v = %v, want %v", tc.name, tc.start, tc.end, ws, got, tc.want)
		}
		r.Add(synth.OK(uint64(i), tc.start, tc.end-tc.start, 1))
		if tc.want {
			wantIn++
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var sum rundir.Summary
	if err := r.Summarize(&sum); err != nil {
		t.Fatal(err)
	}
	if got := sum.LatencyInFaults.Count; got != int64(wantIn) {
		t.Errorf("in-fault count = %d, want %d", got, wantIn)
	}
	if got := sum.LatencyOutFaults.Count; got != int64(len(tests)-wantIn) {
		t.Errorf("out-of-fault count = %d, want %d", got, len(tests)-wantIn)
	}
}

func TestRecorderTimeSeries(t *testing.T) {
	s, ms := time.Second, time.Millisecond
	r := newRecorder(t, Config{Nodes: 2})
	// bucket 0: three ok (node 1, 1, 2) taking 100, 200, 300 ms; one failure
	// taking 400 ms (percentiles cover every outcome).
	r.Add(synth.OK(0, 0, 100*ms, 1))
	r.Add(synth.OK(1, 0, 200*ms, 1))
	r.Add(synth.OK(2, 0, 300*ms, 2))
	f := synth.OK(3, 500*ms, 400*ms, 0)
	f.Outcome, f.Reason = load.Failed, "refused"
	r.Add(f)
	// bucket 2 (bucket 1 empty): one ok on node 2 ending at 2.5 s.
	r.Add(synth.OK(4, 2*s, 500*ms, 2))
	// a result for bucket 0 that arrives late but within the open ring.
	r.Add(synth.OK(5, 0, 900*ms, 1))
	// jump 20 s ahead: bucket 0..2 are recycled; then a straggler for bucket 0.
	r.Add(synth.OK(6, 20*s, 10*ms, 1))
	r.Add(synth.OK(7, 0, 50*ms, 2))
	if _, err := r.Buckets(); !errors.Is(err, ErrRecorderOpen) {
		t.Errorf("Buckets before Close: error %v, want ErrRecorderOpen", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := r.Buckets()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 21 {
		t.Fatalf("%d buckets, want 21 (0 s .. 20 s)", len(got))
	}
	tests := []struct {
		i    int
		want rundir.Bucket
	}{
		{0, rundir.Bucket{T: 0, OK: 5, Errors: 1, P50Ms: 300, P99Ms: 900, PerNode: []int{3, 2}}},
		{1, rundir.Bucket{T: 1, PerNode: []int{0, 0}}},
		{2, rundir.Bucket{T: 2, OK: 1, P50Ms: 500, P99Ms: 500, PerNode: []int{0, 1}}},
		{20, rundir.Bucket{T: 20, OK: 1, P50Ms: 10, P99Ms: 10, PerNode: []int{1, 0}}},
	}
	for _, tc := range tests {
		g := got[tc.i]
		if g.T != tc.want.T || g.OK != tc.want.OK || g.Errors != tc.want.Errors || !slices.Equal(g.PerNode, tc.want.PerNode) ||
			math.Abs(g.P50Ms-tc.want.P50Ms) > 0.5 || math.Abs(g.P99Ms-tc.want.P99Ms) > 1 {
			t.Errorf("bucket %d = %+v, want %+v (p50/p99 within HDR precision)", tc.i, g, tc.want)
		}
	}
	var sum rundir.Summary
	if err := r.Summarize(&sum); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(sum.Warnings, func(w string) bool { return strings.HasPrefix(w, "1 results arrived after their time-series bucket") }) {
		t.Errorf("warnings %q: want one about the late result", sum.Warnings)
	}
}

func TestRecorderCSV(t *testing.T) {
	var buf bytes.Buffer
	r := newRecorder(t, Config{CSV: &buf, Faults: []fault.Fault{{At: time.Second, Node: 2, Kind: "crash", For: time.Second}}})
	a := synth.OK(0, 250*time.Millisecond, 1500*time.Microsecond, 3)
	a.ID, a.Client, a.BytesOut, a.BytesIn = "c1-0", 1, 100, 200
	a.Start = a.Intended.Add(2 * time.Millisecond)
	b := synth.OK(1, 1200*time.Millisecond, 3*time.Second, 0)
	b.ID, b.Outcome, b.Reason, b.Verified, b.Attempts = `odd,"id"`, load.TimedOut, "deadline, after 3 tries\nlast: \"refused\"", false, 3
	r.Add(a)
	r.Add(b)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("requests.csv does not parse: %v\n%s", err, buf.String())
	}
	want := [][]string{
		strings.Split(RequestsCSVHeader, ","),
		{"0", "c1-0", "1", "0.250000", "0.252000", "1.500", "ok", "3", "1", "0", "0", "1", "0", "100", "200", ""},
		{"1", `odd,"id"`, "0", "1.200000", "1.200000", "3000.000", "timeout", "0", "3", "0", "0", "0", "1", "0", "0", "deadline, after 3 tries\nlast: \"refused\""},
	}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("requests.csv rows = %q, want %q", recs, want)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n++; w.n > 1 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestRecorderCSVWriteError(t *testing.T) {
	r := newRecorder(t, Config{CSV: &failWriter{}})
	for i := range 5000 {
		r.Add(synth.OK(uint64(i), 0, time.Millisecond, 1))
	}
	err := r.Close()
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close after a failing CSV writer: error %v, want one wrapping \"disk full\"", err)
	}
	if again := r.Close(); again != err {
		t.Errorf("second Close: %v, want the same error %v", again, err)
	}
}

func TestRecorderConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no start", Config{Nodes: 3}},
		{"no nodes", Config{Start: synth.T0}},
		{"negative bucket", Config{Start: synth.T0, Nodes: 1, Bucket: -time.Second}},
		{"negative clients", Config{Start: synth.T0, Nodes: 1, Clients: -1}},
		{"fault on node 4 of 3", Config{Start: synth.T0, Nodes: 3, Faults: []fault.Fault{{Node: 4, For: time.Second}}}},
		{"fault with negative start", Config{Start: synth.T0, Nodes: 3, Faults: []fault.Fault{{At: -1, Node: 1, For: time.Second}}}},
		{"fault on node 0 without a selector", Config{Start: synth.T0, Nodes: 3, Faults: []fault.Fault{{Node: 0, For: time.Second}}}},
		{"fault on node 0 with an unknown selector", Config{Start: synth.T0, Nodes: 3, Faults: []fault.Fault{{Node: 0, Selector: "leader", For: time.Second}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.cfg); !errors.Is(err, ErrRecorderConfig) {
				t.Errorf("New(%+v) error = %v, want ErrRecorderConfig", tc.cfg, err)
			}
		})
	}
}

func TestRecorderReadBeforeClose(t *testing.T) {
	r := newRecorder(t, Config{})
	if err := r.Summarize(&rundir.Summary{}); !errors.Is(err, ErrRecorderOpen) {
		t.Errorf("Summarize before Close: %v, want ErrRecorderOpen", err)
	}
	if err := r.WriteHgrm(&bytes.Buffer{}); !errors.Is(err, ErrRecorderOpen) {
		t.Errorf("WriteHgrm before Close: %v, want ErrRecorderOpen", err)
	}
}

func TestRecorderWarnings(t *testing.T) {
	r := newRecorder(t, Config{MaxLatency: time.Second})
	r.Add(synth.OK(0, 0, 2*time.Minute, 1)) // above the 60 s minimum range
	neg := synth.OK(1, time.Second, -time.Millisecond, 1)
	r.Add(neg)
	untimed := synth.OK(2, 0, time.Millisecond, 1)
	untimed.Intended, untimed.Start = time.Time{}, time.Time{}
	r.Add(untimed)
	r.Add(synth.OK(3, -2*time.Second, time.Millisecond, 7))
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r.Add(synth.OK(4, 0, time.Millisecond, 1))
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"1 latencies exceeded the histogram range of 1m0s",
		"1 results had a negative latency",
		"1 results had neither an intended nor a start time",
		"1 results ended before the load start",
		"1 results named a node outside 0..N",
		"1 results were added after the recorder was closed",
	} {
		if !slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
			t.Errorf("warnings %q: missing %q", s.Warnings, want)
		}
	}
	if s.Latency.MaxMs != 120000 {
		t.Errorf("max = %v ms, want the exact 120000 despite the clamped histogram", s.Latency.MaxMs)
	}
}

func TestRecorderBalanceAndBound(t *testing.T) {
	tests := []struct {
		name        string
		served      []int
		clients     int
		service     time.Duration
		wantShares  []float64
		wantBalance rundir.Balance
		wantBound   *rundir.Bound
	}{
		{"even", []int{10, 10, 10}, 0, 0, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, rundir.Balance{MaxMinRatio: 1, CV: 0}, nil},
		{"seed's distribution", []int{3245, 3180, 3575}, 50, 500 * time.Millisecond,
			[]float64{0.3245, 0.318, 0.3575}, rundir.Balance{MaxMinRatio: 0.3575 / 0.318, CV: 0.05188},
			&rundir.Bound{RPS: 100, Formula: "50 clients / 0.5 s service time = 100 req/s"}},
		{"one idle node", []int{5, 5, 0}, 0, 0, []float64{0.5, 0.5, 0}, rundir.Balance{MaxMinRatio: 0, CV: 0.7071}, nil},
		{"nothing served", []int{0, 0, 0}, 0, 0, []float64{0, 0, 0}, rundir.Balance{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder(t, Config{Clients: tc.clients, ServiceTime: tc.service})
			seq := uint64(0)
			for node, n := range tc.served {
				for i := range n {
					r.Add(synth.OK(seq, time.Duration(i)*time.Millisecond, time.Millisecond, node+1))
					seq++
				}
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			var s rundir.Summary
			if err := r.Summarize(&s); err != nil {
				t.Fatal(err)
			}
			for i, n := range s.Nodes {
				if n.ID != i+1 || n.Served != tc.served[i] || math.Abs(n.Share-tc.wantShares[i]) > 1e-9 {
					t.Errorf("node %d = id %d served %d share %v, want id %d served %d share %v", i+1, n.ID, n.Served, n.Share, i+1, tc.served[i], tc.wantShares[i])
				}
			}
			if math.Abs(s.Balance.MaxMinRatio-tc.wantBalance.MaxMinRatio) > 1e-9 || math.Abs(s.Balance.CV-tc.wantBalance.CV) > 1e-4 {
				t.Errorf("balance = %+v, want %+v", s.Balance, tc.wantBalance)
			}
			switch {
			case tc.wantBound == nil && s.Bound != nil:
				t.Errorf("bound = %+v, want none", s.Bound)
			case tc.wantBound != nil && (s.Bound == nil || s.Bound.RPS != tc.wantBound.RPS || s.Bound.Formula != tc.wantBound.Formula ||
				math.Abs(s.Bound.Achieved-s.ThroughputRPS/tc.wantBound.RPS) > 1e-12):
				t.Errorf("bound = %+v, want %+v with achieved = throughput %v / rps", s.Bound, tc.wantBound, s.ThroughputRPS)
			}
		})
	}
}

func TestRecorderRates(t *testing.T) {
	r := newRecorder(t, Config{})
	// 10 requests due every 100 ms from 0; each takes 100 ms; 2 fail: the run
	// spans [0, 1 s], so 8 ok/s and 10 offered/s.
	for i := range 10 {
		res := synth.OK(uint64(i), time.Duration(i)*100*time.Millisecond, 100*time.Millisecond, 1)
		if i >= 8 {
			res.Outcome, res.Reason = load.Failed, "refused"
		}
		r.Add(res)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	if !s.Start.Equal(synth.T0) || !s.End.Equal(synth.T0.Add(time.Second)) || s.DurationS != 1 ||
		s.ThroughputRPS != 8 || s.OfferedRPS != 10 || s.SuccessRate != 0.8 {
		t.Errorf("start %v end %v duration %v throughput %v offered %v success %v; want %v, +1s, 1, 8, 10, 0.8",
			s.Start, s.End, s.DurationS, s.ThroughputRPS, s.OfferedRPS, s.SuccessRate, synth.T0)
	}
}

func TestDecodeHistogram(t *testing.T) {
	r := newRecorder(t, Config{})
	for i := range 1000 {
		r.Add(synth.OK(uint64(i), 0, time.Duration(i+1)*time.Millisecond, 1+i%3))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"all", "in_faults", "node/1", "node/2", "node/3", "out_faults"}
	if got := slices.Sorted(maps.Keys(s.Histograms)); !slices.Equal(got, wantKeys) {
		t.Errorf("histogram keys = %q, want %q", got, wantKeys)
	}
	h, err := rundir.DecodeHistogram(s.Histograms["all"])
	if err != nil {
		t.Fatal(err)
	}
	if h.TotalCount() != 1000 || math.Abs(float64(h.ValueAtQuantile(99))/1000-s.Latency.P99Ms) > 1 {
		t.Errorf("decoded: count %d p99 %v µs; want 1000 and p99 ≈ %v ms", h.TotalCount(), h.ValueAtQuantile(99), s.Latency.P99Ms)
	}
	for _, bad := range []string{"", "not base64!", "SGVsbG8=", "HISTFAAAAAAAAAA="} {
		if _, err := rundir.DecodeHistogram(bad); !errors.Is(err, rundir.ErrHistogram) {
			t.Errorf("DecodeHistogram(%q) error = %v, want ErrHistogram", bad, err)
		}
	}
}

// A fault aimed at "whoever coordinates then" has no node when the recorder
// is configured; its window still classifies requests.
func TestRecorderAcceptsCoordinatorSelectedFault(t *testing.T) {
	faults := []fault.Fault{{At: time.Second, Kind: experiment.FaultCrash, For: time.Second, Selector: "coordinator"}}
	if _, err := newWindows(faults, 3); err != nil {
		t.Errorf("newRecWindows(%+v): %v", faults, err)
	}
	faults[0].Selector = ""
	if _, err := newWindows(faults, 3); err == nil {
		t.Errorf("newRecWindows accepted a fault on node 0 without a selector")
	}
}
