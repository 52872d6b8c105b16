package plot

import (
	"bytes"
	"image/png"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"stegocloud/cluster"
	"stegocloud/harness/internal/golden"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// withNetFaults is the default synthetic run with a partition from 3 s to
// 6 s and a one-shot reset at 8 s in its event digest.
func withNetFaults(t *testing.T) *rundir.Run {
	t.Helper()
	d := rundirtest.LoadDefault(t)
	at := func(s float64) time.Time { return d.Origin.Add(time.Duration(s * float64(time.Second))) }
	d.Events.NetFaults = []rundir.NetFaultWindow{
		{Kind: "partition", What: "partition [1] | [2 3]", Start: at(3), End: at(6), Net: cluster.NetFault{ID: 1, Groups: [][]int{{1}, {2, 3}}}, Source: "events"},
		{Kind: "reset", What: "reset all peer links", Start: at(8), End: at(8), Net: cluster.NetFault{ID: 2}, Source: "events"},
	}
	return d
}

// TestNetFaultFigureData pins the timeline's data with network faults; the
// load figure places them the same way, and the node faults are untouched.
func TestNetFaultFigureData(t *testing.T) {
	d := withNetFaults(t)
	tl, err := NewTimelineFigure(d)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("figures", "timeline_netfaults.json.golden"), golden.JSON(t, tl))
	want := []FigureNetSpan{{Kind: "partition", What: "partition [1] | [2 3]", From: 3, To: 6}, {Kind: "reset", What: "reset all peer links", From: 8, To: 8}}
	if !reflect.DeepEqual(tl.NetFaults, want) {
		t.Errorf("timeline net faults = %+v, want %+v", tl.NetFaults, want)
	}
	lf, err := NewLoadFigure(d)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lf.NetFaults, want) {
		t.Errorf("load figure net faults = %+v, want %+v", lf.NetFaults, want)
	}
	if len(tl.Faults) != 1 || tl.Faults[0].Node != 2 {
		t.Errorf("node faults = %+v, want node 2's alone", tl.Faults)
	}
	for _, f := range []Figure{tl, lf} {
		if err := f.Render(&bytes.Buffer{}, "svg"); err != nil {
			t.Errorf("%s with network faults: %v", f.Name(), err)
		}
	}
}

// TestNetFaultsAreHatched: across the middle of the panel a network fault
// is many short strokes of its colour (diagonal lines), a node's fault one
// solid run of its own.
func TestNetFaultsAreHatched(t *testing.T) {
	p := plot.New()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 10, 0, 1
	p.Add(faultShade([]FigureSpan{{Node: 1, Kind: "crash", From: 6, To: 9}}), netFaultHatch([]FigureNetSpan{{Kind: "partition", From: 1, To: 4}}))
	var buf bytes.Buffer
	w, err := p.WriterTo(4*vg.Inch, 2*vg.Inch, "png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	y := (b.Min.Y + b.Max.Y) / 2
	runs := func(match func(r, g, b uint32) bool) int {
		n, in := 0, false
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			m := match(r>>8, g>>8, bl>>8)
			if m && !in {
				n++
			}
			in = m
		}
		return n
	}
	reddish := func(r, g, b uint32) bool { return r > g+40 && r > b+40 }
	bluish := func(r, g, b uint32) bool { return b > r+15 && b > g }
	if n := runs(reddish); n < 6 {
		t.Errorf("the partition crosses the middle row in %d runs of its colour, want ≥ 6 (hatching)", n)
	}
	if n := runs(bluish); n != 1 {
		t.Errorf("node 1's crash crosses the middle row in %d runs of its colour, want 1 (solid)", n)
	}
}
