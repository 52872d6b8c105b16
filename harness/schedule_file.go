package harness

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// ScheduleFile is schedule.json: a run's fault schedule with what produced it.
// Durations are nanoseconds, as everywhere in the run's JSON.
type ScheduleFile struct {
	Seed     int64         `json:"seed"`
	Horizon  time.Duration `json:"horizon"`
	Nodes    int           `json:"nodes"`
	Model    string        `json:"model"` // ModelNone, ModelPeriodic or ModelExplicit
	MinAlive int           `json:"min_alive"`
	Faults   []Fault       `json:"faults"` // in time order, suppressed ones included
}

// Fault models, as ScheduleFile.Model spells them.
const (
	ModelNone     = "none"
	ModelPeriodic = "periodic"
	ModelExplicit = "explicit"
)

// NewScheduleFile runs Schedule and wraps the result for writing.
func NewScheduleFile(e *Experiment, horizon time.Duration, seed int64) (*ScheduleFile, error) {
	faults, err := Schedule(e, horizon, seed)
	if err != nil {
		return nil, err
	}
	model := ModelNone
	switch {
	case len(e.Faults.Schedule) > 0:
		model = ModelExplicit
	case e.Faults.Kind != FaultNone && e.Faults.Probability > 0:
		model = ModelPeriodic
	}
	return &ScheduleFile{Seed: seed, Horizon: horizon, Nodes: e.Cluster.Nodes, Model: model, MinAlive: e.Faults.MinAlive, Faults: faults}, nil
}

// Injected is the faults that are not suppressed.
func (s *ScheduleFile) Injected() []Fault {
	var out []Fault
	for _, f := range s.Faults {
		if f.Suppressed == "" {
			out = append(out, f)
		}
	}
	return out
}

// WriteSchedule writes s as indented JSON; the same schedule always gives the
// same bytes.
func WriteSchedule(w io.Writer, s *ScheduleFile) error {
	c := *s
	if c.Faults == nil {
		c.Faults = []Fault{}
	}
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return fmt.Errorf("writing fault schedule: %w", err)
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("writing fault schedule: %w", err)
	}
	return nil
}

// ReadSchedule reads what WriteSchedule wrote and checks that it is sound:
// known fields only, faults in time order, nodes in range, positive down times.
func ReadSchedule(r io.Reader) (*ScheduleFile, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s ScheduleFile
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("reading fault schedule: %w: %v", ErrBadSchedule, err)
	}
	for i, f := range s.Faults {
		var problem string
		switch {
		case i > 0 && f.At < s.Faults[i-1].At:
			problem = "out of time order"
		case f.Selector == "" && (f.Node < 1 || f.Node > s.Nodes):
			problem = fmt.Sprintf("node %d is not in 1..%d", f.Node, s.Nodes)
		case f.Selector != "" && f.Selector != coordinatorName:
			problem = fmt.Sprintf("unknown selector %q", f.Selector)
		case f.For <= 0:
			problem = fmt.Sprintf("down time %v is not positive", f.For)
		case f.Kind != FaultSilent && f.Kind != FaultCrash && f.Kind != FaultPause:
			problem = fmt.Sprintf("unknown kind %q", f.Kind)
		}
		if problem != "" {
			return nil, fmt.Errorf("reading fault schedule: %w: fault %d: %s", ErrBadSchedule, i, problem)
		}
	}
	return &s, nil
}
