package experiment

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
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
