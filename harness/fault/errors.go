package fault

import "errors"

// The sentinel errors of package fault. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrBadSchedule is returned when schedule.json cannot be read back.
	ErrBadSchedule = errors.New("malformed fault schedule")

	// ErrNoCoordinator is returned when a fault targets the coordinator but no
	// node is known to coordinate at the time it is due.
	ErrNoCoordinator = errors.New("no coordinator to target")

	// ErrUnresolvable is returned when a network fault names the
	// coordinator and the node coordinating when it is due is named in the
	// fault already (or leaves `others` empty).
	ErrUnresolvable = errors.New("network fault cannot be resolved")
)
