package record

import (
	"fmt"
	"slices"
	"time"

	"stegocloud/harness/load"
)

// MaxSamples is how many example requests the ledger keeps per finding
// (invalid responses, duplicate service), for the checks' evidence.
const MaxSamples = 5

// maxDuplicateIDs bounds the ids of duplicated requests kept for matching
// against the nodes' account; more are counted, not kept.
const maxDuplicateIDs = 1 << 17

// InvalidSample is one request that received responses carrying other
// metadata than was sent.
type InvalidSample struct {
	Seq     uint64
	ID      string
	From    []int // the node of each rejected response; empty when the target did not say
	Invalid int   // rejected responses
	Outcome load.Outcome
	Begin   time.Duration // intended start, from the load start
	End     time.Duration
}

// Duplicates is the clients' account of duplicate service: requests that
// received a response with an image after their valid one, either in the same
// call (load.Result.Duplicates) or late (AddLate).
type Duplicates struct {
	Requests  int      // requests served more than once, each counted once
	IDs       []string // their ids, the first maxDuplicateIDs
	Truncated bool     // more requests than IDs holds
	Samples   []load.LateRequest
}

// invalidLedger counts rejected responses per request.
type invalidLedger struct {
	requests int
	thenOK   int
	byNode   []int // index n: responses from node n; 0: unknown or out of range
	samples  []InvalidSample
}

func (l *invalidLedger) add(res *load.Result, nodes int, begin, end time.Duration) {
	if res.Invalid <= 0 {
		return
	}
	if l.byNode == nil {
		l.byNode = make([]int, nodes+1)
	}
	l.requests++
	if res.Outcome == load.OK {
		l.thenOK++
	}
	known := 0
	for _, n := range res.InvalidFrom {
		if n >= 1 && n <= nodes {
			l.byNode[n]++
			known++
		}
	}
	l.byNode[0] += max(res.Invalid-known, 0)
	if len(l.samples) < MaxSamples {
		l.samples = append(l.samples, InvalidSample{Seq: res.Seq, ID: res.ID, From: slices.Clone(res.InvalidFrom),
			Invalid: res.Invalid, Outcome: res.Outcome, Begin: begin, End: end})
	}
}

// dupLedger collects the requests the clients saw served twice.
type dupLedger struct {
	d    Duplicates
	seen map[string]struct{}
}

func (l *dupLedger) add(id string, sample load.LateRequest) {
	if l.seen == nil {
		l.seen = map[string]struct{}{}
	}
	if id != "" {
		if _, dup := l.seen[id]; dup {
			return
		}
	}
	l.d.Requests++
	if len(l.d.Samples) < MaxSamples {
		l.d.Samples = append(l.d.Samples, sample)
	}
	switch {
	case id == "":
	case len(l.d.IDs) < maxDuplicateIDs:
		l.seen[id] = struct{}{}
		l.d.IDs = append(l.d.IDs, id)
	default:
		l.d.Truncated = true
	}
}

// AddLate records a request that received responses after its call had
// ended (load.LateLedger.Requests), once per request, after every result was
// added and before Close. A late response with an image after a valid one is
// duplicate service; the others are counted as late responses only.
func (r *Recorder) AddLate(l load.LateRequest) {
	if r.closed {
		r.afterEnd++
		return
	}
	r.acct.LateResponses += l.Responses
	r.acct.LateRequests++
	if l.Duplicate() {
		r.dups.add(l.ID, l)
	}
}

// responseWarnings says what the per-request ledgers could not keep.
func (r *Recorder) responseWarnings() []string {
	if !r.dups.d.Truncated {
		return nil
	}
	return []string{fmt.Sprintf("%d requests were served twice; only the first %d ids were matched against the nodes' completions", r.dups.d.Requests, maxDuplicateIDs)}
}
