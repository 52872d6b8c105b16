package compare

import (
	"bytes"
	"strings"
	"testing"

	"stegocloud/harness/internal/golden"
	"stegocloud/harness/rundirtest"
)

// goldenNames are the comparisons whose Markdown is kept in testdata.
var goldenNames = []string{"compare_single", "compare_repeat_diff", "compare_repeat_same", "compare_too_few"}

// goldenCase builds the run sets of one golden comparison: two single runs;
// two repeat sets of 5 with a real difference (B 12% slower, 10% less
// throughput); two of 5 drawn from one distribution; 5 runs against 2.
func goldenCase(t *testing.T, name string) []*RunSet {
	slower := func(seed uint64) rundirtest.Synth {
		s := rundirtest.BaseSynth(seed)
		s.BaseMs, s.RPS, s.LostP = 560, 86, 0.004
		return s
	}
	switch name {
	case "compare_single":
		return []*RunSet{synthRunSet(t, rundirtest.BaseSynth(1), "results/stress/20260102-030401", 1),
			synthRunSet(t, slower(2), "results/stress/20260102-030402", 1)}
	case "compare_repeat_diff":
		return []*RunSet{synthRunSet(t, rundirtest.BaseSynth(11), "results/stress/20260102-040000", 5),
			synthRunSet(t, slower(12), "results/slower/20260102-050000", 5)}
	case "compare_repeat_same":
		return []*RunSet{synthRunSet(t, rundirtest.BaseSynth(21), "results/stress/20260102-060000", 5),
			synthRunSet(t, rundirtest.BaseSynth(22), "results/stress/20260102-070000", 5)}
	case "compare_too_few":
		return []*RunSet{synthRunSet(t, rundirtest.BaseSynth(31), "results/stress/20260102-080000", 5),
			synthRunSet(t, slower(32), "results/slower/20260102-090000", 2)}
	}
	t.Fatalf("no golden comparison %q", name)
	return nil
}

func TestMarkdownGolden(t *testing.T) {
	for _, name := range goldenNames {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := New(goldenCase(t, name)).WriteMarkdown(&buf); err != nil {
				t.Fatalf("WriteMarkdown: %v", err)
			}
			golden.Check(t, name+".golden", buf.Bytes())
		})
	}
}

// The goldens are reviewed once; these checks keep what they must show true
// whatever -update writes, row by row.
func TestMarkdownClaims(t *testing.T) {
	tests := []struct {
		name string
		rows map[string]string // metric title → text its "vs" cell must contain
		// minNoDiff is the fewest "~" rows: with nothing different, a few of
		// 13 independent tests at α = 0.05 may still fire by chance.
		minNoDiff int
		forbidden []string
	}{
		{name: "compare_single",
			rows:      map[string]string{"throughput (req/s)": "worse", "lost requests": "+7 worse"},
			forbidden: []string{"p=", "~", "too few"}},
		{name: "compare_repeat_diff",
			rows: map[string]string{"throughput (req/s)": "worse (p=0.008 n=5)", "latency p50 (ms)": "worse (p=0.008 n=5)",
				"latency p99 (ms)": "worse (p=0.008 n=5)"},
			forbidden: []string{"too few"}},
		{name: "compare_repeat_same", minNoDiff: 11,
			rows:      map[string]string{"throughput (req/s)": "~ (p=", "latency p50 (ms)": "~ (p=", "latency p99 (ms)": "~ (p="},
			forbidden: []string{"too few"}},
		{name: "compare_too_few",
			rows:      map[string]string{"throughput (req/s)": "(n=5+2) ²"},
			forbidden: []string{"p=", "~"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(goldenCase(t, tt.name))
			var buf bytes.Buffer
			if err := c.WriteMarkdown(&buf); err != nil {
				t.Fatalf("WriteMarkdown: %v", err)
			}
			got := buf.String()
			cells := vsCells(got)
			if len(cells) != len(HeadlineMetrics()) {
				t.Fatalf("found %d metric rows, want %d:\n%s", len(cells), len(HeadlineMetrics()), got)
			}
			for metric, want := range tt.rows {
				if !strings.Contains(cells[metric], want) {
					t.Errorf("row %q: vs cell %q, want it to contain %q", metric, cells[metric], want)
				}
			}
			noDiff := 0
			for _, cell := range cells {
				if strings.HasPrefix(cell, "~") {
					noDiff++
				}
			}
			if noDiff < tt.minNoDiff {
				t.Errorf("%d rows show ~, want at least %d:\n%s", noDiff, tt.minNoDiff, got)
			}
			for _, f := range tt.forbidden {
				for metric, cell := range cells {
					if strings.Contains(cell, f) {
						t.Errorf("row %q: vs cell %q contains %q, which it must not claim", metric, cell, f)
					}
				}
			}
		})
	}
}

// vsCells maps each metric row of a two-set comparison to its "B vs A" cell.
func vsCells(md string) map[string]string {
	cells := map[string]string{}
	for _, line := range strings.Split(md, "\n") {
		f := strings.Split(line, " | ")
		if len(f) == 5 && (strings.HasSuffix(f[1], "higher") || strings.HasSuffix(f[1], "lower")) {
			cells[strings.TrimPrefix(f[0], "| ")] = strings.TrimSuffix(f[4], " |")
		}
	}
	return cells
}
