package rundirtest

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/quantile"
	"stegocloud/harness/rundir"
)

// Synth describes synthetic runs for tests: latencies drawn from a seeded
// source and recorded into a real HDR histogram, every summary field computed
// from what was drawn, the way the recorder computes it. Runs of one synth
// differ by a run-level factor, as repeated runs on a noisy machine do.
type Synth struct {
	Experiment string
	Seed       uint64
	Requests   int
	BaseMs     float64 // the fixed part of every latency (service delay)
	TailMs     float64 // mean of an exponential part added to it
	RPS        float64 // throughput the runs vary around
	Noise      float64 // relative run-to-run standard deviation
	LostP      float64 // probability that a request is lost
	Nodes      int
	Skew       float64 // node i+1 gets weight 1 + Skew*i
	FailoverMs float64 // 0: the run had no faults
	Msgs       float64 // messages per request
	// Light skips the HDR histogram: latency percentiles come from the sorted
	// draws and summary.json carries no histograms. Statistical tests that
	// generate hundreds of runs use it; under -race the histogram's bucket
	// walks dominate their time.
	Light bool
}

// Summary is rep (from 1) of the synth.
func (s Synth) Summary(t testing.TB, rep int) rundir.Summary {
	t.Helper()
	rng := rand.New(rand.NewPCG(s.Seed, uint64(rep)))
	factor := 1 + s.Noise*rng.NormFloat64()
	var h *hdr.Histogram
	var drawn []float64
	if !s.Light {
		h = hdr.New(1, 60_000_000, 3)
	}
	served := make([]int, s.Nodes)
	weights := make([]float64, s.Nodes)
	for i := range weights {
		weights[i] = 1 + s.Skew*float64(i)
	}
	lost := 0
	for range s.Requests {
		if rng.Float64() < s.LostP {
			lost++
			continue
		}
		ms := s.BaseMs*factor + rng.ExpFloat64()*s.TailMs
		drawn = append(drawn, ms)
		if h != nil {
			if err := h.RecordValue(int64(ms * 1000)); err != nil {
				t.Fatalf("recording %v ms: %v", ms, err)
			}
		}
		served[pick(rng, weights)]++
	}
	ok := s.Requests - lost
	rps := s.RPS * (1 + s.Noise*rng.NormFloat64())
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	dur := float64(ok) / rps
	sum := rundir.Summary{
		Experiment: s.Experiment, Run: fmt.Sprintf("20260102-0304%02d", rep), Mode: "closed",
		Start: start, End: start.Add(time.Duration(dur * float64(time.Second))), DurationS: dur,
		Requests:      rundir.Counts{Total: s.Requests, OK: ok, TimedOut: lost, Lost: lost},
		SuccessRate:   float64(ok) / float64(s.Requests),
		ThroughputRPS: rps, OfferedRPS: float64(s.Requests) / dur,
		MessagesPerRequest: s.Msgs * (1 + s.Noise*rng.NormFloat64()),
	}
	if h != nil {
		sum.Latency = latencyOfHist(h)
		sum.Histograms = map[string]string{"all": encodeHist(t, h)}
	} else {
		sum.Latency = latencyOfDraws(drawn)
	}
	sum.Nodes, sum.Balance = nodesOf(served, ok)
	if s.FailoverMs > 0 {
		var all []float64
		for range 3 {
			all = append(all, math.Round(s.FailoverMs*(1+0.2*rng.NormFloat64())))
		}
		slices.Sort(all)
		sum.Faults = rundir.FaultSummary{Injected: 3, FailoverMs: rundir.Stats{N: 3, Mean: (all[0] + all[1] + all[2]) / 3, P50: all[1], Max: all[2], All: all}}
	}
	return sum
}

func pick(rng *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	r := rng.Float64() * total
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

func latencyOfHist(h *hdr.Histogram) rundir.Latency {
	ms := func(v int64) float64 { return float64(v) / 1000 }
	return rundir.Latency{
		Count: h.TotalCount(), MeanMs: h.Mean() / 1000, StdDevMs: h.StdDev() / 1000, MinMs: ms(h.Min()),
		P50Ms: ms(quantile.HDR(h, 50)), P90Ms: ms(quantile.HDR(h, 90)), P95Ms: ms(quantile.HDR(h, 95)),
		P99Ms: ms(quantile.HDR(h, 99)), P999Ms: ms(quantile.HDR(h, 99.9)), MaxMs: ms(h.Max()),
	}
}

// latencyOfDraws summarises draws by nearest rank, for Light synths.
func latencyOfDraws(ms []float64) rundir.Latency {
	slices.Sort(ms)
	q := func(p float64) float64 { return quantile.Sorted(ms, p) }
	mean := 0.0
	for _, v := range ms {
		mean += v / float64(len(ms))
	}
	return rundir.Latency{Count: int64(len(ms)), MeanMs: mean, MinMs: ms[0], P50Ms: q(50), P90Ms: q(90), P95Ms: q(95),
		P99Ms: q(99), P999Ms: q(99.9), MaxMs: ms[len(ms)-1]}
}

func nodesOf(served []int, ok int) ([]rundir.NodeSummary, rundir.Balance) {
	nodes := make([]rundir.NodeSummary, len(served))
	shares := make([]float64, len(served))
	for i, n := range served {
		shares[i] = float64(n) / float64(max(ok, 1))
		nodes[i] = rundir.NodeSummary{ID: i + 1, Served: n, Share: shares[i], Processed: n, FinalState: "active"}
	}
	mean := 1 / float64(len(served))
	varSum := 0.0
	for _, s := range shares {
		varSum += (s - mean) * (s - mean)
	}
	b := rundir.Balance{CV: math.Sqrt(varSum/float64(len(shares))) / mean}
	if lo := slices.Min(shares); lo > 0 {
		b.MaxMinRatio = slices.Max(shares) / lo
	}
	return nodes, b
}

func encodeHist(t testing.TB, h *hdr.Histogram) string {
	t.Helper()
	enc, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		t.Fatalf("encoding histogram: %v", err)
	}
	return string(enc)
}

