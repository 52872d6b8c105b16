package rundirtest

import (
	"fmt"
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"stegocloud/harness/internal/quantile"
	"stegocloud/harness/rundir"
)

func newHist() *hdr.Histogram { return hdr.New(1, 60_000_000, 3) }

func (r *request) latency() time.Duration { return r.end - r.issue }

// inFault reports whether the request overlapped node 2's fault window.
func (s *sim) inFault(r *request) bool {
	return r.issue < s.o.FaultAt+s.o.FaultFor && r.end > s.o.FaultAt
}

func latencyOf(h *hdr.Histogram) rundir.Latency {
	ms := func(v int64) float64 { return float64(v) / 1000 }
	if h.TotalCount() == 0 {
		return rundir.Latency{}
	}
	return rundir.Latency{
		Count: h.TotalCount(), MeanMs: h.Mean() / 1000, StdDevMs: h.StdDev() / 1000, MinMs: ms(h.Min()),
		P50Ms: ms(quantile.HDR(h, 50)), P90Ms: ms(quantile.HDR(h, 90)), P95Ms: ms(quantile.HDR(h, 95)),
		P99Ms: ms(quantile.HDR(h, 99)), P999Ms: ms(quantile.HDR(h, 99.9)), MaxMs: ms(h.Max()),
	}
}

func encode(h *hdr.Histogram) (string, error) {
	b, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
	return string(b), err
}

// summary is what the recorder and the checker would have written.
func (s *sim) summary() (*rundir.Summary, error) {
	o := s.o
	all, in, out := newHist(), newHist(), newHist()
	perNode := map[int]*hdr.Histogram{1: newHist(), 2: newHist(), 3: newHist()}
	sum := &rundir.Summary{Experiment: o.Name, Run: o.Run, Mode: "closed", Start: o.Origin}
	served := map[int]int{}
	for _, r := range s.reqs {
		us := r.latency().Microseconds()
		_ = all.RecordValue(us)
		if s.inFault(r) {
			_ = in.RecordValue(us)
		} else {
			_ = out.RecordValue(us)
		}
		sum.Requests.Total++
		switch {
		case r.timedOut:
			sum.Requests.TimedOut++
			sum.Requests.Retried++
		default:
			sum.Requests.OK++
			served[r.node]++
			_ = perNode[r.node].RecordValue(us)
		}
		if r.reassigned {
			sum.Requests.Reassigned++
			sum.Requests.Retried++
		}
	}
	sum.Requests.Lost = sum.Requests.Failed + sum.Requests.TimedOut
	end := s.lastEnd()
	sum.End = o.Origin.Add(end)
	sum.DurationS = end.Seconds()
	sum.SuccessRate = float64(sum.Requests.OK) / float64(sum.Requests.Total)
	sum.ThroughputRPS = float64(sum.Requests.OK) / sum.DurationS
	sum.OfferedRPS = float64(sum.Requests.Total) / sum.DurationS
	bound := float64(o.Clients) / o.Service.Seconds()
	sum.Bound = &rundir.Bound{RPS: bound, Formula: fmt.Sprintf("%d clients / %g s service delay", o.Clients, o.Service.Seconds()), Achieved: sum.ThroughputRPS / bound}
	sum.Latency, sum.LatencyInFaults, sum.LatencyOutFaults = latencyOf(all), latencyOf(in), latencyOf(out)
	sum.Histograms = map[string]string{}
	for key, h := range map[string]*hdr.Histogram{"all": all, "in_faults": in, "out_faults": out, "node/1": perNode[1], "node/2": perNode[2], "node/3": perNode[3]} {
		enc, err := encode(h)
		if err != nil {
			return nil, fmt.Errorf("rundirtest: encoding histogram %s: %w", key, err)
		}
		sum.Histograms[key] = enc
	}
	s.fillNodes(sum, served, perNode)
	s.fillFaults(sum)
	return sum, nil
}

