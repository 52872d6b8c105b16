package harness

import "time"

// RunInfo is run.json: where and when a run happened, so that a report can say
// what ran on which machine.
type RunInfo struct {
	Experiment string    `json:"experiment"`
	Run        string    `json:"run"`        // run directory name, YYYYMMDD-HHMMSS
	Commit     string    `json:"commit"`     // git describe of the working tree ("+dirty" when modified)
	GoVersion  string    `json:"go_version"` // runtime.Version()
	OS         string    `json:"os"`
	Arch       string    `json:"arch"`
	CPUs       int       `json:"cpus"`
	CPUModel   string    `json:"cpu_model"`
	Host       string    `json:"host"`
	Started    time.Time `json:"started"`
	Ended      time.Time `json:"ended"`
	Command    []string  `json:"command"` // the argv that produced the run
	Seed       int64     `json:"seed"`    // the seed this run used (derived per repeat)
	Repeat     int       `json:"repeat"`  // which repeat, from 1
}

// Threshold is one `expect:` entry of an experiment, e.g. p99 "< 1s" becomes
// {Metric: "p99", Op: "<", Value: 1000, Raw: "< 1s"}. Values are in the units
// of the Summary field the metric names: milliseconds for latencies, requests
// per second for throughput, a 0..1 fraction for rates.
type Threshold struct {
	Metric string  `json:"metric"` // success_rate | throughput | bound_achieved | mean | p50 | p90 | p95 | p99 | p999 | max | lost | failover_p50 | failover_max
	Op     string  `json:"op"`     // < | <= | > | >= | ==
	Value  float64 `json:"value"`
	Raw    string  `json:"raw"` // as written in the experiment file
}
