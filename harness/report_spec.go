package harness

import (
	"fmt"
	"time"

	yaml "go.yaml.in/yaml/v3"
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
		Duration          string `yaml:"duration"`
	} `yaml:"workload"`
}

// parseReportSpec reads text; an empty text gives the zero spec.
func parseReportSpec(text string) (reportSpec, error) {
	var s reportSpec
	if text == "" {
		return s, nil
	}
	if err := yaml.Unmarshal([]byte(text), &s); err != nil {
		return reportSpec{}, fmt.Errorf("reading %s for the report: %w", FileExperiment, err)
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

// workloadLine says in words what load the spec applied.
func (s reportSpec) workloadLine(mode string) string {
	w := s.Workload
	switch {
	case w.Clients > 0 && w.RequestsPerClient > 0:
		return fmt.Sprintf("closed loop: %d clients × %d requests", w.Clients, w.RequestsPerClient)
	case w.Rate != "":
		return fmt.Sprintf("open loop: %s for %s", w.Rate, w.Duration)
	case mode != "":
		return mode + " loop"
	}
	return "—"
}
