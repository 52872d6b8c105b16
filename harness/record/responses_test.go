package record

import (
	"reflect"
	"testing"
	"time"

	"stegocloud/harness/internal/synth"
	"stegocloud/harness/load"
	"stegocloud/harness/rundir"
)

// TestRecorderInvalidPerRequest: rejected responses are counted per request
// and per sending node, with the first requests kept as samples, whether the
// request then succeeded on a retry or failed.
func TestRecorderInvalidPerRequest(t *testing.T) {
	retried := synth.OK(0, time.Second, 200*time.Millisecond, 1)
	retried.ID, retried.Invalid, retried.InvalidFrom, retried.Attempts = "c0-1", 1, []int{2}, 2
	failed := synth.OK(1, 2*time.Second, time.Second, 0)
	failed.ID, failed.Outcome, failed.Reason, failed.Verified = "c0-2", load.Failed, "invalid response", false
	failed.Invalid, failed.InvalidFrom = 3, []int{2, 2, 9} // node 9 is not in the cluster
	unsaid := synth.OK(2, 3*time.Second, time.Millisecond, 1)
	unsaid.ID, unsaid.Invalid = "c0-3", 1 // a target that does not say who sent it
	r := newRecorder(t, Config{})
	for _, res := range []load.Result{synth.OK(3, 0, time.Millisecond, 1), retried, failed, unsaid} {
		r.Add(res)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	a := r.Accounting()
	if a.Invalid != 5 || a.InvalidRequests != 3 || a.InvalidThenOK != 2 {
		t.Errorf("invalid %d in %d requests, %d then ok; want 5 in 3, 2 then ok", a.Invalid, a.InvalidRequests, a.InvalidThenOK)
	}
	if want := []int{2, 0, 3, 0}; !reflect.DeepEqual(a.InvalidByNode, want) {
		t.Errorf("InvalidByNode = %v, want %v (index 0: unknown or out of range)", a.InvalidByNode, want)
	}
	want := []InvalidSample{
		{Seq: 0, ID: "c0-1", From: []int{2}, Invalid: 1, Outcome: load.OK, Begin: time.Second, End: 1200 * time.Millisecond},
		{Seq: 1, ID: "c0-2", From: []int{2, 2, 9}, Invalid: 3, Outcome: load.Failed, Begin: 2 * time.Second, End: 3 * time.Second},
		{Seq: 2, ID: "c0-3", Invalid: 1, Outcome: load.OK, Begin: 3 * time.Second, End: 3001 * time.Millisecond},
	}
	if !reflect.DeepEqual(a.InvalidSamples, want) {
		t.Errorf("samples =\n%+v\nwant\n%+v", a.InvalidSamples, want)
	}
}

// TestRecorderDuplicatesPerRequest: a request counts once as a duplicate
// however many extra answers it got, from the result or from late responses;
// late responses after a failure are counted as late only.
func TestRecorderDuplicatesPerRequest(t *testing.T) {
	twice := synth.OK(0, 0, time.Millisecond, 1)
	twice.ID, twice.Duplicates = "c0-1", 2
	r := newRecorder(t, Config{})
	r.Add(twice)
	r.Add(synth.OK(1, 0, time.Millisecond, 1))
	r.AddLate(load.LateRequest{ID: "c0-1", Responses: 1, Served: []int{3}, AfterOK: true}) // already counted
	r.AddLate(load.LateRequest{ID: "c0-2", Responses: 2, Served: []int{1, 1}, AfterOK: true})
	r.AddLate(load.LateRequest{ID: "c0-3", Responses: 1, Served: []int{2}}) // after a timeout
	r.AddLate(load.LateRequest{ID: "c0-4", Responses: 1, AfterOK: true})    // an error answer
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r.AddLate(load.LateRequest{ID: "c0-5", Responses: 1, Served: []int{2}, AfterOK: true}) // after Close: ignored
	a := r.Accounting()
	if a.Duplicates.Requests != 2 || !reflect.DeepEqual(a.Duplicates.IDs, []string{"c0-1", "c0-2"}) || a.Duplicates.Truncated {
		t.Errorf("duplicates = %+v, want c0-1 and c0-2", a.Duplicates)
	}
	if a.LateResponses != 5 || a.LateRequests != 4 {
		t.Errorf("late: %d responses for %d requests, want 5 for 4", a.LateResponses, a.LateRequests)
	}
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	if c := s.Requests; c.Duplicates != 2 || c.DuplicatesClient != 2 || c.LateResponses != 5 {
		t.Errorf("counts %+v: want 2 duplicated requests (clients' account) and 5 late responses", c)
	}
}
