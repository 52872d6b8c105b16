// Package plot draws the figures (gonum/plot, PNG and SVG). Inside this
// package `plot` in code means gonum's package; this one is harness/plot.
//
// A run's figures — the latency percentile spectrum (HDR style, log x),
// latency and throughput over time with fault windows shaded per node and
// elections marked, requests per node, and load per node with the
// coordinator of each period — are each a Figure built from a rundir.Run
// alone (Figures), so they can be regenerated from a run directory at any
// time; a Figure's exported fields are the data its golden test pins (never
// the image bytes, which change with the plotting library). WriteFigures
// renders them into figures/ in every FigureFormats, each file replaced
// whole.
//
// The comparison figures of packages compare and design are drawn here too,
// from data those packages build: a Chart per metric (a bar per set or a
// line over a swept number, whiskers for confidence intervals; WriteChart,
// WriteTiles) and the latency spectra of several run sets on one plot
// (SpectrumLine, WriteSpectra). Their PNGs are deflated at BestSpeed
// (BenchmarkFigurePNG). The run figures and the comparison figures share the
// spectrum walk (SpectrumPoints), the percentile axis (PercentileTicks) and the
// legend swatch (Swatch).
//
// Colours: each node has its own (nodeColor), used for its fault windows,
// its load line and its coordinator band, so one node reads the same across
// figures. Network faults (partition, bridge, one-way, latency, reset) are
// drawn over the timeline and load figures as diagonal hatching in a colour
// per kind (a one-shot reset as a vertical line), with a hatched legend
// entry per kind, so that they cannot be mistaken for a node's solidly
// shaded fault window.
package plot
