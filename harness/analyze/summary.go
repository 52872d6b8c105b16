package analyze

import (
	"fmt"
	"slices"
	"time"

	"stegocloud/harness/internal/quantile"
	"stegocloud/harness/internal/units"
	"stegocloud/harness/rundir"
)

// Summarize fills the event analysis's part of s: Faults, Elections (with
// the coordinator overlaps), Requests.Reassigned, Requests.DuplicatesNodes,
// MessagesPerRequest and Replication (which need Requests.Total and
// DurationS, so call it after Recorder.Summarize), Messages, and each node's Completions,
// FaultsDown, FinalState, FinalLoad, Processed and Coordinator; it appends its
// warnings.
func (a *Analysis) Summarize(s *rundir.Summary) {
	s.Elections = a.Elections
	if len(s.Elections.ByCause) == 0 {
		s.Elections.ByCause = nil
	}
	s.Elections.Overlaps, s.Elections.OverlapMaxMs = len(a.Overlaps), 0
	for _, o := range a.Overlaps {
		s.Elections.OverlapMaxMs = max(s.Elections.OverlapMaxMs, units.Ms(o.Duration()))
	}
	s.Faults = a.faultSummary()
	s.Requests.Reassigned = a.Reassigned
	s.Requests.DuplicatesNodes = a.Duplicates.Requests
	s.Messages = a.Messages
	s.MessagesPerRequest = 0
	if s.Requests.Total > 0 {
		s.MessagesPerRequest = float64(a.Messages.Request) / float64(s.Requests.Total)
	}
	s.Replication = a.replicationCost(s)
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
	if a.DoublesDropped > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d assignments of a request by a second node were not kept: the counts of requests assigned by both overlapping coordinators are lower bounds", a.DoublesDropped))
	}
	if a.Duplicates.Truncated {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d requests were completed twice; only the first %d ids were matched against the clients' account", a.Duplicates.Requests, len(a.Duplicates.IDs)))
	}
}

// replicationCost is the messages and fsyncs that replication cost, per
// request and per second of load (s.Requests.Total and s.DurationS).
func (a *Analysis) replicationCost(s *rundir.Summary) rundir.ReplicationCost {
	c := rundir.ReplicationCost{Fsyncs: a.Raft.Fsyncs, Readies: a.Raft.Readies, WALBytes: a.Raft.WALBytes}
	if n := float64(s.Requests.Total); n > 0 {
		c.MessagesPerRequest = float64(a.Messages.Replication) / n
		c.AllMessagesPerRequest = float64(a.Messages.Total) / n
	}
	if s.DurationS > 0 {
		c.FsyncsPerS = float64(c.Fsyncs) / s.DurationS
	}
	return c
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

// statsMs summarises durations in milliseconds; P50 is package quantile's
// (the lower middle value for an even count, as for latencies).
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
	return rundir.Stats{N: n, Mean: sum / float64(n), P50: quantile.Sorted(sorted, 50), Max: sorted[n-1], All: all}
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
