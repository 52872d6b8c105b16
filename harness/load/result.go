package load

import "time"

// Outcome is how a request ended. Every request ends in exactly one.
type Outcome uint8

const (
	OK       Outcome = iota // a valid response carrying the metadata that was sent
	Failed                  // an error response, an invalid response, or no node reachable
	TimedOut                // no valid response before the request's deadline
	// Unsent: issued by the pacer after the load was stopped (Ctrl-C,
	// max_duration) and never sent. It is the driver's outcome only; a
	// Target never returns it.
	Unsent
)

func (o Outcome) String() string {
	switch o {
	case OK:
		return "ok"
	case Failed:
		return "failed"
	case TimedOut:
		return "timeout"
	case Unsent:
		return "unsent"
	}
	return "unknown"
}

// Result is one request as the load driver saw it; the recorder and the
// checker consume a stream of them.
type Result struct {
	Seq        uint64        // order of issue, from 0
	ID         string        // request id on the wire ("" for targets without one)
	Client     int           // which client (worker) sent it, from 0
	Intended   time.Time     // when it was due: the pacer's schedule (open loop) or its issue time (closed loop)
	Start      time.Time     // when it was actually sent
	Latency    time.Duration // from Intended to the valid response or the final error
	Outcome    Outcome
	Reason     string // why it failed or timed out; empty when OK
	Node       int    // node that served the accepted response; 0 if none
	Attempts   int    // sends under this id (1 + retries)
	Duplicates int    // valid responses after the first
	Verified   bool   // the accepted response's hidden metadata was extracted and equals what was sent
	Invalid    int    // responses under this id rejected by verification (wrong, missing or unreadable metadata)
	BytesOut   int
	BytesIn    int

	// InvalidFrom is the node of each rejected response (Invalid of them),
	// in arrival order; nil when none or when the target does not know.
	InvalidFrom []int
}
