package harness

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"stegocloud/harness/rundir"
)

// reportSpec is the little the report reads from experiment.yaml besides
// printing it: the description and what sets the bounds. The file is the
// resolved spec that the harness validated before the run, so it is read
// leniently here (unknown keys are fine); a value that does not parse only
// loses its bound.
type reportSpec struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Cluster     struct {
		Nodes    int    `yaml:"nodes"`
		Balancer string `yaml:"balancer"`
		Service  struct {
			Delay string `yaml:"delay"`
		} `yaml:"service"`
	} `yaml:"cluster"`
	Faults struct {
		Kind string `yaml:"kind"`
	} `yaml:"faults"`
	Workload struct {
		Clients           int    `yaml:"clients"`
		RequestsPerClient int    `yaml:"requests_per_client"`
		Rate              string `yaml:"rate"`
		Pacer             struct {
			Kind    string  `yaml:"kind"`
			Rate    string  `yaml:"rate"`
			Slope   float64 `yaml:"slope"`
			Amp     string  `yaml:"amp"`
			Period  string  `yaml:"period"`
			StartAt string  `yaml:"start_at"`
		} `yaml:"pacer"`
		Duration string `yaml:"duration"`
	} `yaml:"workload"`
}

// parseReportSpec reads text; an empty text gives the zero spec.
func parseReportSpec(text string) (reportSpec, error) {
	var s reportSpec
	if text == "" {
		return s, nil
	}
	if err := yaml.Unmarshal([]byte(text), &s); err != nil {
		return reportSpec{}, fmt.Errorf("reading %s for the report: %w", rundir.FileExperiment, err)
	}
	return s, nil
}

// serviceDelay is the configured per-request service delay (0 if unknown): the
// floor under every latency of a served request.
func (s reportSpec) serviceDelay() time.Duration {
	d, err := time.ParseDuration(s.Cluster.Service.Delay)
	if err != nil || d < 0 {
		return 0
	}
	return d
}

// isSeedStress reports whether the spec is the seed's stress test — 3 nodes,
// 50 closed-loop clients × 200 requests, a 500 ms service delay — the only
// configuration the seed's claimed numbers describe.
func (s reportSpec) isSeedStress() bool {
	w := s.Workload
	return s.Cluster.Nodes == 3 && w.Clients == 50 && w.RequestsPerClient == 200 &&
		s.serviceDelay() == 500*time.Millisecond
}

// workloadLine says in words what load the spec applied.
func (s reportSpec) workloadLine(mode string) string {
	w := s.Workload
	switch {
	case w.Clients > 0 && w.RequestsPerClient > 0:
		return fmt.Sprintf("closed loop: %d clients × %d requests", w.Clients, w.RequestsPerClient)
	case w.Rate != "":
		return fmt.Sprintf("open loop: %s for %s", w.Rate, reportShortDuration(w.Duration))
	case w.Pacer.Kind != "":
		return "open loop: " + s.pacerLine()
	case mode != "":
		return mode + " loop"
	}
	return "—"
}

// pacerLine describes the pacer form of open loop in words: "constant
// 150/s for 60s", "linear from 50/s, +10/s per s, for 1m", "sine around
// 100/s ± 50/s, period 30s, from the trough, for 1m".
func (s reportSpec) pacerLine() string {
	p, dur := s.Workload.Pacer, s.Workload.Duration
	var what string
	switch p.Kind {
	case "constant":
		what = "constant " + p.Rate + ","
	case "linear":
		what = fmt.Sprintf("linear from %s, %s/s per s,", p.Rate, strconv.FormatFloat(p.Slope, 'f', -1, 64))
		if p.Slope >= 0 {
			what = fmt.Sprintf("linear from %s, +%s/s per s,", p.Rate, strconv.FormatFloat(p.Slope, 'f', -1, 64))
		}
	case "sine":
		what = fmt.Sprintf("sine around %s ± %s, period %s", p.Rate, p.Amp, p.Period)
		if p.StartAt != "" {
			what += ", from " + pacerStartWords(p.StartAt)
		}
		what += ","
	default:
		what = p.Kind + " pacer at " + p.Rate + ","
	}
	if dur == "" {
		return strings.TrimSuffix(what, ",")
	}
	return what + " for " + reportShortDuration(dur)
}

// reportShortDuration drops the zero tails Go's Duration.String writes:
// "1m0s" reads as "1m", "1h30m0s" as "1h30m".
func reportShortDuration(d string) string {
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
