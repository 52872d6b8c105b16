package cluster

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestEventLogRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(0, 42)
	l := NewEventLog(&buf, func() time.Time { return now })
	l.Emit(Event{Node: 1, Type: EvStart, State: "active"})
	l.Emit(Event{Time: 7, Node: 2, Type: EvElectionResult, Epoch: 513, Coordinator: 2, Loads: map[int]float64{1: 0.5, 2: 0.25}})
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	var got []Event
	skipped, err := ReadEvents(&buf, func(e Event) error { got = append(got, e); return nil })
	if err != nil || skipped != 0 {
		t.Fatalf("ReadEvents: skipped %d, err %v", skipped, err)
	}
	if len(got) != 2 || got[0].Time != 42 || got[1].Time != 7 || got[1].Loads[2] != 0.25 {
		t.Errorf("round trip: got %+v", got)
	}
	var nilLog *EventLog
	nilLog.Emit(Event{Type: EvStop}) // a nil log discards, never panics
	if err := nilLog.Flush(); err != nil {
		t.Errorf("nil log Flush: %v", err)
	}
}

func TestReadEventsTornAndBadLines(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		events      int
		skipped     int
		wantErrLine string
	}{
		{"clean", "{\"t\":1,\"node\":1,\"type\":\"start\"}\n\n{\"t\":2,\"node\":1,\"type\":\"stop\"}\n", 2, 0, ""},
		{"torn last line", "{\"t\":1,\"node\":1,\"type\":\"start\"}\n{\"t\":2,\"no", 1, 1, ""},
		{"bad middle line", "{\"t\":1,\"node\":1,\"type\":\"start\"}\ngarbage\n{\"t\":2,\"node\":1,\"type\":\"stop\"}\n", 1, 1, "line 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			skipped, err := ReadEvents(strings.NewReader(tc.in), func(Event) error { n++; return nil })
			if tc.wantErrLine == "" && err != nil || tc.wantErrLine != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErrLine)) {
				t.Errorf("err = %v, want one naming %q", err, tc.wantErrLine)
			}
			if n != tc.events || skipped != tc.skipped {
				t.Errorf("events %d skipped %d, want %d and %d", n, skipped, tc.events, tc.skipped)
			}
		})
	}
}

// FuzzReadEvents: an events file is written by processes that may be killed
// mid-line; reading any bytes must never panic.
func FuzzReadEvents(f *testing.F) {
	f.Add([]byte("{\"t\":1,\"node\":1,\"type\":\"start\"}\n"))
	f.Add([]byte("{\"t\":1,\"node\":1,\"type\":\"election_result\",\"loads\":{\"1\":0.5}}\n{\"t\""))
	f.Add([]byte("\n\n{}\n[]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadEvents(bytes.NewReader(b), func(Event) error { return nil })
	})
}
