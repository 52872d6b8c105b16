package compare

import (
	"bytes"
	"errors"
	"io/fs"
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

func twoFieldIndex() rundir.SweepIndex {
	return rundirtest.SweepIndex("balancers", []string{"cluster.balancer", "cluster.nodes"}, [][]string{{"lowest-load", "round-robin"}, {"3", "5"}}, 6)
}

// WriteSweep on a synthetic 4-variant sweep (2 balancers × 2 node counts, 6
// runs each): sweep.md is golden; every figure it links exists and renders.
func TestWriteSweepGolden(t *testing.T) {
	dir := t.TempDir()
	rundirtest.WriteSweep(t, dir, twoFieldIndex())
	s, err := WriteSweep(dir)
	if err != nil {
		t.Fatalf("WriteSweep: %v", err)
	}
	if len(s.Warnings) != 0 {
		t.Errorf("warnings on a complete sweep: %q", s.Warnings)
	}
	md, err := os.ReadFile(filepath.Join(dir, SweepMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "sweep_md.golden", md)
	if len(s.Figures) != len(HeadlineMetrics()) {
		t.Errorf("%d figures, want one per headline metric (%d)", len(s.Figures), len(HeadlineMetrics()))
	}
	for _, f := range s.Figures {
		if !strings.Contains(string(md), "]("+f.Path+")") {
			t.Errorf("sweep.md does not link %s", f.Path)
		}
		checkFigureFiles(t, dir, strings.TrimSuffix(f.Path, ".png"))
	}
}

func TestSweepChartDataGolden(t *testing.T) {
	tests := []struct {
		name string
		idx  rundir.SweepIndex
	}{
		{"sweep_charts_two_fields", twoFieldIndex()},
		{"sweep_charts_numeric", rundirtest.SweepIndex("balancers", []string{"cluster.nodes"}, [][]string{{"3", "5", "7"}}, 6)},
		{"sweep_charts_categorical", rundirtest.SweepIndex("balancers", []string{"cluster.balancer"}, [][]string{{"lowest-load", "round-robin", "random"}}, 1)},
		{"sweep_charts_two_categorical", rundirtest.SweepIndex("balancers", []string{"cluster.balancer", "faults.kind"}, [][]string{{"lowest-load", "random"}, {"silent", "crash"}}, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSweep(tt.idx, synthSweepSets(t, "sweep", tt.idx))
			golden.Check(t, tt.name+".golden", dumpCharts(s.charts()))
		})
	}
}

// Every kind of sweep figure renders in every format: lines with and without
// intervals, bars, grouped bars with a legend. One chart of each kind, since
// rendering is most of the package's test time under -race.
func TestSweepFiguresRender(t *testing.T) {
	tests := []struct {
		name string
		idx  rundir.SweepIndex
	}{
		{"lines", rundirtest.SweepIndex("balancers", []string{"cluster.nodes"}, [][]string{{"3", "5", "7"}}, 1)},
		{"lines with intervals and a legend", rundirtest.SweepIndex("balancers", []string{"cluster.balancer", "cluster.nodes"}, [][]string{{"random", "round-robin"}, {"3", "5"}}, 6)},
		{"bars", rundirtest.SweepIndex("balancers", []string{"cluster.balancer"}, [][]string{{"random", "round-robin"}}, 1)},
		{"grouped bars with intervals", rundirtest.SweepIndex("balancers", []string{"cluster.balancer", "faults.kind"}, [][]string{{"lowest-load", "random"}, {"silent", "crash"}}, 6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSweep(tt.idx, synthSweepSets(t, "sweep", tt.idx))
			ch := s.charts()[0]
			for _, format := range plot.FigureFormats {
				var buf bytes.Buffer
				if err := plot.WriteChart(&buf, format, ch); err != nil {
					t.Fatalf("%s as %s: %v", ch.Key, format, err)
				}
				checkFigureBytes(t, ch.Key+"."+format, format, buf.Bytes())
			}
		})
	}
}

func TestSweepParseValue(t *testing.T) {
	tests := []struct {
		in   string
		v    float64
		unit string
		ok   bool
	}{
		{"5", 5, "", true},
		{" 0.25 ", 0.25, "", true},
		{"50ms", 50, "ms", true},
		{"1.5s", 1500, "ms", true},
		{"150/s", 150, "/s", true},
		{"round-robin", 0, "", false},
		{"/s", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		v, unit, ok := parseValue(tt.in)
		if v != tt.v || unit != tt.unit || ok != tt.ok {
			t.Errorf("parseValue(%q) = %v, %q, %v; want %v, %q, %v", tt.in, v, unit, ok, tt.v, tt.unit, tt.ok)
		}
	}
}

func TestSweepXField(t *testing.T) {
	tests := []struct {
		name    string
		fields  []string
		values  [][]string
		x       string
		numeric bool
		label   string
		others  []string
	}{
		{"numeric alone", []string{"cluster.nodes"}, [][]string{{"3", "5"}}, "cluster.nodes", true, "cluster.nodes", nil},
		{"numeric second wins the x axis", []string{"cluster.balancer", "cluster.nodes"}, [][]string{{"a", "b"}, {"3", "5"}},
			"cluster.nodes", true, "cluster.nodes", []string{"cluster.balancer"}},
		{"durations in ms", []string{"cluster.heartbeat"}, [][]string{{"25ms", "1s"}}, "cluster.heartbeat", true, "cluster.heartbeat (ms)", nil},
		{"rates", []string{"workload.rate"}, [][]string{{"50/s", "150/s"}}, "workload.rate", true, "workload.rate (per second)", nil},
		{"mixed units are categories", []string{"x"}, [][]string{{"5", "50ms"}}, "x", false, "x", nil},
		{"all categorical: the first", []string{"a", "b"}, [][]string{{"p", "q"}, {"r", "s"}}, "a", false, "a", []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Sweep{Index: rundirtest.SweepIndex("balancers", tt.fields, tt.values, 1)}
			x, others := s.xField()
			if x.Field != tt.x || x.Numeric != tt.numeric || x.Label() != tt.label || strings.Join(others, ",") != strings.Join(tt.others, ",") {
				t.Errorf("xField of %q %q = %s numeric=%v label %q others %q; want %s numeric=%v label %q others %q",
					tt.fields, tt.values, x.Field, x.Numeric, x.Label(), others, tt.x, tt.numeric, tt.label, tt.others)
			}
		})
	}
}

func TestLoadSweepIncomplete(t *testing.T) {
	idx := rundirtest.SweepIndex("balancers", []string{"cluster.balancer", "cluster.nodes"}, [][]string{{"lowest-load", "round-robin"}, {"3", "5"}}, 2)
	tests := []struct {
		name    string
		damage  func(dir string) error
		err     error
		warning string
	}{
		{"no sweep.json", func(dir string) error { return os.Remove(filepath.Join(dir, rundir.SweepIndexFile)) }, fs.ErrNotExist, ""},
		{"bad sweep.json", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, rundir.SweepIndexFile), []byte("{"), 0o644)
		}, rundir.ErrSweepIndex, ""},
		{"a variant never ran", func(dir string) error { return os.RemoveAll(filepath.Join(dir, idx.Variants[1].Path)) }, nil,
			"variant balancer=lowest-load,nodes=5: stat"},
		{"a variant lost a run", func(dir string) error { return os.RemoveAll(filepath.Join(dir, idx.Variants[2].Path, "rep-2")) }, nil,
			"variant balancer=round-robin,nodes=3: the index says 2 runs, its directory holds 1"},
		{"no variant ran", func(dir string) error {
			for _, v := range idx.Variants {
				if err := os.RemoveAll(filepath.Join(dir, v.Path)); err != nil {
					return err
				}
			}
			return nil
		}, ErrNotRunSet, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			rundirtest.WriteSweep(t, dir, idx)
			if err := tt.damage(dir); err != nil {
				t.Fatal(err)
			}
			s, err := LoadSweep(dir)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("LoadSweep: err %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadSweep: %v", err)
			}
			found := false
			for _, w := range s.Warnings {
				found = found || strings.Contains(w, tt.warning)
			}
			if !found {
				t.Errorf("warnings %q, want one containing %q", s.Warnings, tt.warning)
			}
			if len(s.Rows) != len(idx.Variants) {
				t.Errorf("%d rows, want one per variant (%d) even when one is missing", len(s.Rows), len(idx.Variants))
			}
		})
	}
}

// A variant that never ran keeps its row, empty, and draws no point.
func TestSweepMissingVariantRow(t *testing.T) {
	idx := rundirtest.SweepIndex("balancers", []string{"cluster.balancer", "cluster.nodes"}, [][]string{{"lowest-load", "round-robin"}, {"3", "5"}}, 1)
	sets := synthSweepSets(t, "sweep", idx)
	sets[1] = nil
	s := NewSweep(idx, sets)
	if s.Rows[1].N != 0 || !math.IsNaN(s.Rows[1].Stats[0].Center) {
		t.Errorf("row of a missing variant: n=%d centre %v, want 0 and NaN", s.Rows[1].N, s.Rows[1].Stats[0].Center)
	}
	for _, ch := range s.charts() {
		n := 0
		for _, ser := range ch.Series {
			n += len(ser.Points)
		}
		if want := 3; n != want && ch.Key != "failover_p50" {
			t.Errorf("chart %s has %d points, want %d (one variant missing)", ch.Key, n, want)
		}
	}
}
