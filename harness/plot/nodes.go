package plot

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"stegocloud/harness/rundir"
)

// NodesFigure is how many requests each node served (the client's view: the
// accepted responses), next to how many it completed by its own log, which
// also counts the duplicates nobody waited for.
type NodesFigure struct {
	Nodes     []NodeBar `json:"nodes"`
	EvenShare float64   `json:"even_share"` // served ÷ nodes: what a perfect balance gives each
}

// NodeBar is one node's bars.
type NodeBar struct {
	ID          int     `json:"id"`
	Served      int     `json:"served"`
	Share       float64 `json:"share"`
	Completions int     `json:"completions"`
}

// NewNodesFigure takes the per-node counts from the summary, or, when the
// summary lists no nodes, sums the time series' node columns.
func NewNodesFigure(d *rundir.Run) (*NodesFigure, error) {
	f := &NodesFigure{}
	for _, n := range d.Summary.Nodes {
		f.Nodes = append(f.Nodes, NodeBar{ID: n.ID, Served: n.Served, Share: n.Share, Completions: n.Completions})
	}
	if len(f.Nodes) == 0 && d.Nodes > 0 && len(d.Buckets) > 0 {
		f.Nodes = nodeBarsFromBuckets(d.Nodes, d.Buckets)
	}
	if len(f.Nodes) == 0 {
		return nil, fmt.Errorf("%w: neither %s nor %s lists nodes", ErrNoFigureData, rundir.FileSummary, rundir.FileTimeSeries)
	}
	slices.SortFunc(f.Nodes, func(a, b NodeBar) int { return a.ID - b.ID })
	total := 0
	for _, n := range f.Nodes {
		total += n.Served
	}
	f.EvenShare = float64(total) / float64(len(f.Nodes))
	return f, nil
}

func nodeBarsFromBuckets(nodes int, buckets []rundir.Bucket) []NodeBar {
	bars := make([]NodeBar, nodes)
	total := 0
	for i := range bars {
		bars[i].ID = i + 1
		for _, b := range buckets {
			bars[i].Served += b.PerNode[i]
		}
		total += bars[i].Served
	}
	for i := range bars {
		if total > 0 {
			bars[i].Share = float64(bars[i].Served) / float64(total)
		}
	}
	return bars
}

// Name implements Figure.
func (f *NodesFigure) Name() string { return "nodes" }

// Render implements Figure.
func (f *NodesFigure) Render(w io.Writer, format string) error {
	p := newPlot("Requests per node", "", "requests")
	names := make([]string, len(f.Nodes))
	barW := vg.Points(34)
	hasCompl := slices.ContainsFunc(f.Nodes, func(n NodeBar) bool { return n.Completions > 0 })
	top := 0.0
	var labels plotter.XYLabels
	for i, n := range f.Nodes {
		names[i] = "node " + strconv.Itoa(n.ID)
		served, err := plotter.NewBarChart(plotter.Values{float64(n.Served)}, barW)
		if err != nil {
			return fmt.Errorf("plotting node %d: %w", n.ID, err)
		}
		served.XMin = float64(i)
		served.Color = nodeColor(n.ID)
		served.LineStyle.Width = 0
		p.Add(served)
		if hasCompl {
			served.Offset = -barW / 2
			done, err := plotter.NewBarChart(plotter.Values{float64(n.Completions)}, barW)
			if err != nil {
				return fmt.Errorf("plotting node %d: %w", n.ID, err)
			}
			done.XMin, done.Offset = float64(i), barW/2
			done.Color = translucent(nodeColor(n.ID), 90)
			done.LineStyle.Width = 0
			p.Add(done)
		}
		top = max(top, float64(n.Served), float64(n.Completions))
		labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: float64(n.Served)})
		labels.Labels = append(labels.Labels, fmt.Sprintf("%d (%.1f%%)", n.Served, 100*n.Share))
	}
	if err := f.addAnnotations(p, labels, hasCompl, barW); err != nil {
		return err
	}
	p.NominalX(names...)
	p.Y.Min, p.Y.Max = 0, max(top*1.3, 1)
	return render(w, format, figWidth, figHeight, p)
}

// addAnnotations puts the served count and share above each served bar, the
// even-share line across, and the legend.
func (f *NodesFigure) addAnnotations(p *plot.Plot, labels plotter.XYLabels, hasCompl bool, barW vg.Length) error {
	lbl, err := plotter.NewLabels(labels)
	if err != nil {
		return fmt.Errorf("plotting labels: %w", err)
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i].Font = p.Legend.TextStyle.Font
		lbl.TextStyle[i].XAlign = draw.XCenter
		lbl.TextStyle[i].YAlign = draw.YBottom
	}
	lbl.Offset = vg.Point{Y: vg.Points(2)}
	if hasCompl {
		lbl.Offset.X = -barW / 2
	}
	p.Add(lbl)
	even, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: f.EvenShare}, {X: float64(len(f.Nodes)) - 0.5, Y: f.EvenShare}})
	if err != nil {
		return fmt.Errorf("plotting even share: %w", err)
	}
	even.LineStyle = draw.LineStyle{Color: markerColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	p.Add(even)
	p.Legend.Add("served: accepted by the client (share of all)", Swatch{Color: legendGrey})
	if hasCompl {
		p.Legend.Add("completed by the node (incl. duplicates)", Swatch{Color: translucent(legendGrey, 90)})
	}
	p.Legend.Add(fmt.Sprintf("even share (%.0f)", f.EvenShare), even)
	return nil
}
