package check

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/analyze"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/load"
	"stegocloud/harness/record"
	"stegocloud/harness/rundir"
	"stegocloud/stego"
)

func TestResponsesValid(t *testing.T) {
	verified := synth.OK(0, 0, time.Millisecond, 1)
	unverified := synth.OK(1, 0, time.Millisecond, 1)
	unverified.Verified = false
	retried := synth.OK(2, time.Second, 300*time.Millisecond, 1)
	retried.ID, retried.Invalid, retried.InvalidFrom, retried.Attempts = "c1-3", 1, []int{2}, 2
	failed := synth.OK(3, 2*time.Second, time.Second, 0)
	failed.ID, failed.Outcome, failed.Reason, failed.Verified = "c1-4", load.Failed, "invalid response", false
	failed.Invalid, failed.InvalidFrom, failed.Attempts = 2, []int{2, 3}, 2
	tests := []struct {
		name    string
		results []load.Result
		pass    bool
		detail  string
		ev      []rundir.Evidence
	}{
		{"all verified", []load.Result{verified}, true, "1 of 1 ok responses verified; no response carried other metadata than was sent", nil},
		{"an unverified ok", []load.Result{verified, unverified}, false,
			"1 of 2 ok responses verified; 1 ok without a verified match, want 0; no response carried other metadata than was sent", nil},
		{"a rejected response, then a valid retry", []load.Result{verified, retried}, false,
			"2 of 2 ok responses verified; 1 responses in 1 requests carried other metadata than was sent, want 0 (1 of those requests were then answered validly, 0 were not); sent by node 2 (1): c1-3",
			[]rundir.Evidence{{Kind: rundir.EvidenceInvalid, FromS: 1, ToS: 1.3, Nodes: []int{2}, Count: 1, Requests: []string{"c1-3"}, Outcome: "ok"}}},
		{"rejected responses and no valid one", []load.Result{verified, retried, failed}, false,
			"2 of 2 ok responses verified; 3 responses in 2 requests carried other metadata than was sent, want 0 (1 of those requests were then answered validly, 1 were not); sent by node 2 (2), node 3 (1): c1-3, c1-4",
			[]rundir.Evidence{
				{Kind: rundir.EvidenceInvalid, FromS: 1, ToS: 1.3, Nodes: []int{2}, Count: 1, Requests: []string{"c1-3"}, Outcome: "ok"},
				{Kind: rundir.EvidenceInvalid, FromS: 2, ToS: 3, Nodes: []int{2, 3}, Count: 2, Requests: []string{"c1-4"}, Outcome: "failed"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ResponsesValid(accounting(t, tc.results...))
			if c.Name != "responses_valid" || c.Pass != tc.pass || c.Detail != tc.detail {
				t.Errorf("ResponsesValid = %+v\nwant pass %v, detail %q", c, tc.pass, tc.detail)
			}
			if !reflect.DeepEqual(roundEvidence(c.Evidence), tc.ev) {
				t.Errorf("evidence = %+v\nwant %+v", c.Evidence, tc.ev)
			}
		})
	}
}

// fakeCluster stands in for the cluster client at the load level: it
// "receives" responses from nodes and checks each, as the client does.
type fakeCluster struct {
	corrupt map[uint64]int // seq → node whose first answer carries other metadata
	twice   map[uint64]int // seq → node that answers again after the valid answer
	late    *load.LateLedger
}

func (f *fakeCluster) Do(_ context.Context, req *load.Request) load.Response {
	id := fmt.Sprintf("c0.fake-%d", req.Seq+1)
	resp := load.Response{ID: id, Attempts: 1}
	answers := []struct {
		node int
		meta stego.Metadata
	}{{1, req.Meta}}
	if n, ok := f.corrupt[req.Seq]; ok {
		bad := req.Meta
		bad.Quota++
		answers = append([]struct {
			node int
			meta stego.Metadata
		}{{n, bad}}, answers...)
		resp.Attempts = 2 // the client retries after the wrong answer
	}
	for _, a := range answers {
		if !reflect.DeepEqual(a.meta, req.Meta) {
			resp.Invalid++
			resp.InvalidFrom = append(resp.InvalidFrom, a.node)
			continue
		}
		resp.Outcome, resp.Verified, resp.Node = load.OK, true, a.node
		f.late.EndedOK(id)
		break
	}
	if n, ok := f.twice[req.Seq]; ok {
		f.late.Late(id, n, true) // arrives after the call has returned
	}
	return resp
}

type metaSource struct{}

func (metaSource) Request(seq uint64) ([]byte, stego.Metadata) {
	return nil, stego.Metadata{Usernames: []string{fmt.Sprint("user", seq)}, Quota: 5}
}

// runFaulty drives 20 requests against a faulty target and records them the
// way a run does, late answers included.
func runFaulty(t *testing.T, f *fakeCluster) (record.Accounting, *rundir.Summary) {
	t.Helper()
	f.late = load.NewLateLedger()
	rec, err := record.New(record.Config{Start: time.Now(), Nodes: 3, Expected: 20})
	if err != nil {
		t.Fatal(err)
	}
	d := &load.Driver{Plan: load.Plan{Name: "faulty", Clients: 2, Requests: 20, MaxDuration: time.Minute},
		Target: f, Source: metaSource{}, OnResult: rec.Add}
	if _, err := d.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, l := range f.late.Requests() {
		rec.AddLate(l)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := rec.Summarize(&s); err != nil {
		t.Fatal(err)
	}
	return rec.Accounting(), &s
}

// TestFaultyTargets: a target whose node answers one request with the wrong
// metadata, then validly on the retry, fails responses_valid although every
// request succeeded; one whose node answers a request twice makes the
// duplicates metric 1.
func TestFaultyTargets(t *testing.T) {
	acct, s := runFaulty(t, &fakeCluster{})
	if c := ResponsesValid(acct); !c.Pass || s.Requests.Duplicates != 0 || s.Requests.OK != 20 {
		t.Fatalf("a sound target: %+v, %d duplicates, %d ok; want a pass, 0, 20", c, s.Requests.Duplicates, s.Requests.OK)
	}

	acct, s = runFaulty(t, &fakeCluster{corrupt: map[uint64]int{7: 2}})
	c := ResponsesValid(acct)
	if c.Pass || s.Requests.OK != 20 || s.Requests.Invalid != 1 || len(c.Evidence) != 1 ||
		!slices.Equal(c.Evidence[0].Nodes, []int{2}) || c.Evidence[0].Requests[0] != "c0.fake-8" || c.Evidence[0].Outcome != "ok" {
		t.Errorf("a wrong answer, then a valid retry: %+v (%d ok, %d invalid); want a failure naming c0.fake-8 and node 2", c, s.Requests.OK, s.Requests.Invalid)
	}

	acct, s = runFaulty(t, &fakeCluster{twice: map[uint64]int{4: 3}})
	if c := ResponsesValid(acct); !c.Pass {
		t.Errorf("a duplicate answer is not an invalid one: %+v", c)
	}
	if s.Requests.Duplicates != 1 || s.Requests.DuplicatesClient != 1 || s.Requests.LateResponses != 1 ||
		CountDuplicates(acct, nil) != 1 || !slices.Equal(acct.Duplicates.IDs, []string{"c0.fake-5"}) {
		t.Errorf("a request answered twice: counts %+v, ids %v; want 1 duplicate, c0.fake-5", s.Requests, acct.Duplicates.IDs)
	}
}

// TestCountDuplicates: the clients' and the nodes' accounts are joined by
// request id, each request counted once.
func TestCountDuplicates(t *testing.T) {
	twice := synth.OK(0, 0, time.Millisecond, 1)
	twice.ID, twice.Duplicates = "c1-1", 1
	acct := accounting(t, twice, synth.OK(1, 0, time.Millisecond, 2))
	complete := func(ms, node int, id, reason string) cluster.Event {
		e := synth.Ev(ms, node, cluster.EvComplete)
		e.Request, e.Reason = id, reason
		return e
	}
	nodes := analyzed(t, nil, synth.Steady(), []cluster.Event{
		complete(10, 1, "c1-1", ""), complete(20, 2, "c1-1", ""), // both accounts
		complete(30, 2, "c1-2", ""), complete(40, 2, "c1-2", ""), // the same node served a retry again
		complete(50, 3, "c1-3", ""), complete(60, 1, "c1-3", "unavailable"), // the second failed: not served twice
		complete(70, 3, "c1-4", ""),
	})
	if nodes.Duplicates.Requests != 2 || !slices.Equal(nodes.Duplicates.IDs, []string{"c1-1", "c1-2"}) {
		t.Errorf("nodes' duplicates = %+v, want c1-1 and c1-2", nodes.Duplicates)
	}
	if got := CountDuplicates(acct, nodes); got != 2 {
		t.Errorf("CountDuplicates = %d, want 2 (c1-1 in both accounts, c1-2 in the nodes')", got)
	}
	if got := CountDuplicates(acct, &analyze.Analysis{}); got != 1 {
		t.Errorf("CountDuplicates without the nodes' account = %d, want 1", got)
	}
}
