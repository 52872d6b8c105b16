package record

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"stegocloud/harness/internal/units"
	"stegocloud/harness/rundir"
)

// Summarize fills the recorder's part of s: Start, End, DurationS, Requests
// (all but Reassigned, which comes from the events), SuccessRate,
// ThroughputRPS, OfferedRPS, Bound, the three Latency blocks, Nodes (ID,
// Served, Share, Latency), Balance and Histograms; it appends its warnings.
// Call it after Close and before Analysis.Summarize, which needs
// Requests.Total; both merge their fields into Nodes by ID.
func (r *Recorder) Summarize(s *rundir.Summary) error {
	if !r.closed {
		return ErrRecorderOpen
	}
	a := r.acct
	sent := a.Results - a.Unsent
	s.Requests.Total, s.Requests.Unsent = sent, a.Unsent
	s.Requests.OK, s.Requests.Failed, s.Requests.TimedOut = a.OK, a.Failed, a.TimedOut
	s.Requests.Retried, s.Requests.Invalid = r.retried, a.Invalid
	// Duplicates is the clients' account until the checker adds the nodes'
	// (check.CountDuplicates).
	s.Requests.Duplicates, s.Requests.DuplicatesClient = r.dups.d.Requests, r.dups.d.Requests
	s.Requests.LateResponses = a.LateResponses
	s.Requests.Lost = a.Failed + a.TimedOut
	s.Start, s.End = r.first, r.last
	if !r.first.IsZero() {
		s.DurationS = r.last.Sub(r.first).Seconds()
	}
	if sent > 0 {
		s.SuccessRate = float64(a.OK) / float64(sent)
	}
	if s.DurationS > 0 {
		s.ThroughputRPS = float64(a.OK) / s.DurationS
		s.OfferedRPS = float64(sent) / s.DurationS
	}
	s.Bound = bound(r.cfg.Clients, r.cfg.ServiceTime, s.ThroughputRPS)
	s.Latency, s.LatencyInFaults, s.LatencyOutFaults = r.all.latency(), r.in.latency(), r.out.latency()
	var nodes []rundir.NodeSummary
	nodes, s.Balance = r.nodeSummaries()
	for _, n := range nodes {
		i := slices.IndexFunc(s.Nodes, func(m rundir.NodeSummary) bool { return m.ID == n.ID })
		if i < 0 {
			s.Nodes = append(s.Nodes, rundir.NodeSummary{ID: n.ID})
			i = len(s.Nodes) - 1
		}
		s.Nodes[i].Served, s.Nodes[i].Share, s.Nodes[i].Latency = n.Served, n.Share, n.Latency
	}
	hs, err := r.encodeAll()
	if err != nil {
		return err
	}
	s.Histograms = hs
	s.Warnings = append(s.Warnings, r.warnings()...)
	return nil
}

// bound is the closed-loop throughput bound: each client has at most one
// request in flight and each takes at least the service time.
func bound(clients int, service time.Duration, throughput float64) *rundir.Bound {
	if clients <= 0 || service <= 0 {
		return nil
	}
	rps := float64(clients) / service.Seconds()
	return &rundir.Bound{
		RPS:      rps,
		Formula:  fmt.Sprintf("%d clients / %s s service time = %s req/s", clients, units.Num(service.Seconds()), units.Num(rps)),
		Achieved: throughput / rps,
	}
}

// nodeSummaries gives each node its served count, share and latency, and the
// spread of the shares.
func (r *Recorder) nodeSummaries() ([]rundir.NodeSummary, rundir.Balance) {
	ns := make([]rundir.NodeSummary, len(r.nodes))
	total := 0
	for i, h := range r.nodes {
		ns[i] = rundir.NodeSummary{ID: i + 1, Served: int(h.n), Latency: h.latency()}
		total += int(h.n)
	}
	if total == 0 {
		return ns, rundir.Balance{}
	}
	lo, hi, sum, sq := math.Inf(1), 0.0, 0.0, 0.0
	for i := range ns {
		sh := float64(ns[i].Served) / float64(total)
		ns[i].Share = sh
		lo, hi, sum = math.Min(lo, sh), math.Max(hi, sh), sum+sh
	}
	mean := sum / float64(len(ns))
	for i := range ns {
		d := ns[i].Share - mean
		sq += d * d
	}
	b := rundir.Balance{CV: math.Sqrt(sq/float64(len(ns))) / mean}
	if lo > 0 {
		b.MaxMinRatio = hi / lo
	}
	return ns, b
}

// encodeAll encodes the histograms keyed as Summary.Histograms documents.
func (r *Recorder) encodeAll() (map[string]string, error) {
	hs := map[string]*hist{"all": r.all, "in_faults": r.in, "out_faults": r.out}
	for i, h := range r.nodes {
		hs["node/"+strconv.Itoa(i+1)] = h
	}
	out := make(map[string]string, len(hs))
	for k, h := range hs {
		s, err := h.encode()
		if err != nil {
			return nil, fmt.Errorf("summarising histogram %q: %w", k, err)
		}
		out[k] = s
	}
	return out, nil
}

// warnings names every input the recorder had to work around.
func (r *Recorder) warnings() []string {
	var w []string
	add := func(n int, format string) {
		if n > 0 {
			w = append(w, fmt.Sprintf(format, n))
		}
	}
	add(int(r.all.clamped), "%d latencies exceeded the histogram range of "+r.cfg.MaxLatency.String()+" and were recorded as "+r.cfg.MaxLatency.String())
	add(r.negative, "%d results had a negative latency, recorded as 0")
	add(r.untimed, "%d results had neither an intended nor a start time: not in the time series or the fault split")
	add(r.early, "%d results ended before the load start: counted in the first bucket")
	add(r.badNode, "%d results named a node outside 0..N")
	add(int(r.series.late), "%d results arrived after their time-series bucket was closed: counted, not in its p50/p99")
	add(int(r.series.outside), "%d results ended beyond the time series' range and are missing from it")
	add(r.afterEnd, "%d results were added after the recorder was closed and ignored (late responses included)")
	return append(w, r.responseWarnings()...)
}
