package experiment

import "errors"

// The sentinel errors of the experiment stage. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrInvalidExperiment is wrapped by every problem found in an experiment:
	// syntax, unknown keys, wrong types, out-of-range values, bad matrix.
	ErrInvalidExperiment = errors.New("invalid experiment")

	// ErrEmptyExperiment is returned for a file with no YAML document in it.
	ErrEmptyExperiment = errors.New("experiment file is empty")

	// ErrBadValue marks a value of the wrong form, such as a rate without a
	// unit or a duration written as a bare number.
	ErrBadValue = errors.New("bad value")
)
