package record

import (
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"stegocloud/harness/fault"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/load"
)

// resultStream yields results like a 20k req/s run: due every 50 µs, latencies
// spread over 1 µs..2 s, a few failures, three nodes.
type resultStream struct{ pool []load.Result }

func newResultStream() *resultStream {
	rng := rand.New(rand.NewPCG(7, 7))
	s := &resultStream{pool: make([]load.Result, 4096)}
	for i := range s.pool {
		r := synth.OK(0, 0, time.Duration(rng.ExpFloat64()*float64(20*time.Millisecond)), 1+i%3)
		r.ID, r.Client, r.BytesOut, r.BytesIn = "c7-123456", i%50, 49152, 49400
		if i%97 == 0 {
			r.Outcome, r.Reason, r.Node, r.Verified = load.Failed, "connection refused", 0, false
		}
		s.pool[i] = r
	}
	return s
}

func (s *resultStream) at(i int) load.Result {
	r := s.pool[i%len(s.pool)]
	r.Seq = uint64(i)
	r.Intended = synth.T0.Add(time.Duration(i) * 50 * time.Microsecond)
	r.Start = r.Intended
	return r
}

func BenchmarkRecorderAdd(b *testing.B) {
	s := newResultStream()
	r := newRecorder(b, Config{CSV: io.Discard, Expected: b.N,
		Faults: []fault.Fault{{At: time.Second, Node: 1, Kind: "silent", For: time.Second}}})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Add(s.at(i))
	}
	b.StopTimer()
	if err := r.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "adds/s")
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestRecorderHeapFlat: a million results cost no more heap than a hundred
// thousand, apart from one bit per sequence number and the time series.
func TestRecorderHeapFlat(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("adds a million results: skipped with -short and under the race detector")
	}
	const small, large = 100_000, 1_000_000
	s := newResultStream()
	r := newRecorder(t, Config{CSV: io.Discard})
	for i := range small {
		r.Add(s.at(i))
	}
	before := heapAlloc()
	for i := small; i < large; i++ {
		r.Add(s.at(i))
	}
	after := heapAlloc()
	t.Logf("heap after %d results: %d B; after %d: %d B", small, before, large, after)
	// 900k more sequence bits is 112 KB; 45 more 1 s buckets are ~3 KB.
	const allowed = 512 << 10
	if after > before+allowed {
		t.Errorf("heap grew from %d to %d bytes over %d more results (%d B/result), want at most %d bytes",
			before, after, large-small, (after-before)/(large-small), allowed)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := r.Accounting().Results; got != large {
		t.Errorf("results = %d, want %d", got, large)
	}
}
