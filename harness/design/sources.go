package design

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	yaml "go.yaml.in/yaml/v3"
)

// SourcesFile is the declared set of the design-document report, inside
// its output directory (reports/sources.yaml).
const SourcesFile = "sources.yaml"

// BenchFile is where `make report` stores the codec benchmarks' raw
// output, relative to the output directory.
const BenchFile = "data/bench.txt"

// Sources is the declared set of the design-document report: which
// experiment each section of reports/README.md is made of. A section whose
// experiment is empty is left out of the README. The experiments are run
// from experiments/NAME.yaml and read from results/NAME/latest.
type Sources struct {
	// Stress is the seed's stress test: a single closed-loop run, ideally of
	// the seed's configuration (3 nodes, 50 clients × 200 requests, 500 ms).
	Stress string `yaml:"stress"`
	// Failover is a run (or repeat set) that crashes the coordinator.
	Failover string `yaml:"failover"`
	// OpenLoop is an open-loop run: latency without coordinated omission.
	OpenLoop string `yaml:"openloop"`
	// Balancers is a sweep over cluster.balancer (and cluster.nodes).
	Balancers string `yaml:"balancers"`
	// Scaling is a sweep over cluster.nodes.
	Scaling string `yaml:"scaling"`
	// Bench is the codec benchmarks' output, relative to the output
	// directory; default BenchFile.
	Bench string `yaml:"bench"`

	// Part 2 (DESIGN §8–§12): each a single run, a repeat set or a sweep.

	// Partition cuts the network around the coordinator (a sweep over
	// cluster.election, or a single run).
	Partition string `yaml:"partition"`
	// TLS is a sweep over cluster.tls: what mutual TLS costs.
	TLS string `yaml:"tls"`
	// Hysteresis is a sweep over cluster.election_margin under coordinator
	// crashes: coordinator churn with and without a margin.
	Hysteresis string `yaml:"hysteresis"`
	// Proxies is a sweep over cluster.proxies: what the fault proxies cost.
	Proxies string `yaml:"proxies"`
	// Quota runs views that spend a quota under node faults.
	Quota string `yaml:"quota"`
	// PartitionQuota runs views under an isolated-coordinator partition.
	PartitionQuota string `yaml:"partition_quota"`
	// Elections is a sweep over cluster.election under coordinator
	// crashes: Bully against Raft.
	Elections string `yaml:"elections"`
}

// DefaultSources is the set `make report` uses when sources.yaml
// does not exist.
func DefaultSources() Sources {
	return Sources{Stress: "stress10k", Failover: "failover", OpenLoop: "openloop",
		Balancers: "balancers", Scaling: "scaling", Bench: BenchFile}
}

// fields are the sections' keys and experiments, in section order.
func (s Sources) fields() []struct{ key, name string } {
	return []struct{ key, name string }{
		{"stress", s.Stress}, {"failover", s.Failover}, {"openloop", s.OpenLoop},
		{"balancers", s.Balancers}, {"scaling", s.Scaling},
		{"partition", s.Partition}, {"tls", s.TLS}, {"hysteresis", s.Hysteresis},
		{"proxies", s.Proxies}, {"quota", s.Quota}, {"partition_quota", s.PartitionQuota},
		{"elections", s.Elections},
	}
}

// namePattern is what an experiment name may be (spec's rule for
// name:), so that a source can never name a path outside results/.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Experiments lists the distinct experiments of the set, in section order.
func (s Sources) Experiments() []string {
	var out []string
	for _, f := range s.fields() {
		if f.name != "" && !slices.Contains(out, f.name) {
			out = append(out, f.name)
		}
	}
	return out
}

// validate names the first bad entry.
func (s Sources) validate() error {
	for _, f := range s.fields() {
		if f.name != "" && (!namePattern.MatchString(f.name) || f.name == "." || f.name == "..") {
			return fmt.Errorf("%w: %s: %q is not an experiment name (letters, digits, '.', '_', '-')", ErrDesignSources, f.key, f.name)
		}
	}
	if s.Bench == "" || !filepath.IsLocal(s.Bench) {
		return fmt.Errorf("%w: bench: %q is not a path inside the output directory", ErrDesignSources, s.Bench)
	}
	if len(s.Experiments()) == 0 {
		return fmt.Errorf("%w: no section names an experiment", ErrDesignSources)
	}
	return nil
}

// ParseSources reads a sources file strictly: unknown keys and values
// that are not experiment names are errors. Absent keys keep their
// DefaultSources value; an explicit empty string leaves the section out.
func ParseSources(r io.Reader) (Sources, error) {
	s := DefaultSources()
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return s, fmt.Errorf("%w: %v", ErrDesignSources, err)
	}
	if err := s.validate(); err != nil {
		return s, err
	}
	return s, nil
}

// LoadSources reads path, or returns DefaultSources when it does
// not exist.
func LoadSources(path string) (Sources, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return DefaultSources(), nil
	}
	if err != nil {
		return Sources{}, fmt.Errorf("loading design sources: %w", err)
	}
	s, err := ParseSources(bytes.NewReader(b))
	if err != nil {
		return s, fmt.Errorf("loading %s: %w", path, err)
	}
	return s, nil
}
