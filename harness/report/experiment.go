package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"stegocloud/harness/experiment"
)

// The little the report reads from experiment.yaml besides printing it: the
// description and what sets the bounds. The experiment comes from the one
// parser of the file (rundir.Run.Experiment); nil when the file is missing or
// invalid, which leaves out what depends on it.

// ServiceDelay is the configured per-request service delay (0 if
// unknown): the floor under every latency of a served request.
func ServiceDelay(e *experiment.Experiment) time.Duration {
	if e == nil {
		return 0
	}
	return e.Cluster.Service.Delay
}

// balancer is e's balancer; "" when e is unknown.
func balancer(e *experiment.Experiment) string {
	if e == nil {
		return ""
	}
	return e.Cluster.Balancer
}

// IsSeedStress reports whether e is the seed's stress test — 3 nodes,
// 50 closed-loop clients × 200 requests, a 500 ms service delay — the only
// configuration the seed's claimed numbers describe.
func IsSeedStress(e *experiment.Experiment) bool {
	if e == nil {
		return false
	}
	w := e.Workload
	return e.Cluster.Nodes == 3 && w.Clients == 50 && w.RequestsPerClient == 200 &&
		e.Cluster.Service.Delay == 500*time.Millisecond
}

// WorkloadLine says in words what load e applied; mode (the summary's)
// stands in when e is unknown.
func WorkloadLine(e *experiment.Experiment, mode string) string {
	var w experiment.Workload
	if e != nil {
		w = e.Workload
	}
	switch {
	case w.Clients > 0 && w.RequestsPerClient > 0:
		return fmt.Sprintf("closed loop: %d clients × %d requests", w.Clients, w.RequestsPerClient)
	case !w.Rate.IsZero():
		return fmt.Sprintf("open loop: %s for %s", w.Rate, shortDuration(durationText(w.Duration)))
	case w.Pacer.Kind != "":
		return "open loop: " + pacerLine(w.Pacer, w.Duration)
	case mode != "":
		return mode + " loop"
	}
	return "—"
}

// pacerLine describes the pacer form of open loop in words: "constant
// 150/s for 60s", "linear from 50/s, +10/s per s, for 1m", "sine around
// 100/s ± 50/s, period 30s, from the trough, for 1m".
func pacerLine(p experiment.PacerSpec, duration time.Duration) string {
	dur := durationText(duration)
	var what string
	switch p.Kind {
	case experiment.PacerConstant:
		what = "constant " + p.Rate.String() + ","
	case experiment.PacerLinear:
		what = fmt.Sprintf("linear from %s, %s/s per s,", p.Rate, strconv.FormatFloat(p.Slope, 'f', -1, 64))
		if p.Slope >= 0 {
			what = fmt.Sprintf("linear from %s, +%s/s per s,", p.Rate, strconv.FormatFloat(p.Slope, 'f', -1, 64))
		}
	case experiment.PacerSine:
		what = fmt.Sprintf("sine around %s ± %s, period %s", p.Rate, p.Amp, durationText(p.Period))
		if p.StartAt != "" {
			what += ", from " + pacerStartWords(p.StartAt)
		}
		what += ","
	default:
		what = p.Kind + " pacer at " + p.Rate.String() + ","
	}
	if dur == "" {
		return strings.TrimSuffix(what, ",")
	}
	return what + " for " + shortDuration(dur)
}

// durationText is a duration as experiment.yaml writes it; "" for none.
func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// shortDuration drops the zero tails Go's Duration.String writes:
// "1m0s" reads as "1m", "1h30m0s" as "1h30m".
func shortDuration(d string) string {
	if strings.HasSuffix(d, "m0s") {
		d = strings.TrimSuffix(d, "0s")
	}
	if strings.HasSuffix(d, "h0m") {
		d = strings.TrimSuffix(d, "0m")
	}
	return d
}

// pacerStartWords names where a sine wave starts, as start_at spells it.
func pacerStartWords(at string) string {
	switch at {
	case "mean-up":
		return "the mean, rising"
	case "mean-down":
		return "the mean, falling"
	case "peak", "trough":
		return "the " + at
	}
	return at
}