// Info is rep's run.json.
func (s Synth) Info(rep int) *rundir.Info {
	return &rundir.Info{Experiment: s.Experiment, Run: fmt.Sprintf("20260102-0304%02d", rep), Commit: "v0.1.0-3-gabc1234",
		GoVersion: "go1.26.8", OS: "linux", Arch: "amd64", CPUs: 2, Host: "testhost", Seed: int64(s.Seed), Repeat: rep}
}

// RunDir is rep's directory in a set of reps runs in dir: dir itself for one
// run, dir/rep-N for more, as the harness lays them out.
func RunDir(dir string, reps, rep int) string {
	if reps > 1 {
		return filepath.Join(dir, fmt.Sprintf("rep-%d", rep))
	}
	return dir
}

// writeRunSet writes reps runs under dir in the results layout: the run's
// files directly in dir for one run, rep-1/ … rep-n/ for more.
func (s Synth) WriteRunSet(t testing.TB, dir string, reps int) {
	t.Helper()
	for rep := 1; rep <= reps; rep++ {
		sum := s.Summary(t, rep)
		runDir := RunDir(dir, reps, rep)
		writeJSONFile(t, filepath.Join(runDir, rundir.FileSummary), sum)
		writeJSONFile(t, filepath.Join(runDir, rundir.FileRunInfo), s.Info(rep))
	}
}

func writeJSONFile(t testing.TB, path string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("encoding %s: %v", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// BaseSynth is the seed's stress test, roughly: 3 nodes, 500 ms service.
func BaseSynth(seed uint64) Synth {
	return Synth{Experiment: "stress", Seed: seed, Requests: 2000, BaseMs: 500, TailMs: 40, RPS: 96,
		Noise: 0.03, LostP: 0.002, Nodes: 3, Skew: 0.1, FailoverMs: 120, Msgs: 9}
}

// SweepSynth is the synthetic effect of a variant's values on a run:
// more nodes cost messages and shorten the tail, lowest-load skews the spread.
func SweepSynth(seed uint64, values map[string]string) Synth {
	s := BaseSynth(seed)
	if n, err := strconv.Atoi(values["cluster.nodes"]); err == nil {
		s.Nodes = n
		s.Msgs = 3*float64(n) + 1
		s.TailMs = 120 / float64(n)
	}
	switch values["cluster.balancer"] {
	case "round-robin":
		s.Skew = 0.02
	case "random":
		s.Skew = 0.1
		s.RPS = 93
	case "lowest-load":
		s.Skew = 0.3
	}
	return s
}

// SweepIndex is the sweep.json of experiment name over the cross product of
// values (values[i] for fields[i]; the first field varies slowest), every
// variant repeated reps times, labelled as a run labels them
// (experiment.VariantLabel). Fields need not be experiment fields.
func SweepIndex(name string, fields []string, values [][]string, reps int) rundir.SweepIndex {
	idx := rundir.SweepIndex{Version: rundir.SweepIndexVersion, Experiment: name, Fields: fields}
	var rec func(i int, cur map[string]string)
	rec = func(i int, cur map[string]string) {
		if i == len(fields) {
			vals := map[string]string{}
			for k, v := range cur {
				vals[k] = v
			}
			label := experiment.VariantLabel(fields, vals)
			idx.Variants = append(idx.Variants, rundir.SweepVariant{Label: label, Values: vals, Path: label, Repeat: reps})
			return
		}
		for _, v := range values[i] {
			cur[fields[i]] = v
			rec(i+1, cur)
		}
	}
	rec(0, map[string]string{})
	return idx
}

// WriteSweep writes a whole sweep directory: sweep.json and the runs.
func WriteSweep(t testing.TB, dir string, idx rundir.SweepIndex) {
	t.Helper()
	for i, v := range idx.Variants {
		SweepSynth(uint64(100+i), v.Values).WriteRunSet(t, filepath.Join(dir, v.Path), v.Repeat)
	}
	if err := rundir.SaveSweepIndex(dir, idx); err != nil {
		t.Fatal(err)
	}
}

// WriteSynthSweep writes a synthetic sweep of experiment exp into dir
// (sweep.json and every variant's runs, as the harness lays them out), each
// variant's runs with the synthetic effects of SweepSynth.
func WriteSynthSweep(t testing.TB, dir, exp string, fields []string, values [][]string, reps int) rundir.SweepIndex {
	t.Helper()
	idx := SweepIndex(exp, fields, values, reps)
	for i, v := range idx.Variants {
		syn := SweepSynth(uint64(100+i), v.Values)
		syn.Experiment = exp
		syn.WriteRunSet(t, filepath.Join(dir, v.Path), v.Repeat)
	}
	if err := rundir.SaveSweepIndex(dir, idx); err != nil {
		t.Fatal(err)
	}
	return idx
}
