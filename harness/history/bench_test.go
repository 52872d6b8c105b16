package history

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"
)

// benchHistory is a quota run's history: 10k table operations from 50
// closed-loop clients, ~1% outcomes lost, ~0.5% refused before the table,
// 20 users. views is the fraction of views (the mix: 7/8, the rest
// register and online() half and half), churn adds unregisters (a third of
// discovery), uniqueAddrs gives each register an address of its own (else
// a user's registers reuse 3 addresses) and quotaMax bounds the quotas
// (small: images run out).
func benchHistory(images, quotaMax int, views float64, churn, uniqueAddrs bool) []Op {
	c := genConfig{
		ops: 10000, images: images, clients: 50, users: 20, views: views,
		unknown: 0.01, fail: 0.005, quotaMax: quotaMax,
		latency: 4 * time.Millisecond, timeout: time.Second, uniqueAddrs: uniqueAddrs,
	}
	if churn {
		c.unregisters = 1.0 / 3
	}
	return genHistory(rand.New(rand.NewPCG(42, uint64(images))), c)
}

// BenchmarkLinearizable measures the check on a quota run's history (the
// issue's mix, small quotas), with discovery churn, and on views alone with
// quotas that do not run out, over fewer and fewer images: the cost grows
// with the concurrency on one key. conc/key is the mean number of views of
// the same image overlapping a view; cpu-ms the process CPU time per check.
//
//	go test -run '^$' -bench Linearizable -count 5 ./harness/history/
func BenchmarkLinearizable(b *testing.B) {
	type scenario struct {
		name          string
		images, quota int
		views         float64
		churn, unique bool
	}
	scenarios := []scenario{
		{"mix/images=500", 500, 5, 0.875, false, false},
		{"mix/images=50", 50, 5, 0.875, false, false},
		{"mix-unique-addrs/images=50", 50, 5, 0.875, false, true},
		{"churn/images=50", 50, 5, 0.875, true, false},
	}
	for _, n := range []int{500, 50, 10, 5, 2, 1} {
		scenarios = append(scenarios, scenario{fmt.Sprintf("views/images=%d", n), n, 1_000_000, 1, false, false})
	}
	for _, sc := range scenarios {
		ops := benchHistory(sc.images, sc.quota, sc.views, sc.churn, sc.unique)
		b.Run(sc.name, func(b *testing.B) {
			b.ReportAllocs()
			var r Result
			cpu := cpuTime()
			timeout := 30 * time.Second
			if sc.images == 1 {
				timeout = 10 * time.Second // the limit: porcupine gives up
			}
			for b.Loop() {
				r = Linearizable(ops, LinearizableConfig{Timeout: timeout})
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms")
			if r.Status != StatusPass {
				b.Logf("status %s: %s", r.Status, r.Summary)
			}
			b.ReportMetric(concurrencyPerKey(ops), "conc/key")
			b.ReportMetric(float64(r.Counts["undecided_partitions"]), "undecided")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkQuotaSafety(b *testing.B) {
	ops := benchHistory(50, 5, 0.875, false, false)
	b.ReportAllocs()
	for b.Loop() {
		if r := QuotaSafety(ops); r.Status != StatusPass {
			b.Fatal(r.Summary)
		}
	}
}

func BenchmarkReadAll(b *testing.B) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, op := range benchHistory(50, 5, 0.875, false, false) {
		if err := w.Add(op); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadAll(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

// concurrencyPerKey: for each view, how many other views of the same image
// overlap it in time (unknown ones count until the end), averaged.
func concurrencyPerKey(ops []Op) float64 {
	byImage := make(map[string][]*Op)
	for i := range ops {
		if op := &ops[i]; op.Kind == View && op.Outcome != Fail {
			byImage[op.Input.Image] = append(byImage[op.Input.Image], op)
		}
	}
	end := func(o *Op) time.Duration {
		if o.Outcome == Unknown {
			return 1<<63 - 1
		}
		return o.Return
	}
	total, n := 0, 0
	for _, list := range byImage {
		slices.SortFunc(list, func(a, b *Op) int { return cmp.Compare(a.Call, b.Call) })
		for i, a := range list {
			for _, o := range list[i+1:] {
				if o.Call > end(a) {
					break
				}
				total += 2 // a overlaps o and o overlaps a
			}
			n++
		}
	}
	return float64(total) / float64(max(n, 1))
}
