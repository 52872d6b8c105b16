package design

import (
	"fmt"
	"math"
	"strings"

	"stegocloud/harness/compare"
	"stegocloud/harness/internal/markdown"
)

// targetKernel is DESIGN §6's kernel target: carrier bytes per second
// and the ratio to the textbook loop in the same run.
var targetKernel = struct{ GBps, Ratio float64 }{5, 10}

// codecSection is the codec's speed from the benchmark output.
func codecSection(rw *markdown.Writer, d *Data) {
	b := d.Bench
	if b == nil {
		return
	}
	rw.Line("## 7. Codec speed\n")
	rw.Printf("From `go test -bench` on the codec (`stego/`), raw output in [%s](%s), %d runs of each benchmark; medians ± the 95%% confidence interval of the median, and the ratio of medians of benchmarks that ran in the same invocation. `p` is the Mann-Whitney U test between the two.\n\n",
		d.Sources.Bench, d.Sources.Bench, benchCount(b))
	if rows := kernelRows(b); len(rows) > 0 {
		rw.Printf("The embed/extract kernel works a machine word at a time; the textbook loop handles one bit per step and stays in the tests as the oracle. Throughput is carrier bytes per second (8 per payload byte); DESIGN §6 asks for ≥ %g GB/s and ≥ %g× the loop.\n\n",
			targetKernel.GBps, targetKernel.Ratio)
		rw.Table([]string{"kernel", "payload", "word at a time (GB/s)", "textbook loop (GB/s)", "ratio", "p", "target"}, rows)
	}
	if row := pipelineRow(b); row != nil {
		rw.Line("A whole request's codec work: decode a 1024×1024 photo-like PNG, hide 1 KiB of metadata, encode a PNG. `Hide` (the codec as the nodes run it) against the straightforward standard-library pipeline (png.Decode, draw.Draw to NRGBA, the bit loop, png.Encode at the default level):\n")
		rw.Table([]string{"", "stdlib pipeline", "Hide", "speed-up", "p", "output stdlib", "output Hide"}, [][]string{row})
		rw.Line("Hide writes the PNG without compression — chosen by measurement in `stego/doc.go`: PNG encoding dominates a request, and on loopback the larger output costs less than the compression would. The price is size: the output is about twice the default-compressed one.\n")
	}
}

// kernelRows are the Embed and Extract kernels against their naive
// versions, per payload size.
func kernelRows(b *BenchSet) [][]string {
	var rows [][]string
	for _, op := range []string{"Embed", "Extract"} {
		for _, name := range b.Sub(op) {
			naive := op + "Naive" + strings.TrimPrefix(name, op)
			fast, ok1 := b.Stat(name, "B/s")
			slow, ok2 := b.Stat(naive, "B/s")
			if !ok1 || !ok2 {
				continue
			}
			ratio := fast.Center / slow.Center
			target := "met"
			if fast.Center/1e9 < targetKernel.GBps || ratio < targetKernel.Ratio {
				target = "**missed**"
			}
			rows = append(rows, []string{op, strings.TrimPrefix(strings.TrimPrefix(name, op), "/payload="),
				gbText(fast), gbText(slow), factorText(ratio) + "×", pText(BenchCompare(b.Values(name, "B/s"), b.Values(naive, "B/s"))), target})
		}
	}
	return rows
}

func pipelineRow(b *BenchSet) []string {
	std, ok1 := b.Stat("Pipeline/stdlib", "sec/op")
	hide, ok2 := b.Stat("Pipeline/hide", "sec/op")
	if !ok1 || !ok2 {
		return nil
	}
	ms := func(st compare.MetricStat) compare.MetricStat {
		return compare.MetricStat{Values: st.Values, Center: 1000 * st.Center, Lo: 1000 * st.Lo, Hi: 1000 * st.Hi}
	}
	size := func(name string) string {
		if st, ok := b.Stat(name, "png-B"); ok {
			return fmt.Sprintf("%.2f MiB", st.Center/(1<<20))
		}
		return "—"
	}
	p := BenchCompare(b.Values("Pipeline/stdlib", "sec/op"), b.Values("Pipeline/hide", "sec/op"))
	return []string{"time per image (ms)", compare.FormatStat(compare.DeltaRelative, ms(std)), compare.FormatStat(compare.DeltaRelative, ms(hide)),
		factorText(std.Center/hide.Center) + "×", pText(p), size("Pipeline/stdlib"), size("Pipeline/hide")}
}

// gbText prints a B/s statistic in GB/s.
func gbText(st compare.MetricStat) string {
	g := compare.MetricStat{Values: st.Values, Center: st.Center / 1e9, Lo: st.Lo / 1e9, Hi: st.Hi / 1e9}
	return compare.FormatStat(compare.DeltaRelative, g)
}

func pText(p float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	return fmt.Sprintf("%.3f", p)
}
