package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// BenchmarkDriverNop measures the load driver alone: vegeta pacing, the
// RoundTripper, result matching, the gob stream and the consumer, against a
// target that answers at once. DESIGN §6 wants ≥ 20k req/s on 2 cores.
func BenchmarkDriverNop(b *testing.B) {
	pool, err := NewImagePool([][]byte{make([]byte, 4096)}, 3, 5, 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, clients := range []int{1, 50} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			b.ReportAllocs()
			d := &Driver{
				Plan:     Plan{Name: "bench", Clients: clients, Requests: uint64(b.N), MaxDuration: time.Hour},
				Target:   NopTarget{},
				Source:   pool,
				OnResult: func(Result) {},
				Results:  io.Discard,
			}
			b.ResetTimer()
			stats, err := d.Run(context.Background())
			if err != nil || stats.Requests != uint64(b.N) {
				b.Fatalf("Run = %+v, %v; want %d requests", stats, err, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkOpenLoopLateness measures how late the driver sends open-loop
// requests against a no-op target: the gap between each request's intended
// and actual start, which every open-loop latency includes. b.N requests at
// each rate.
func BenchmarkOpenLoopLateness(b *testing.B) {
	for _, rate := range []int{1000, 20000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			lates := make([]time.Duration, 0, b.N)
			pacer := vegeta.ConstantPacer{Freq: rate, Per: time.Second}
			d := &Driver{
				Plan:     Plan{Clients: 50, Pacer: pacer, Duration: time.Duration(b.N) * pacer.Per / time.Duration(rate), MaxDuration: time.Hour},
				Target:   NopTarget{},
				OnResult: func(r Result) { lates = append(lates, r.Start.Sub(r.Intended)) },
			}
			b.ResetTimer()
			if _, err := d.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			if len(lates) == 0 {
				return
			}
			slices.Sort(lates)
			b.ReportMetric(float64(lates[len(lates)/2].Microseconds()), "late-p50-µs")
			b.ReportMetric(float64(lates[len(lates)*99/100].Microseconds()), "late-p99-µs")
		})
	}
}

// TestLoadMemoryOneMillion runs a million no-op requests and reports the
// process's peak RSS and the live heap along the way; memory must stay flat
// (results are streamed, nothing is kept per request). It takes tens of
// seconds, so it runs only when asked:
//
//	STEGOCLOUD_LOAD_1M=1 go test -run TestLoadMemoryOneMillion -v ./harness
func TestLoadMemoryOneMillion(t *testing.T) {
	if os.Getenv("STEGOCLOUD_LOAD_1M") == "" {
		t.Skip("set STEGOCLOUD_LOAD_1M=1 to run a 1M-request load and report peak RSS")
	}
	const total = 1_000_000
	pool, err := NewImagePool([][]byte{make([]byte, 4096)}, 3, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	var heaps []uint64
	n := 0
	d := &Driver{
		Plan:   Plan{Name: "mem", Clients: 50, Requests: total, MaxDuration: 10 * time.Minute},
		Target: NopTarget{}, Source: pool, Results: io.Discard,
		OnResult: func(Result) {
			if n++; n%100_000 == 0 {
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				heaps = append(heaps, m.HeapAlloc)
			}
		},
	}
	stats, err := d.Run(context.Background())
	if err != nil || n != total {
		t.Fatalf("Run = %v with %d results", err, n)
	}
	hwm := vmHWM(t)
	t.Logf("%d requests in %v (%.0f req/s); peak RSS (VmHWM) %d KiB", total, stats.Ended.Sub(stats.Began),
		float64(total)/stats.Ended.Sub(stats.Began).Seconds(), hwm)
	for i, h := range heaps {
		t.Logf("live heap after %dk requests: %d KiB", (i+1)*100, h>>10)
	}
	// Flat: the live heap at the end is within 4 MiB of the one at 100k.
	if last, first := heaps[len(heaps)-1], heaps[0]; last > first+4<<20 {
		t.Errorf("live heap grew from %d KiB to %d KiB over the run", first>>10, last>>10)
	}
	if hwm > 256<<10 {
		t.Errorf("peak RSS %d KiB, want < 256 MiB", hwm)
	}
}

// vmHWM is the process's peak resident set size in KiB, from /proc.
func vmHWM(t *testing.T) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb uint64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}
