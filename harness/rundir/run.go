package rundir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
)

// Files of a run directory (DESIGN §5) that the report and the figures read.
const (
	FileSummary    = "summary.json"
	FileRunInfo    = "run.json"
	FileExperiment = "experiment.yaml"
	FileSchedule   = "schedule.json"
	FileTimeSeries = "timeseries.csv"
	FileEvents     = "events.jsonl"
	FileReport     = "report.md"
	DirFigures     = "figures"
)

// Run is what a report and its figures are made from: the stored files of
// one run directory, read once. Only summary.json is required; every other
// file that is missing or unreadable becomes a warning and an empty field.
type Run struct {
	Dir     string
	Summary Summary
	Info    *Info  // run.json; nil when missing
	Spec    string // experiment.yaml, verbatim
	// Experiment is experiment.yaml parsed (experiment.Parse, its one
	// parser); nil when the file is missing or is not a valid experiment.
	Experiment *experiment.Experiment
	Schedule   []fault.Fault // schedule.json
	Nodes      int           // cluster size: the time series' node columns, else the summary's nodes
	BucketS    float64       // width of a time-series bucket, seconds (0 without a time series)
	Buckets    []Bucket
	Events     *EventDigest // events.jsonl; nil when missing
	// Origin is t = 0 of every time axis: the load start (the load_start event,
	// else the summary's start), which is also what bucket times and schedule
	// offsets count from.
	Origin   time.Time
	Warnings []string // what could not be read, for the report
}

// Load reads the run directory dir. Missing summary.json is an error
// (wrapping ErrNoSummary and naming the file); anything else missing or
// malformed is recorded in Warnings.
func Load(dir string) (*Run, error) { return load(dir, nil) }

// LoadDigested is Load for a run whose event log was digested already: the
// analysis of a finished run digests events.jsonl while it measures it
// (analyze.Analysis.Log), so the run's own report does not read it again.
// The digest gives the same Run and warnings as reading the file would.
func LoadDigested(dir string, events *EventDigest) (*Run, error) { return load(dir, events) }

func load(dir string, events *EventDigest) (*Run, error) {
	d := &Run{Dir: dir}
	if err := readJSON(filepath.Join(dir, FileSummary), &d.Summary); err != nil {
		return nil, fmt.Errorf("loading run %s: %w: %w", dir, ErrNoSummary, err)
	}
	var info Info
	if d.optional(FileRunInfo, readJSON(filepath.Join(dir, FileRunInfo), &info)) {
		d.Info = &info
	}
	spec, e, err := ReadExperiment(dir)
	d.Spec, d.Experiment = string(spec), e
	d.optional(FileExperiment, err)
	d.optional(FileSchedule, readJSON(filepath.Join(dir, FileSchedule), &d.Schedule))
	d.loadTimeSeries()
	if events != nil {
		d.useEvents(events, nil)
	} else {
		d.loadEvents(DefaultDigestLimits)
	}
	d.settle()
	return d, nil
}

// optional turns the error of reading an optional file into a warning and
// reports whether the read succeeded.
func (d *Run) optional(name string, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, fs.ErrNotExist):
		d.warnf("%s is missing; the parts of the report that need it are left out", name)
	default:
		d.warnf("%s could not be read: %v", name, err)
	}
	return false
}

func (d *Run) warnf(format string, a ...any) {
	d.Warnings = append(d.Warnings, fmt.Sprintf(format, a...))
}

func (d *Run) loadTimeSeries() {
	f, err := os.Open(filepath.Join(d.Dir, FileTimeSeries))
	if !d.optional(FileTimeSeries, err) {
		return
	}
	defer f.Close()
	nodes, buckets, err := ReadTimeSeries(f)
	if !d.optional(FileTimeSeries, err) {
		return
	}
	d.Nodes, d.Buckets = nodes, buckets
}

func (d *Run) loadEvents(lim DigestLimits) {
	f, err := os.Open(filepath.Join(d.Dir, FileEvents))
	if !d.optional(FileEvents, err) {
		return
	}
	defer f.Close()
	d.useEvents(DigestEvents(f, lim))
}

// useEvents takes the digest of events.jsonl and its warnings.
func (d *Run) useEvents(dg *EventDigest, err error) {
	d.Events = dg
	if err != nil {
		d.warnf("%s: %v (later events are not shown)", FileEvents, err)
	}
	if dg.Skipped > 0 {
		d.warnf("%s: skipped %d torn line(s)", FileEvents, dg.Skipped)
	}
	d.Warnings = append(d.Warnings, dg.Warnings...)
}

