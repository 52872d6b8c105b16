package analyze

import (
	"fmt"
	"slices"
	"time"

	"stegocloud/harness/internal/units"
	"stegocloud/harness/rundir"
)

// Summarize fills the event analysis's part of s: Faults, Elections,
// Requests.Reassigned, MessagesPerRequest (which needs Requests.Total, so call
// it after Recorder.Summarize), Messages, and each node's Completions,
// FaultsDown, FinalState, FinalLoad, Processed and Coordinator; it appends its
// warnings.
func (a *Analysis) Summarize(s *rundir.Summary) {
	s.Elections = a.Elections
	if len(s.Elections.ByCause) == 0 {
		s.Elections.ByCause = nil
	}
	s.Faults = a.faultSummary()
	s.Requests.Reassigned = a.Reassigned
	s.Messages = a.Messages
	s.MessagesPerRequest = 0
	if s.Requests.Total > 0 {
		s.MessagesPerRequest = float64(a.Messages.Request) / float64(s.Requests.Total)
	}
	for _, st := range a.Nodes {
		i := slices.IndexFunc(s.Nodes, func(n rundir.NodeSummary) bool { return n.ID == st.ID })
		if i < 0 {
			s.Nodes = append(s.Nodes, rundir.NodeSummary{ID: st.ID})
			i = len(s.Nodes) - 1
		}
		n := &s.Nodes[i]
		n.Completions, n.FaultsDown, n.FinalState, n.FinalLoad = st.Completions, st.DownS, st.State, st.Load
		n.Processed, n.Coordinator = st.Processed, st.Coordinator
	}
	s.Warnings = append(s.Warnings, a.Warnings...)
	s.Warnings = append(s.Warnings, a.episodeWarnings()...)
}

func (a *Analysis) faultSummary() rundir.FaultSummary {
	fs := rundir.FaultSummary{Injected: len(a.faults), Network: netRecords(a.faults)}
	if len(a.faults) > 0 {
		fs.ByKind = map[string]int{}
		var down time.Duration
		for _, f := range a.faults {
			fs.ByKind[f.Kind]++
			if !f.IsNetwork() {
				down += f.For
			}
		}
		if n := len(a.faults) - len(fs.Network); n > 0 {
			fs.MeanDownS = down.Seconds() / float64(n)
		}
	}
	var fo, rec []time.Duration
	for _, f := range a.Failovers {
		switch f.Outcome {
		case "resolved":
			fo = append(fo, f.Duration)
		case "masked":
			fs.FailoverMasked++
		default:
			fs.FailoverUnresolved++
		}
	}
	for _, r := range a.Recoveries {
		if r.Outcome == "resolved" {
			rec = append(rec, r.Duration)
		} else {
			fs.RecoveryUnresolved++
		}
	}
	fs.FailoverMs, fs.RecoveryMs = statsMs(fo), statsMs(rec)
	return fs
}

// statsMs summarises durations in milliseconds; P50 is the median (the
// mean of the two middle values for an even count).
func statsMs(ds []time.Duration) rundir.Stats {
	if len(ds) == 0 {
		return rundir.Stats{}
	}
	all := make([]float64, len(ds))
	sum := 0.0
	for i, d := range ds {
		all[i] = units.Ms(d)
		sum += all[i]
	}
	sorted := slices.Sorted(slices.Values(all))
	n := len(sorted)
	p50 := sorted[n/2]
	if n%2 == 0 {
		p50 = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return rundir.Stats{N: n, Mean: sum / float64(n), P50: p50, Max: sorted[n-1], All: all}
}

// episodeWarnings names the failovers and recoveries that gave no sample.
func (a *Analysis) episodeWarnings() []string {
	var w []string
	for _, f := range a.Failovers {
		if f.Outcome == "unresolved" {
			w = append(w, fmt.Sprintf("failover after node %d's %s fault at %.3fs unresolved: %s", f.Coordinator, f.Kind, f.At.Seconds(), f.Reason))
		}
	}
	for _, r := range a.Recoveries {
		if r.Outcome != "resolved" {
			w = append(w, fmt.Sprintf("recovery of node %d after its %s fault ended at %.3fs unresolved: %s", r.Node, r.Kind, r.At.Seconds(), r.Reason))
		}
	}
	return w
}
