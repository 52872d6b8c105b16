package harness

import "errors"

// The package's sentinel errors. Each is wrapped with what was being done
// (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrVerdict is returned when a run completed but the checker or a threshold
	// failed it: the results are written, the exit code must say so.
	ErrVerdict = errors.New("the run failed its checks")
)
