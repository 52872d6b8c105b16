package compare

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/internal/golden"
	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// dumpCharts prints chart data for golden files, to a precision that
// survives floating-point noise across platforms.
func dumpCharts(charts []plot.Chart) []byte {
	var b bytes.Buffer
	f := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return fmt.Sprintf("%.4g", v)
	}
	for _, ch := range charts {
		fmt.Fprintf(&b, "chart %s %q x=%q y=%q numeric=%v categories=%q\n", ch.Key, ch.Title, ch.XLabel, ch.YLabel, ch.Numeric, ch.Categories)
		for _, s := range ch.Series {
			fmt.Fprintf(&b, "  series %q:", s.Label)
			for _, p := range s.Points {
				fmt.Fprintf(&b, " (%s, %s [%s, %s])", f(p.X), f(p.Y), f(p.Lo), f(p.Hi))
			}
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

func dumpSpectrum(lines []plot.SpectrumLine) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		fmt.Fprintf(&b, "line %q runs=%d count=%d points=%d\n", l.Label, l.Runs, l.Count, len(l.Points))
		for _, p := range l.Points {
			fmt.Fprintf(&b, "  %.6f%% x=%.4g %.3f ms\n", p.Percentile, p.X, p.Ms)
		}
	}
	return b.Bytes()
}

func TestFigureDataGolden(t *testing.T) {
	c := New(goldenCase(t, "compare_repeat_diff"))
	golden.Check(t, "compare_spectrum_data.golden", dumpSpectrum(c.spectrum))
	golden.Check(t, "compare_metrics_data.golden", dumpCharts(c.metricCharts()))
}

// The spectrum of a repeat set is the merged histogram of all its runs: every
// request counted once, percentiles rising, X = 1/(1-q) with q = 100% dropped.
func TestSpectrumMergesRuns(t *testing.T) {
	set := synthRunSet(t, rundirtest.BaseSynth(41), "a", 4)
	c := New([]*RunSet{set})
	if len(c.spectrum) != 1 {
		t.Fatalf("%d spectrum lines, want 1 (warnings %q)", len(c.spectrum), c.Warnings)
	}
	line := c.spectrum[0]
	var want int64
	for _, r := range set.Runs {
		want += r.Summary.Latency.Count
	}
	if line.Runs != 4 || line.Count != want {
		t.Errorf("spectrum merged %d runs, %d requests; want 4 runs, %d requests", line.Runs, line.Count, want)
	}
	if len(line.Points) < 20 {
		t.Fatalf("spectrum has %d points, want a curve", len(line.Points))
	}
	prev := plot.SpectrumPoint{X: 0, Ms: math.Inf(-1)}
	for i, p := range line.Points {
		if p.Percentile >= 100 || p.X < 1 || math.Abs(p.X-1/(1-p.Percentile/100)) > 1e-9*p.X {
			t.Errorf("point %d = %+v: want percentile < 100 and X = 1/(1-q)", i, p)
		}
		if p.X < prev.X || p.Ms < prev.Ms {
			t.Errorf("point %d = %+v falls below point %d = %+v", i, p, i-1, prev)
		}
		prev = p
	}
	h, _, _ := mergeHistograms("A", set, "all")
	for _, p := range line.Points {
		if p.Percentile == 50 {
			if got, want := p.Ms, float64(h.ValueAtQuantile(50))/1000; math.Abs(got-want) > want*0.002 {
				t.Errorf("p50 on the spectrum = %v ms, merged histogram says %v ms", got, want)
			}
		}
	}
}

func TestSpectrumWarnings(t *testing.T) {
	tests := []struct {
		name     string
		breakRun func(s *rundir.Summary)
		runs     int
		warning  string
	}{
		{"missing histogram", func(s *rundir.Summary) { delete(s.Histograms, "all") }, 2, `rep-2: bad latency histogram: summary.json has no "all" histogram`},
		{"corrupt histogram", func(s *rundir.Summary) { s.Histograms["all"] = "HISTFAAAA" }, 2, "rep-2: bad latency histogram: decoding"},
		{"not base64", func(s *rundir.Summary) { s.Histograms["all"] = "%%%" }, 2, "rep-2: bad latency histogram"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := synthRunSet(t, rundirtest.BaseSynth(42), "a", 3)
			tt.breakRun(&set.Runs[1].Summary)
			c := New([]*RunSet{set})
			if len(c.spectrum) != 1 || c.spectrum[0].Runs != tt.runs {
				t.Fatalf("spectrum lines %d, want 1 of %d runs", len(c.spectrum), tt.runs)
			}
			if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], tt.warning) {
				t.Errorf("warnings %q, want one containing %q", c.Warnings, tt.warning)
			}
			var md bytes.Buffer
			if err := c.WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), tt.warning) {
				t.Errorf("markdown (err %v) does not carry the warning %q:\n%s", err, tt.warning, md.String())
			}
		})
	}
}

// Every figure renders in every format, and the Markdown links the PNGs.
func TestSaveFigures(t *testing.T) {
	dir := t.TempDir()
	c := New(goldenCase(t, "compare_too_few"))
	if err := c.SaveFigures(dir, "report"); err != nil {
		t.Fatalf("SaveFigures: %v", err)
	}
	for _, name := range []string{"report-spectrum", "report-metrics"} {
		checkFigureFiles(t, dir, name)
	}
	var md bytes.Buffer
	if err := c.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{"](report-spectrum.png)", "](report-metrics.png)"} {
		if !strings.Contains(md.String(), link) {
			t.Errorf("markdown lacks the link %q", link)
		}
	}
}

// checkFigureFiles checks that name.png is a PNG of a sensible size and
// name.svg an SVG document.
func checkFigureFiles(t *testing.T, dir, name string) {
	t.Helper()
	for _, format := range plot.FigureFormats {
		data, err := os.ReadFile(filepath.Join(dir, name+"."+format))
		if err != nil {
			t.Errorf("figure %s.%s: %v", name, format, err)
			continue
		}
		checkFigureBytes(t, name+"."+format, format, data)
	}
}

func checkFigureBytes(t *testing.T, name, format string, data []byte) {
	t.Helper()
	switch format {
	case "png":
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width < 300 || cfg.Height < 200 {
			t.Errorf("figure %s: %dx%d, err %v; want a PNG of at least 300x200", name, cfg.Width, cfg.Height, err)
		}
	case "svg":
		if !bytes.Contains(data[:min(len(data), 200)], []byte("<svg")) || !bytes.Contains(data, []byte("</svg>")) {
			t.Errorf("figure %s starts %q; want a whole SVG document", name, data[:min(len(data), 80)])
		}
	default:
		t.Errorf("figure %s: unknown format %q", name, format)
	}
}

func TestSaveFiguresFailsCleanly(t *testing.T) {
	c := New(goldenCase(t, "compare_single"))
	missing := filepath.Join(t.TempDir(), "no", "such", "dir")
	if err := c.SaveFigures(missing, "x"); err == nil || !strings.Contains(err.Error(), "saving comparison figure") {
		t.Errorf("SaveFigures into %s: err %v, want a saving error", missing, err)
	}
}
