package analyze

import (
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/fault"
	"stegocloud/harness/rundir"
)

// NetFault is one network fault as the event log shows it: from its
// net_fault_start to its net_fault_end (offsets from the load start), with
// the nodes it cut, resolved.
type NetFault struct {
	ID     int
	Kind   string        // partition | bridge | one-way | latency | reset
	What   string        // in words: "partition [2] | [1 3]"
	At     time.Duration // started
	End    time.Duration // ended (= At for a one-shot reset); the log's end while open
	Open   bool          // no net_fault_end was logged
	Groups [][]int       // partition: the sides; bridge: the two cut sides; one-way: [from, to]
	Via    int           // bridge
	Links  [][2]int      // latency, reset: the peer links; empty: every one
}

// Cut reports whether the fault held traffic from node a to node b while it
// lasted: a partition between different groups (both ways), a bridge
// between its two sides (both ways), a one-way cut from its from side to its
// to side. Latency and resets hold nothing.
func (f NetFault) Cut(a, b int) bool {
	side := func(id int) int {
		for k, g := range f.Groups {
			for _, x := range g {
				if x == id {
					return k
				}
			}
		}
		return -1
	}
	sa, sb := side(a), side(b)
	switch f.Kind {
	case "partition", "bridge":
		return sa >= 0 && sb >= 0 && sa != sb
	case "one-way":
		return sa == 0 && sb == 1
	}
	return false
}

// LastHeal is when the last network fault ended (0, false without any):
// what liveness after the network healed counts from.
func (a *Analysis) LastHeal() (time.Duration, bool) {
	var last time.Duration
	for _, f := range a.NetFaults {
		last = max(last, f.End)
	}
	return last, len(a.NetFaults) > 0
}

// netFaultEvent handles net_fault_start and net_fault_end: a network fault
// window opens or closes, and either is a change of the cluster's
// connectivity, after which agreement is watched again.
func (z *Analyzer) netFaultEvent(e *cluster.Event) {
	z.agree.membership(e.Time)
	if e.Net == nil {
		z.warnf("%s at %.3fs has no net section", e.Type, z.at(e.Time).Seconds())
		return
	}
	if e.Type == cluster.EvNetFaultStart {
		z.netStarts++
		z.netOpen[e.Net.ID] = len(z.a.NetFaults)
		z.a.NetFaults = append(z.a.NetFaults, NetFault{ID: e.Net.ID, Kind: e.Kind, What: e.Reason,
			At: z.at(e.Time), End: z.at(e.Time), Open: true,
			Groups: e.Net.Groups, Via: e.Net.Via, Links: e.Net.Links})
		return
	}
	i, ok := z.netOpen[e.Net.ID]
	if !ok {
		z.warnf("net_fault_end of network fault %d at %.3fs without its start", e.Net.ID, z.at(e.Time).Seconds())
		return
	}
	delete(z.netOpen, e.Net.ID)
	z.a.NetFaults[i].End, z.a.NetFaults[i].Open = z.at(e.Time), false
}

// closeNetFaults draws open network faults until the end of the log.
func (z *Analyzer) closeNetFaults() {
	for _, i := range z.netOpen {
		f := &z.a.NetFaults[i]
		f.End = max(f.End, z.at(z.last))
		z.warnf("network fault %d (%s) started at %.3fs has no net_fault_end", f.ID, f.Kind, f.At.Seconds())
	}
}

// netRecords lists the injected network faults for summary.json.
func netRecords(faults []fault.Fault) []rundir.NetFaultRecord {
	var out []rundir.NetFaultRecord
	for _, f := range faults {
		if f.IsNetwork() {
			out = append(out, rundir.NetFaultRecord{Kind: f.Kind, AtS: f.At.Seconds(), ForS: f.For.Seconds(),
				What: f.Describe(), Net: f.Net})
		}
	}
	return out
}
