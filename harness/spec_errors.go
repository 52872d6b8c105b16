package harness

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors of the experiment spec, fault schedule, request images and
// load driver. (Kept in their own file so that helpers working on other parts
// of the package in parallel do not collide; fold into errors.go when merged.)
var (
	// ErrInvalidExperiment is wrapped by every problem found in an experiment:
	// syntax, unknown keys, wrong types, out-of-range values, bad matrix.
	ErrInvalidExperiment = errors.New("invalid experiment")

	// ErrEmptyExperiment is returned for a file with no YAML document in it.
	ErrEmptyExperiment = errors.New("experiment file is empty")

	// ErrBadValue marks a value of the wrong form, such as a rate without a
	// unit or a duration written as a bare number.
	ErrBadValue = errors.New("bad value")

	// ErrBadSchedule is returned when schedule.json cannot be read back.
	ErrBadSchedule = errors.New("malformed fault schedule")

	// ErrNoCoordinator is returned when a fault targets the coordinator but no
	// node is known to coordinate at the time it is due.
	ErrNoCoordinator = errors.New("no coordinator to target")

	// ErrNoImages is returned when no usable request image could be found.
	ErrNoImages = errors.New("no request images")

	// ErrBadLoadPlan is returned by the load driver for a plan it cannot run.
	ErrBadLoadPlan = errors.New("invalid load plan")
)

// FieldError is one problem in an experiment, placed as precisely as known:
// "experiments/x.yaml:12: workload.clients: must be ≥ 1, got 0". File and Line
// are set when the experiment came from a file.
type FieldError struct {
	File string
	Line int
	Path string // field path, e.g. "faults.schedule[2].at"; empty for the whole file
	Msg  string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap lets errors.Is(err, ErrInvalidExperiment) hold for every FieldError.
func (e *FieldError) Unwrap() error { return ErrInvalidExperiment }

// badValue is an ErrBadValue whose text is only the explanation, so that it
// reads well after a field path.
type badValue string

func (e badValue) Error() string        { return string(e) }
func (e badValue) Is(target error) bool { return target == ErrBadValue }

func badValuef(format string, a ...any) error { return badValue(fmt.Sprintf(format, a...)) }

// fieldErrors collects FieldErrors; its methods keep validation code short.
type fieldErrors []*FieldError

func (fe *fieldErrors) addf(path, format string, a ...any) {
	*fe = append(*fe, &FieldError{Path: path, Msg: fmt.Sprintf(format, a...)})
}

// join returns nil or every error joined, in the order found.
func (fe fieldErrors) join() error {
	if len(fe) == 0 {
		return nil
	}
	errs := make([]error, len(fe))
	for i, e := range fe {
		errs[i] = e
	}
	return errors.Join(errs...)
}
