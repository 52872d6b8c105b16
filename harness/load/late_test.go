package load

import (
	"reflect"
	"sync"
	"testing"
)

// TestLateLedgerResolvesAfterOK: late responses are grouped per request in
// the order of their first arrival, and a request is a duplicate only when it
// had ended ok and a late response carried an image — whether the late
// response was reported before or after the request's end.
func TestLateLedgerResolvesAfterOK(t *testing.T) {
	l := NewLateLedger()
	l.Late("c1.ab-2", 3, true) // reported before its call's end was noted
	l.EndedOK("c1.ab-1")
	l.EndedOK("c1.ab-2")
	l.Late("c1.ab-1", 2, true)
	l.Late("c1.ab-1", 2, true)
	l.Late("c1.ab-3", 1, true)  // the call had failed: late, not a duplicate
	l.Late("c1.ab-4", 1, false) // an error answer after an ok call
	l.EndedOK("c1.ab-4")
	l.EndedOK("")
	got := l.Requests()
	want := []LateRequest{
		{ID: "c1.ab-2", Responses: 1, Served: []int{3}, AfterOK: true},
		{ID: "c1.ab-1", Responses: 2, Served: []int{2, 2}, AfterOK: true},
		{ID: "c1.ab-3", Responses: 1, Served: []int{1}},
		{ID: "c1.ab-4", Responses: 1, AfterOK: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Requests() =\n%+v\nwant\n%+v", got, want)
	}
	var dups []string
	for _, r := range got {
		if r.Duplicate() {
			dups = append(dups, r.ID)
		}
	}
	if !reflect.DeepEqual(dups, []string{"c1.ab-2", "c1.ab-1"}) {
		t.Errorf("duplicates %v, want the two requests answered again after an ok", dups)
	}
}

func TestLateLedgerConcurrent(t *testing.T) {
	l := NewLateLedger()
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			for i := range 200 {
				id := "c" + string(rune('a'+c)) + "-" + string(rune('0'+i%10))
				l.EndedOK(id)
				l.Late(id, 1, true)
			}
		})
	}
	wg.Wait()
	rs := l.Requests()
	n := 0
	for _, r := range rs {
		n += r.Responses
		if !r.Duplicate() {
			t.Errorf("%+v: want a duplicate", r)
		}
	}
	if len(rs) != 80 || n != 1600 {
		t.Errorf("%d requests with %d late responses, want 80 with 1600", len(rs), n)
	}
}
