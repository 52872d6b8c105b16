package fault

import "time"

// Fault is one entry of a run's fault schedule (schedule.json). Times are
// offsets from the start of the load.
type Fault struct {
	At   time.Duration `json:"at"`   // when the fault starts, from load start
	Node int           `json:"node"` // node id, from 1; 0 while Selector is unresolved, and for network faults
	Kind string        `json:"kind"` // silent | crash | pause, or a network kind (Net)
	For  time.Duration `json:"for"`  // how long the node stays down (the network fault lasts)

	// Selector is "coordinator" for a fault that targets whichever node
	// coordinates when it is due (Resolve fills Node then); empty when the
	// schedule names the node.
	Selector string `json:"selector,omitempty"`
	// Suppressed says why this fault is not injected (e.g. min_alive would be
	// violated); such faults stay in the schedule so that nothing is hidden.
	Suppressed string `json:"suppressed,omitempty"`
	// Net is what a network fault does to the links; nil for node faults.
	Net *Net `json:"net,omitempty"`
}

// End is when the node is due back.
func (f Fault) End() time.Duration { return f.At + f.For }
