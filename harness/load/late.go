package load

import (
	"sync"

	"stegocloud/harness/internal/reqid"
)

// LateRequest is a request that received responses after its call had ended:
// a node answered it again (or once more after a retry was answered), or
// answered only after the client had given up.
type LateRequest struct {
	ID        string // request id on the wire
	Responses int    // late responses, error answers included
	Served    []int  // the node of each late response that carried an image, in arrival order
	// AfterOK: the request had ended with a valid response, so every
	// served late response is duplicate service. Without it the late
	// answers came after a failure or a timeout: work the client never used.
	AfterOK bool
}

// Duplicate reports whether the request was served more than once as the
// client saw it: a valid response and, after it, a late one with an image.
func (l LateRequest) Duplicate() bool { return l.AfterOK && len(l.Served) > 0 }

// LateLedger collects late responses per request for a Target whose client
// reports them (cluster.ClientConfig.OnLate). The target calls EndedOK when a
// request ends with a valid response and Late for every late response, from
// any goroutine, in any order; Requests resolves them once the load and the
// cluster have stopped. It keeps one byte per request (reqid.Table) plus an
// entry per request that had late responses.
type LateLedger struct {
	mu    sync.Mutex
	ok    *reqid.Table[bool]
	late  map[string]*LateRequest
	order []string
}

// NewLateLedger returns an empty ledger.
func NewLateLedger() *LateLedger {
	return &LateLedger{ok: reqid.New[bool](), late: map[string]*LateRequest{}}
}

// EndedOK notes that request id ended with a valid response.
func (l *LateLedger) EndedOK(id string) {
	if id == "" {
		return
	}
	l.mu.Lock()
	*l.ok.Slot(id) = true
	l.mu.Unlock()
}

// Late notes a response to request id from node that arrived after the call
// had ended; served says it carried an image.
func (l *LateLedger) Late(id string, node int, served bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.late[id]
	if r == nil {
		r = &LateRequest{ID: id}
		l.late[id] = r
		l.order = append(l.order, id)
	}
	r.Responses++
	if served {
		r.Served = append(r.Served, node)
	}
}

// Requests returns every request with late responses, in the order of their
// first late response, with AfterOK resolved from EndedOK.
func (l *LateLedger) Requests() []LateRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LateRequest, 0, len(l.order))
	for _, id := range l.order {
		r := *l.late[id]
		r.AfterOK, _ = l.ok.Get(id)
		r.Served = append([]int(nil), r.Served...)
		out = append(out, r)
	}
	return out
}
