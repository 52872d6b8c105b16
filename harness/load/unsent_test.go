package load

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRequestsAfterTheStopAreUnsent: a request vegeta hands over after the
// load was stopped never reaches the Target and comes back Unsent (issue 15:
// it was Failed, and so counted as failed and lost), with the stop's cause,
// and its client slot stays free. vegeta reads it as a request that got no
// response (code 0), not as a 502.
func TestRequestsAfterTheStopAreUnsent(t *testing.T) {
	run, stop := context.WithCancelCause(context.Background())
	stop(errors.New("interrupt signal received"))
	var calls atomic.Int64
	tr := newTransport(run, Plan{Clients: 1, Requests: 2, MaxDuration: time.Minute}, blockingTarget(&calls), nil)
	for seq := range uint64(2) {
		rr := Result{Seq: seq}
		tr.serve(context.Background(), &rr)
		if rr.Outcome != Unsent || !strings.Contains(rr.Reason, "interrupt signal received") {
			t.Errorf("request %d after the stop: outcome %v, reason %q; want unsent, naming the cause", seq, rr.Outcome, rr.Reason)
		}
		if code, _ := statusOf(&rr); code != 0 {
			t.Errorf("vegeta status of an unsent request = %d, want 0 (no response)", code)
		}
	}
	if calls.Load() != 0 || tr.notSent.Load() != 2 || len(tr.slots) != 1 {
		t.Errorf("target calls %d, not sent %d, free slots %d; want 0, 2, 1", calls.Load(), tr.notSent.Load(), len(tr.slots))
	}
	if Unsent.String() != "unsent" {
		t.Errorf("Unsent.String() = %q", Unsent.String())
	}
	var _ http.RoundTripper = tr
}