func (s *sim) fillNodes(sum *rundir.Summary, served map[int]int, perNode map[int]*hdr.Histogram) {
	end := s.lastEnd()
	mean := float64(sum.Requests.OK) / 3
	var ss, lo, hi float64 = 0, math.Inf(1), 0
	for id := 1; id <= 3; id++ {
		share := float64(served[id]) / float64(sum.Requests.OK)
		lo, hi = min(lo, share), max(hi, share)
		d := float64(served[id]) - mean
		ss += d * d
		n := rundir.NodeSummary{
			ID: id, Served: served[id], Share: share, Latency: latencyOf(perNode[id]),
			Completions: served[id], FinalState: "active", FinalLoad: s.load(id, end+time.Millisecond),
			Processed: served[id], Coordinator: id == s.coordinatorAt(end),
		}
		if id == 2 {
			n.FaultsDown = s.o.FaultFor.Seconds()
			n.Completions += s.abandoned() // work it finished for nobody after waking
		}
		sum.Nodes = append(sum.Nodes, n)
	}
	sum.Balance = rundir.Balance{MaxMinRatio: hi / lo, CV: math.Sqrt(ss/3) / mean}
}

// abandoned counts the requests node 2 dropped when it fell silent.
func (s *sim) abandoned() int {
	n := 0
	for _, r := range s.reqs {
		if r.reassigned || r.timedOut {
			n++
		}
	}
	return n
}

func (s *sim) fillFaults(sum *rundir.Summary) {
	o := s.o
	failover := float64(o.Failover.Milliseconds())
	recovery := float64(o.SyncDelay.Milliseconds())
	sum.Faults = rundir.FaultSummary{
		Injected: 1, ByKind: map[string]int{"silent": 1}, MeanDownS: o.FaultFor.Seconds(),
		FailoverMs: rundir.Stats{N: 1, Mean: failover, P50: failover, Max: failover, All: []float64{failover}},
		RecoveryMs: rundir.Stats{N: 1, Mean: recovery, P50: recovery, Max: recovery, All: []float64{recovery}},
	}
	sum.Elections = rundir.ElectionSummary{
		Total: 3, ByCause: map[string]int{"startup": 1, "coordinator_suspected": 1, "recovery": 1},
		CoordinatorChanges: 2, MaxEpoch: 3,
	}
	sum.MessagesPerRequest = 11.5
	ok := sum.SuccessRate >= 0.999
	sum.Verdict = rundir.Verdict{Pass: ok, Checks: []rundir.Check{
		{Name: "every request accounted for", Pass: true, Detail: fmt.Sprintf("%d = %d ok + %d failed + %d timed out", sum.Requests.Total, sum.Requests.OK, sum.Requests.Failed, sum.Requests.TimedOut)},
		{Name: "responses carry the metadata sent", Pass: true, Detail: fmt.Sprintf("%d of %d verified", sum.Requests.OK, sum.Requests.OK)},
		{Name: "at most one coordinator per epoch", Pass: true, Detail: "3 epochs, 3 coordinators"},
		{Name: "agreement after faults", Pass: true, Detail: "all 3 nodes followed node 2 within 0.1 s of the last fault"},
		{Name: "expect success_rate >= 99.9%", Pass: ok, Detail: fmt.Sprintf("measured %.2f%%", 100*sum.SuccessRate)},
	}}
	sum.Warnings = []string{fmt.Sprintf("node 2 completed %d requests nobody was waiting for after it woke", s.abandoned())}
}

// buckets is the time series: what ended in each bucket.
func (s *sim) buckets() []rundir.Bucket {
	w := s.o.Bucket
	n := int(s.lastEnd()/w) + 1
	out := make([]rundir.Bucket, n)
	hists := make([]*hdr.Histogram, n)
	for i := range out {
		out[i] = rundir.Bucket{T: (time.Duration(i) * w).Seconds(), PerNode: make([]int, 3)}
		hists[i] = newHist()
	}
	for _, r := range s.reqs {
		i := int(r.end / w)
		_ = hists[i].RecordValue(r.latency().Microseconds())
		if r.timedOut {
			out[i].Errors++
			continue
		}
		out[i].OK++
		out[i].PerNode[r.node-1]++
	}
	for i, h := range hists {
		if h.TotalCount() > 0 {
			out[i].P50Ms = float64(quantile.HDR(h, 50)) / 1000
			out[i].P99Ms = float64(quantile.HDR(h, 99)) / 1000
		}
	}
	return out
}
