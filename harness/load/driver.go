package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"stegocloud/stego"
)

// Request is one request the load driver hands to a Target.
type Request struct {
	Seq    uint64         // order of issue, from 0 (vegeta's sequence number)
	Client int            // the client slot it occupies while in flight, from 0
	Image  []byte         // cover image (PNG or JPEG); shared between requests: read only
	Meta   stego.Metadata // what to hide in it
}

// Response is a Target's account of one request.
type Response struct {
	ID         string // request id on the wire
	Node       int    // node that served the accepted response; 0 if none
	Outcome    Outcome
	Reason     string // why it failed or timed out; empty when OK
	Attempts   int    // sends under this id (1 + retries)
	Duplicates int    // valid responses after the first
	Verified   bool   // the accepted response's hidden metadata was extracted and equals Request.Meta
	Invalid    int    // responses rejected by verification (wrong, missing or unreadable metadata)
	BytesOut   int    // bytes sent; 0: the driver counts len(Image)
	BytesIn    int    // bytes received

	// InvalidFrom is the node of each rejected response (Invalid of them),
	// in arrival order; nil when the target does not know.
	InvalidFrom []int
}

// Target serves requests; the cluster client is one. Do is called from many
// goroutines at once and must return promptly once ctx is done — that is how
// the per-request timeout, max_duration and Ctrl-C reach the request.
type Target interface {
	Do(ctx context.Context, req *Request) Response
}

// TargetFunc adapts a function to Target.
type TargetFunc func(ctx context.Context, req *Request) Response

// Do calls f.
func (f TargetFunc) Do(ctx context.Context, req *Request) Response { return f(ctx, req) }

// NopTarget answers every request OK (and Verified) at once: with it, a run
// measures the load driver alone.
type NopTarget struct{}

// Do returns OK without doing anything.
func (NopTarget) Do(context.Context, *Request) Response {
	return Response{Node: 1, Outcome: OK, Attempts: 1, Verified: true}
}

// RequestSource gives the image and metadata of request seq; ImagePool is one.
// It is called from many goroutines at once.
type RequestSource interface {
	Request(seq uint64) (image []byte, meta stego.Metadata)
}

// Driver runs one load against a Target: vegeta paces the requests, a custom
// http.RoundTripper hands each one to the Target, and every request that
// vegeta issued comes back as exactly one Result.
type Driver struct {
	Plan   Plan
	Target Target
	Source RequestSource // nil: requests carry no image and empty metadata

	// OnResult receives every request, in completion order, from a single
	// goroutine, so a recorder needs no locking. It should be quick: a slow
	// consumer holds back the workers, and open-loop latency will show it.
	OnResult func(Result)

	// Results, if set, receives vegeta's results as a gob stream (results.gob)
	// that `vegeta report` and `vegeta plot` read. Timestamps and latencies
	// there are the driver's: measured from each request's intended start.
	Results io.Writer
}

// Stats describes how a load ended.
type Stats struct {
	Mode     string    // ModeClosed or ModeOpen
	Began    time.Time // the attack's start; open-loop intended times count from it
	Ended    time.Time // when the last result was delivered
	Requests uint64    // results delivered: every request vegeta issued
	NotSent  uint64    // issued after the load was stopped; reported Unsent without reaching the Target
	Stopped  string    // StopComplete, StopCancelled or StopMaxDuration
	// SlowIntended counts intended times recomputed from the pacer because
	// the driver's record of them had moved on (a diagnostic; expect 0).
	SlowIntended uint64
}

// Why a load ended.
const (
	StopComplete    = "complete"     // every planned request was issued and answered
	StopCancelled   = "cancelled"    // the caller's context ended (Ctrl-C)
	StopMaxDuration = "max_duration" // the hard time bound cut the load short
)

// vegeta's name for the synthetic URL; no network is involved.
const targetURL = "stegocloud://cluster/encrypt"

// Run drives the load until the plan is done, ctx is cancelled or
// Plan.MaxDuration passes, and returns once every issued request has been
// delivered to OnResult. The error reports a bad plan or a failure to write
// Results; the load itself never errors, its requests do.
func (d *Driver) Run(ctx context.Context) (Stats, error) {
	if err := d.Plan.validate(); err != nil {
		return Stats{}, err
	}
	if d.Target == nil {
		return Stats{}, fmt.Errorf("%w: no target", ErrBadLoadPlan)
	}
	run, cancel := context.WithTimeout(ctx, d.Plan.MaxDuration)
	defer cancel()

	tr := newTransport(run, d.Plan, d.Target, d.Source)
	atk := vegeta.NewAttacker(
		vegeta.Client(&http.Client{Transport: tr}),
		vegeta.MaxBody(0), // synthetic responses have no body; never keep one
		vegeta.Workers(d.Plan.initialWorkers()),
		vegeta.MaxWorkers(uint64(d.Plan.Clients)),
	)
	stopWatch := context.AfterFunc(run, func() { atk.Stop() })
	defer stopWatch()

	stats := Stats{Mode: d.Plan.Mode()}
	var out *bufio.Writer
	var enc vegeta.Encoder
	if d.Results != nil {
		out = bufio.NewWriterSize(d.Results, 64<<10)
		enc = vegeta.NewEncoder(out)
	}
	var encErr error
	stats.Began = time.Now()
	for res := range atk.Attack(targeter, tr.pacer, d.Plan.MaxDuration, d.Plan.Name) {
		rr := tr.take(res)
		stampVegetaResult(res, &rr)
		if enc != nil && encErr == nil {
			encErr = enc.Encode(res)
		}
		if d.OnResult != nil {
			d.OnResult(rr)
		}
		stats.Requests++
	}
	stats.Ended = time.Now()
	if b := tr.began(); !b.IsZero() {
		stats.Began = b
	}
	stats.NotSent, stats.SlowIntended = tr.notSent.Load(), tr.slowIntended()
	stats.Stopped = stopReason(ctx, run)
	if out != nil && encErr == nil {
		encErr = out.Flush()
	}
	if encErr != nil {
		return stats, fmt.Errorf("writing vegeta results: %w", encErr)
	}
	return stats, nil
}

func targeter(t *vegeta.Target) error {
	t.Method, t.URL = http.MethodPost, targetURL
	return nil
}

func stopReason(caller, run context.Context) string {
	switch {
	case caller.Err() != nil:
		return StopCancelled
	case errors.Is(run.Err(), context.DeadlineExceeded):
		return StopMaxDuration
	}
	return StopComplete
}

// stampVegetaResult makes vegeta's record agree with the driver's: timed
// from the intended start, with the target's byte counts, no body or headers
// (they would only bloat results.gob), and a status that vegeta report
// counts the way the harness does.
func stampVegetaResult(res *vegeta.Result, rr *Result) {
	res.Timestamp = rr.Intended
	res.Latency = rr.Latency
	res.BytesIn, res.BytesOut = uint64(max(rr.BytesIn, 0)), uint64(max(rr.BytesOut, 0))
	res.Body, res.Headers = nil, nil
	res.Code, res.Error = statusOf(rr)
}

// statusOf maps an outcome onto an HTTP-like code for vegeta's reports.
func statusOf(rr *Result) (uint16, string) {
	switch rr.Outcome {
	case OK:
		return http.StatusOK, ""
	case TimedOut:
		return http.StatusGatewayTimeout, "timeout: " + rr.Reason
	case Unsent:
		return 0, rr.Reason // no response: vegeta's code for a request that got none
	}
	return http.StatusBadGateway, "failed: " + rr.Reason
}
