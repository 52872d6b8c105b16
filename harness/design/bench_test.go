package design_test

import (
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"

	"stegocloud/harness/design"
)

func TestBenchName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BenchmarkEmbed/payload=1KiB-2", "Embed/payload=1KiB"},
		{"BenchmarkPipeline/stdlib-16", "Pipeline/stdlib"},
		{"BenchmarkHide128/pool=true", "Hide128/pool=true"},
		{"BenchmarkEmbed", "Embed"},
		{"BenchmarkToNRGBA/gray-8-2", "ToNRGBA/gray-8"},
	}
	for _, tc := range tests {
		if got := design.BenchName(benchfmt.Name(tc.in)); got != tc.want {
			t.Errorf("BenchName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseBench(t *testing.T) {
	f, err := os.Open("testdata/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := design.ParseBench(f, "bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	if b.Config["commit"] != "v0.0.0-synthetic" || b.Config["cpu"] != "Synthetic CPU @ 2.00GHz" || b.Config["goos"] != "linux" {
		t.Errorf("config = %v, want commit, cpu and goos from the file's header", b.Config)
	}
	if want := []string{"Embed/payload=1KiB", "Embed/payload=384KiB"}; !slices.Equal(b.Sub("Embed"), want) {
		t.Errorf("Sub(Embed) = %q, want %q (not EmbedNaive's)", b.Sub("Embed"), want)
	}
	if n := len(b.Values("Pipeline/hide", "sec/op")); n != 6 {
		t.Errorf("Pipeline/hide has %d sec/op values, want 6", n)
	}
	st, ok := b.Stat("Embed/payload=1KiB", "B/s")
	if !ok || math.Abs(st.Center-8.11e9)/8.11e9 > 0.01 || !st.HasCI() {
		t.Errorf("Stat(Embed/payload=1KiB, B/s) = %+v, %v; want a median near 8.11e9 B/s (MB/s tidied) with an interval from 6 runs", st, ok)
	}
	if got, ok := b.Stat("Pipeline/stdlib", "png-B"); !ok || got.Center != 1571360 {
		t.Errorf("Stat(Pipeline/stdlib, png-B) = %+v, %v; want the custom metric 1571360", got, ok)
	}
	if _, ok := b.Stat("Embed/payload=1KiB", "furlongs"); ok {
		t.Error("Stat of a unit never reported: ok, want not ok")
	}
	if p := design.BenchCompare(b.Values("Embed/payload=1KiB", "B/s"), b.Values("EmbedNaive/payload=1KiB", "B/s")); !(p < 0.01) {
		t.Errorf("U test of two disjoint samples of 6: p = %v, want < 0.01", p)
	}
	if p := design.BenchCompare([]float64{1, 2, 3}, []float64{4, 5, 6}); !math.IsNaN(p) {
		t.Errorf("U test with 3 runs a side: p = %v, want NaN (too few to test)", p)
	}
}

func TestParseBenchErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"no benchmark", "goos: linux\nPASS\nok  \tstegocloud/stego\t1s\n", "holds no benchmark results"},
		{"a broken result line", "BenchmarkX-2 \t100\tfast ns/op\n", "bench.txt:1"},
		{"empty", "", "holds no benchmark results"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := design.ParseBench(strings.NewReader(tc.text), "bench.txt")
			if !errors.Is(err, design.ErrBenchOutput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseBench(%q) error = %v, want ErrBenchOutput saying %q", tc.text, err, tc.want)
			}
		})
	}
}
