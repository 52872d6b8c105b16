package record

import "errors"

// The sentinel errors of package record. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrRecorderConfig reports a Config that cannot describe a run
	// (no nodes, a negative bucket width, a fault on a node that does not exist).
	ErrRecorderConfig = errors.New("invalid recorder configuration")

	// ErrRecorderOpen reports a read of the recorder's results before Close.
	ErrRecorderOpen = errors.New("recorder not closed")
)
