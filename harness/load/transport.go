package load

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"stegocloud/stego"
)

// transport is the http.RoundTripper vegeta sends through. It never
// touches the network: it turns vegeta's request into a Request, hands it to
// the Target, files the Result under vegeta's sequence number for the
// driver's consumer loop, and answers with a synthetic response.
type transport struct {
	run     context.Context // ends when the load must stop
	target  Target
	source  RequestSource
	timeout time.Duration
	pacer   vegeta.Pacer
	open    *openPacer // nil for a closed loop
	slots   chan int   // free client slots

	mu      sync.Mutex
	pending map[uint64]Result // results the consumer has not taken yet

	notSent atomic.Uint64
}

var _ http.RoundTripper = (*transport)(nil)

func newTransport(run context.Context, plan Plan, target Target, source RequestSource) *transport {
	t := &transport{
		run:     run,
		target:  target,
		source:  source,
		timeout: plan.RequestTimeout,
		slots:   make(chan int, plan.Clients),
		pending: make(map[uint64]Result, 2*plan.Clients),
	}
	for i := range plan.Clients {
		t.slots <- i
	}
	if plan.Pacer != nil {
		t.open = newOpenPacer(plan.Pacer, plan.Duration, plan.Clients, run.Done())
		t.pacer = t.open
	} else {
		t.pacer = closedPacer{total: plan.Requests}
	}
	return t
}

// RoundTrip serves one request. It always answers: whatever happens to the
// request is in the Result, and the synthetic status mirrors it.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	seq, err := strconv.ParseUint(req.Header.Get("X-Vegeta-Seq"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: request without a vegeta sequence number", ErrBadLoadPlan)
	}
	start := time.Now()
	rr := Result{Seq: seq, Start: start, Intended: t.intended(seq, start)}
	t.serve(req.Context(), &rr)
	rr.Latency = time.Since(rr.Intended)
	code, status := statusOf(&rr)
	t.mu.Lock()
	t.pending[seq] = rr
	t.mu.Unlock()
	return &http.Response{
		Status:     strconv.Itoa(int(code)) + " " + orText(status, "OK"),
		StatusCode: int(code),
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Body:    http.NoBody,
		Request: req,
	}, nil
}

// serve runs the request on a client slot and fills rr from the Target's
// response. A request vegeta issues after the load was stopped is not sent:
// it is Unsent, whether it found the load stopped or stopped waiting for a
// client.
func (t *transport) serve(reqCtx context.Context, rr *Result) {
	var slot int
	select {
	case <-t.run.Done():
		t.unsent(rr)
		return
	case slot = <-t.slots:
	}
	if t.run.Err() != nil { // the load stopped as the client came free
		t.slots <- slot
		t.unsent(rr)
		return
	}
	defer func() { t.slots <- slot }()
	rr.Client = slot
	var image []byte
	var meta stego.Metadata
	if t.source != nil {
		image, meta = t.source.Request(rr.Seq)
	}
	ctx, cancel := t.requestContext(reqCtx)
	resp := t.target.Do(ctx, &Request{Seq: rr.Seq, Client: slot, Image: image, Meta: meta})
	ctxErr := ctx.Err()
	cancel()

	rr.ID, rr.Node, rr.Attempts, rr.Duplicates = resp.ID, resp.Node, resp.Attempts, resp.Duplicates
	rr.Verified, rr.Invalid, rr.InvalidFrom = resp.Verified, resp.Invalid, resp.InvalidFrom
	rr.BytesOut, rr.BytesIn = resp.BytesOut, resp.BytesIn
	if rr.BytesOut == 0 {
		rr.BytesOut = len(image)
	}
	rr.Outcome, rr.Reason = resp.Outcome, resp.Reason
	switch {
	case rr.Outcome > TimedOut:
		rr.Outcome, rr.Reason = Failed, fmt.Sprintf("target returned unknown outcome %d", resp.Outcome)
	case rr.Outcome != OK && rr.Reason == "" && ctxErr != nil:
		rr.Reason = ctxErr.Error()
	case rr.Outcome != OK && rr.Reason == "":
		rr.Reason = "target gave no reason"
	case rr.Outcome == OK:
		rr.Reason = ""
	}
}

func (t *transport) unsent(rr *Result) {
	t.notSent.Add(1)
	rr.Outcome, rr.Reason = Unsent, "not sent: load stopped ("+context.Cause(t.run).Error()+")"
}

// requestContext ends when the load stops, when the request's deadline
// passes, or when vegeta's own request context ends.
func (t *transport) requestContext(reqCtx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := t.run, context.CancelFunc(func() {})
	if t.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
	}
	if reqCtx.Done() == nil {
		return ctx, cancel
	}
	ctx, cancelMerged := context.WithCancel(ctx)
	stop := context.AfterFunc(reqCtx, cancelMerged)
	return ctx, func() { stop(); cancelMerged(); cancel() }
}

func (t *transport) intended(seq uint64, start time.Time) time.Time {
	if t.open == nil {
		return start
	}
	if due := t.open.intended(seq); due.Before(start) {
		return due
	}
	return start
}

// take returns the Result filed for vegeta's result, or builds one
// from vegeta's error when the request never reached the transport.
func (t *transport) take(res *vegeta.Result) Result {
	t.mu.Lock()
	rr, ok := t.pending[res.Seq]
	delete(t.pending, res.Seq)
	t.mu.Unlock()
	if ok {
		return rr
	}
	return Result{
		Seq: res.Seq, Intended: res.Timestamp, Start: res.Timestamp, Latency: res.Latency,
		Outcome: Failed, Reason: "load driver: " + orText(res.Error, "no result recorded"),
	}
}

func (t *transport) began() time.Time {
	if t.open == nil {
		return time.Time{}
	}
	return t.open.began()
}

func (t *transport) slowIntended() uint64 {
	if t.open == nil {
		return 0
	}
	return t.open.slow.Load()
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
