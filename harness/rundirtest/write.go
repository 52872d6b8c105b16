package rundirtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"stegocloud/harness/fault"
	"stegocloud/harness/rundir"
)

// Write simulates the run o describes and writes its run directory into dir
// (created if needed): summary.json, run.json, experiment.yaml, schedule.json,
// timeseries.csv and events.jsonl.
func Write(dir string, o Options) error {
	files, err := Files(o)
	if err != nil {
		return err
	}
	return WriteFiles(dir, files)
}

// Files simulates the run o describes and returns its run directory's files,
// by name. Tests that need many copies of one run simulate it once and write
// the copies with WriteFiles.
func Files(o Options) (map[string][]byte, error) {
	if o.Clients <= 0 || o.PerClient <= 0 || o.Bucket <= 0 || o.LoadEvery <= 0 {
		return nil, fmt.Errorf("rundirtest: options need clients, requests per client, a bucket width and a load interval: %+v", o)
	}
	s := &sim{o: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	s.run()
	sum, err := s.summary()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{rundir.FileSummary, func(w io.Writer) error { return writeJSON(w, sum) }},
		{rundir.FileRunInfo, func(w io.Writer) error { return writeJSON(w, s.runInfo()) }},
		{rundir.FileExperiment, func(w io.Writer) error { _, err := io.WriteString(w, s.spec()); return err }},
		{rundir.FileSchedule, func(w io.Writer) error {
			return writeJSON(w, []fault.Fault{{At: o.FaultAt, Node: 2, Kind: "silent", For: o.FaultFor}})
		}},
		{rundir.FileTimeSeries, func(w io.Writer) error { return rundir.WriteTimeSeries(w, 3, s.buckets()) }},
		{rundir.FileEvents, s.writeEvents},
	}
	for _, f := range writers {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return nil, fmt.Errorf("rundirtest: writing %s: %w", f.name, err)
		}
		files[f.name] = buf.Bytes()
	}
	return files, nil
}

// WriteFiles writes files (as Files returns them) into dir, creating it.
func WriteFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (s *sim) runInfo() rundir.Info {
	o := s.o
	return rundir.Info{
		Experiment: o.Name, Run: o.Run,
		Commit: "v0.0.0-synthetic", GoVersion: "go1.26.8", OS: "linux", Arch: "amd64",
		CPUs: 2, CPUModel: "Synthetic CPU @ 2.00GHz", Host: "testhost",
		Started: o.Origin.Add(-3 * time.Second), Ended: o.Origin.Add(s.lastEnd() + 2*time.Second),
		Command: []string{"stegocloud", "run", "experiments/" + o.Name + ".yaml"},
		Seed:    int64(o.Seed), Repeat: 1,
	}
}

func (s *sim) spec() string {
	o := s.o
	return strings.TrimLeft(fmt.Sprintf(`
name: %s
description: A synthetic run for tests — a closed loop with the coordinator falling silent.
seed: %d
repeat: 1
cluster:
  nodes: 3
  heartbeat: 50ms
  suspect_after: 200ms
  reelect_every: 15s
  balancer: lowest-load
  load: {base: 0.5, per_request: 0.1}
  service: {delay: %s}
faults:
  kind: silent
  schedule: [{at: %s, node: 2, kind: silent, for: %s}]
  sync_delay: %s
workload:
  clients: %d
  requests_per_client: %d
  timeout: %s
  retries: 3
  image: {width: 128, height: 128}
  usernames: 3
  quota: 5
expect:
  success_rate: ">= 99.9%%"
`, o.Name, o.Seed, o.Service, o.FaultAt, o.FaultFor, o.SyncDelay, o.Clients, o.PerClient, o.Timeout), "\n")
}

func (s *sim) lastEnd() time.Duration {
	var last time.Duration
	for _, r := range s.reqs {
		last = max(last, r.end)
	}
	return last
}
