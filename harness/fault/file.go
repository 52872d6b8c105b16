package fault

import (
	"encoding/json"
	"fmt"
	"io"

	"stegocloud/harness/experiment"
)

// WriteSchedule writes a run's fault schedule as schedule.json: an indented
// JSON array of Fault in time order, suppressed faults included, durations in
// nanoseconds (as everywhere in the run's JSON). The same schedule always
// gives the same bytes. The run directory reader (package rundir) reads it as
// []Fault; the seed and experiment that produced it are in run.json and
// experiment.yaml.
func WriteSchedule(w io.Writer, faults []Fault) error {
	if faults == nil {
		faults = []Fault{}
	}
	data, err := json.MarshalIndent(faults, "", "  ")
	if err != nil {
		return fmt.Errorf("writing fault schedule: %w", err)
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("writing fault schedule: %w", err)
	}
	return nil
}

// ReadSchedule reads what WriteSchedule wrote and checks that it is sound:
// known fields only, faults in time order, a node id or a known selector,
// positive down times, known kinds; a network fault has no node and a net
// section of its kind's shape.
func ReadSchedule(r io.Reader) ([]Fault, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var faults []Fault
	if err := dec.Decode(&faults); err != nil {
		return nil, fmt.Errorf("reading fault schedule: %w: %v", ErrBadSchedule, err)
	}
	for i, f := range faults {
		var problem string
		if f.IsNetwork() {
			problem = checkNet(f)
		}
		switch {
		case problem != "":
		case i > 0 && f.At < faults[i-1].At:
			problem = "out of time order"
		case f.At < 0:
			problem = fmt.Sprintf("starts at %v, before the load", f.At)
		case f.IsNetwork():
		case f.Net != nil:
			problem = fmt.Sprintf("a %s fault with a net section", f.Kind)
		case f.Selector == "" && f.Node < 1:
			problem = fmt.Sprintf("node %d is not a node id", f.Node)
		case f.Selector != "" && f.Selector != experiment.CoordinatorName:
			problem = fmt.Sprintf("unknown selector %q", f.Selector)
		case f.For <= 0:
			problem = fmt.Sprintf("down time %v is not positive", f.For)
		case f.Kind != experiment.FaultSilent && f.Kind != experiment.FaultCrash && f.Kind != experiment.FaultPause:
			problem = fmt.Sprintf("unknown kind %q", f.Kind)
		}
		if problem != "" {
			return nil, fmt.Errorf("reading fault schedule: %w: fault %d: %s", ErrBadSchedule, i, problem)
		}
	}
	return faults, nil
}

// Injected is the faults of a schedule that are not suppressed: the ones to
// execute.
func Injected(faults []Fault) []Fault {
	var out []Fault
	for _, f := range faults {
		if f.Suppressed == "" {
			out = append(out, f)
		}
	}
	return out
}
