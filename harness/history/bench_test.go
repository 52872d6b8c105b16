package history

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// benchHistory is a quota run's history: 10k table operations from 50
// closed-loop clients, the mix (views 7/8, the rest discovery),
// ~1% outcomes lost, ~0.5% refused before the table.
func benchHistory(images, quotaMax int) []Op {
	return genHistory(rand.New(rand.NewPCG(42, uint64(images))), genConfig{
		ops: 10000, images: images, clients: 50, users: 20, views: 0.875,
		unknown: 0.01, fail: 0.005, quotaMax: quotaMax,
		latency: 4 * time.Millisecond, timeout: time.Second,
	})
}

// BenchmarkLinearizable measures the check on realistic histories and how
// its cost grows with the concurrency on one key (fewer images, same
// clients). conc/key is the mean number of other operations on the same
// image overlapping an operation.
//
//	go test -run '^$' -bench Linearizable -count 5 ./harness/history/
func BenchmarkLinearizable(b *testing.B) {
	for _, c := range []struct{ images, quota int }{
		{500, 5}, {50, 5}, {10, 5}, {5, 5}, {1, 5},
		{500, 1000}, {50, 1000}, {10, 1000}, {5, 1000},
	} {
		ops := benchHistory(c.images, c.quota)
		b.Run(fmt.Sprintf("images=%d/quota=%d", c.images, c.quota), func(b *testing.B) {
			b.ReportAllocs()
			var r Result
			for b.Loop() {
				r = Linearizable(ops, LinearizableConfig{Timeout: 30 * time.Second})
			}
			if r.Status != StatusPass {
				b.Logf("status %s: %s", r.Status, r.Summary)
			}
			b.ReportMetric(concurrencyPerKey(ops), "conc/key")
			b.ReportMetric(float64(r.Counts["undecided_partitions"]), "undecided")
		})
	}
}

func BenchmarkQuotaSafety(b *testing.B) {
	ops := benchHistory(50, 5)
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
	for _, op := range benchHistory(50, 5) {
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
