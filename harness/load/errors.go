package load

import "errors"

// The sentinel errors of package load. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrNoImages is returned when no usable request image could be found.
	ErrNoImages = errors.New("no request images")

	// ErrBadLoadPlan is returned by the load driver for a plan it cannot run.
	ErrBadLoadPlan = errors.New("invalid load plan")

	// ErrInconsistentAnswer is what VerifyView and VerifyOnline wrap: the
	// cluster's answer contradicts what the client knows about the image
	// (its users and quota) or the table's rules.
	ErrInconsistentAnswer = errors.New("inconsistent answer")
)