// settle derives what the files imply together: the time origin, the bucket
// width and the cluster size.
func (d *Run) settle() {
	d.Origin = d.Summary.Start
	switch {
	case d.Events != nil && !d.Events.LoadStart.IsZero():
		d.Origin = d.Events.LoadStart
	case d.Origin.IsZero() && d.Events != nil && !d.Events.First.IsZero():
		d.Origin = d.Events.First
		d.warnf("neither %s nor %s says when the load started; times count from the first event", FileSummary, FileEvents)
	case d.Origin.IsZero():
		d.warnf("%s has no start time; wall-clock times cannot be placed on the run's time axis", FileSummary)
	}
	if d.Nodes == 0 {
		d.Nodes = len(d.Summary.Nodes)
	}
	d.BucketS = bucketWidth(d.Buckets, d.Summary.DurationS)
}

// bucketWidth infers the width of the time series' buckets from their start
// times (every bucket is written, empty or not); a single bucket spans the run.
func bucketWidth(b []Bucket, durationS float64) float64 {
	switch {
	case len(b) == 0:
		return 0
	case len(b) == 1:
		if durationS > b[0].T {
			return durationS - b[0].T
		}
		return 1
	}
	w := b[1].T - b[0].T
	for i := 2; i < len(b); i++ {
		w = min(w, b[i].T-b[i-1].T)
	}
	if w <= 0 {
		return 1
	}
	return w
}

// Seconds is t on the run's time axis: seconds since Origin.
func (d *Run) Seconds(t time.Time) float64 {
	return t.Sub(d.Origin).Seconds()
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// FaultWindows are the fault windows of the run: from events when the
// harness logged any, else from the schedule. A scheduled fault that was
// suppressed never happened, and one whose node was never resolved (Node 0:
// a `node: coordinator` entry the run did not reach) hit no node; neither is
// a window.
func (d *Run) FaultWindows() []FaultWindow {
	if d.Events != nil && len(d.Events.Faults) > 0 {
		return d.Events.Faults
	}
	out := make([]FaultWindow, 0, len(d.Schedule))
	for _, f := range d.Schedule {
		if f.Suppressed != "" || f.Node == 0 {
			continue
		}
		out = append(out, FaultWindow{Node: f.Node, Kind: f.Kind, Start: d.Origin.Add(f.At), End: d.Origin.Add(f.End()), Source: "schedule"})
	}
	return out
}

// NetFaultWindows are the network faults of the run: from events when the
// harness logged any, else from the schedule (suppressed ones left out; one
// never resolved keeps its selectors in What and no nodes in Net).
func (d *Run) NetFaultWindows() []NetFaultWindow {
	if d.Events != nil && len(d.Events.NetFaults) > 0 {
		return d.Events.NetFaults
	}
	var out []NetFaultWindow
	for _, f := range d.Schedule {
		if f.Suppressed != "" || !f.IsNetwork() || f.Net == nil {
			continue
		}
		w := NetFaultWindow{Kind: f.Kind, What: f.Describe(), Start: d.Origin.Add(f.At), End: d.Origin.Add(f.End()), Source: "schedule"}
		if f.Selector == "" {
			w.Net = NetFaultOf(f, 0)
		}
		out = append(out, w)
	}
	return out
}

// NetFaultOf is the event form of a resolved network fault f, numbered id.
func NetFaultOf(f fault.Fault, id int) cluster.NetFault {
	n := cluster.NetFault{ID: id, Via: int(f.Net.Via), Delay: f.Net.Delay, Jitter: f.Net.Jitter, Bandwidth: f.Net.Bandwidth,
		Clients: f.Net.Clients}
	for k := range f.Net.Groups {
		n.Groups = append(n.Groups, f.Net.IDs(k))
	}
	for _, l := range f.Net.Links {
		n.Links = append(n.Links, [2]int{int(l[0]), int(l[1])})
	}
	return n
}

// ReadExperiment reads dir's experiment.yaml: its text, verbatim, and the
// experiment it parses to. The text is returned even when it does not parse
// (err then wraps experiment.ErrInvalidExperiment), so that a report can
// still show it.
func ReadExperiment(dir string) (text []byte, e *experiment.Experiment, err error) {
	text, err = os.ReadFile(filepath.Join(dir, FileExperiment))
	if err != nil {
		return nil, nil, err
	}
	e, err = experiment.Parse(FileExperiment, text)
	return text, e, err
}
