package plot_test

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/internal/golden"
	"stegocloud/harness/plot"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// TestFigureData pins what every figure plots (not how it looks: the PNG bytes
// change with the plotting library, the data must not).
func TestFigureData(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	figs, skipped := plot.Figures(d)
	if len(skipped) > 0 {
		t.Errorf("figures skipped on a complete run: %q", skipped)
	}
	want := []string{"latency_spectrum", "timeline", "nodes", "load"}
	var got []string
	for _, f := range figs {
		got = append(got, f.Name())
		golden.Check(t, filepath.Join("figures", f.Name()+".json.golden"), golden.JSON(t, f))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("figures = %q, want %q", got, want)
	}
}

func TestFigureDataInvariants(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	spec, err := plot.NewSpectrumFigure(&d.Summary)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range spec.Series {
		for i, p := range s.Points {
			if p.X < 1 || p.Percentile >= 100 {
				t.Errorf("%s point %d: x=%g at %g%%; a log axis needs x ≥ 1 and q < 100%%", s.Name, i, p.X, p.Percentile)
			}
			if i > 0 && (p.X <= s.Points[i-1].X || p.Ms < s.Points[i-1].Ms) {
				t.Errorf("%s point %d (%+v) does not follow %+v: percentiles and latencies must rise", s.Name, i, p, s.Points[i-1])
			}
		}
	}
	tl, err := plot.NewTimelineFigure(d)
	if err != nil {
		t.Fatal(err)
	}
	ok := 0.0
	for _, p := range tl.Points {
		ok += p.OKPerS * p.WidthS
	}
	if int(ok+0.5) != d.Summary.Requests.OK {
		t.Errorf("timeline throughput integrates to %.1f requests, want the %d that succeeded", ok, d.Summary.Requests.OK)
	}
	if len(tl.Faults) != 1 || tl.Faults[0].From != 10 || tl.Faults[0].To != 15 {
		t.Errorf("timeline faults = %+v, want node 2 from 10 s to 15 s", tl.Faults)
	}
}

func TestFiguresRender(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	figs, _ := plot.Figures(d)
	wantPx := map[string][2]int{"latency_spectrum": {960, 480}, "timeline": {960, 720}, "nodes": {960, 480}, "load": {960, 480}}
	for _, f := range figs {
		t.Run(f.Name(), func(t *testing.T) {
			t.Parallel()
			var pngBuf, svgBuf bytes.Buffer
			if err := f.Render(&pngBuf, "png"); err != nil {
				t.Fatalf("png: %v", err)
			}
			img, err := png.Decode(&pngBuf)
			if err != nil {
				t.Fatalf("png does not decode: %v", err)
			}
			if b := img.Bounds(); b.Dx() != wantPx[f.Name()][0] || b.Dy() != wantPx[f.Name()][1] {
				t.Errorf("png is %dx%d, want %v", b.Dx(), b.Dy(), wantPx[f.Name()])
			}
			if err := f.Render(&svgBuf, "svg"); err != nil {
				t.Fatalf("svg: %v", err)
			}
			if !bytes.Contains(svgBuf.Bytes(), []byte("<svg")) {
				t.Errorf("svg output has no <svg element: %.80q", svgBuf.String())
			}
			if err := f.Render(&bytes.Buffer{}, "gif"); !errors.Is(err, plot.ErrFigureFormat) {
				t.Errorf("Render(gif) error = %v, want ErrFigureFormat", err)
			}
		})
	}
}

// TestWriteFigures checks the files; rendering is TestFiguresRender's job, so
// a run with only the two cheap figures will do.
func TestWriteFigures(t *testing.T) {
	run := rundirtest.WriteDefault(t)
	for _, name := range []string{rundir.FileTimeSeries, rundir.FileEvents} {
		if err := os.Remove(filepath.Join(run, name)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := rundir.Load(run)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "figures")
	figs, skipped := plot.Figures(d)
	paths, err := plot.WriteFigures(figs, dir)
	if err != nil || len(skipped) != 2 {
		t.Fatalf("WriteFigures: %v, skipped %q; want the timeline and load figures skipped", err, skipped)
	}
	if len(paths) != 4 {
		t.Errorf("wrote %d files, want 2 figures × png and svg: %q", len(paths), paths)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
		if info.Mode().Perm() != 0o644 || info.Size() == 0 {
			t.Errorf("%s: mode %v, %d bytes; want 0644 and not empty", e.Name(), info.Mode().Perm(), info.Size())
		}
	}
}

// TestFiguresWithoutData: a run that holds only summary.json still gets the
// figures its summary supports, and says why the others are missing.
func TestFiguresWithoutData(t *testing.T) {
	dir := rundirtest.WriteDefault(t)
	for _, name := range []string{rundir.FileTimeSeries, rundir.FileEvents} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := rundir.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, skipped := plot.Figures(d)
	var names []string
	for _, f := range figs {
		names = append(names, f.Name())
	}
	if strings.Join(names, ",") != "latency_spectrum,nodes" {
		t.Errorf("figures without time series and events = %q, want latency_spectrum and nodes", names)
	}
	if len(skipped) != 2 || !strings.Contains(skipped[0], "timeline") || !strings.Contains(skipped[1], "load") {
		t.Errorf("skipped = %q, want the timeline and load figures with reasons", skipped)
	}
	d.Summary.Histograms = map[string]string{"all": "HISTFAAAAnot-base64"}
	if _, err := plot.NewSpectrumFigure(&d.Summary); err == nil || errors.Is(err, plot.ErrNoFigureData) {
		t.Errorf("NewSpectrumFigure with a corrupt histogram: %v, want a decoding error", err)
	}
	d.Summary.Histograms = nil
	if _, err := plot.NewSpectrumFigure(&d.Summary); !errors.Is(err, plot.ErrNoFigureData) {
		t.Errorf("NewSpectrumFigure without histograms: %v, want ErrNoFigureData", err)
	}
}

// TestFaultWindowsFromSchedule: a run without fault events falls back to
// schedule.json, where only injected faults are windows: a suppressed entry
// never happened and an unresolved `node: coordinator` entry hit no node.
func TestFaultWindowsFromSchedule(t *testing.T) {
	dir := rundirtest.WriteDefault(t)
	if err := os.Remove(filepath.Join(dir, rundir.FileEvents)); err != nil {
		t.Fatal(err)
	}
	schedule := `[
  {"at": 10000000000, "node": 2, "kind": "silent", "for": 5000000000},
  {"at": 12000000000, "node": 3, "kind": "silent", "for": 4000000000, "suppressed": "min_alive 2: 1 of 3 nodes are already down"},
  {"at": 20000000000, "node": 0, "kind": "crash", "for": 2000000000, "selector": "coordinator", "suppressed": "not reached: the load ended first"},
  {"at": 22000000000, "node": 0, "kind": "crash", "for": 2000000000, "selector": "coordinator"}
]`
	if err := os.WriteFile(filepath.Join(dir, rundir.FileSchedule), []byte(schedule), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := rundir.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := plot.NewTimelineFigure(d)
	if err != nil {
		t.Fatal(err)
	}
	want := []plot.FigureSpan{{Node: 2, Kind: "silent", From: 10, To: 15}}
	if len(tl.Faults) != len(want) || tl.Faults[0] != want[0] {
		t.Errorf("timeline faults from %s = %+v, want only the injected one %+v", schedule, tl.Faults, want)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "| schedule |"); got != 1 {
		t.Errorf("report lists %d fault windows from the schedule, want 1:\n%s", got, buf.String())
	}
}
