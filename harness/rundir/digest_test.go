package rundir

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
)

var digestT0 = time.Date(2026, 3, 14, 14, 23, 0, 0, time.UTC)

// ev is an event at ms milliseconds after digestT0.
func ev(ms int, e cluster.Event) cluster.Event {
	e.Time = digestT0.Add(time.Duration(ms) * time.Millisecond).UnixNano()
	return e
}

func at(ms int) time.Time {
	return time.Unix(0, digestT0.Add(time.Duration(ms)*time.Millisecond).UnixNano())
}

func digestOf(events []cluster.Event) *EventDigest {
	g := NewDigester(DefaultDigestLimits)
	for _, e := range events {
		g.Add(e)
	}
	return g.Finish()
}

func TestDigestElections(t *testing.T) {
	tests := []struct {
		name      string
		events    []cluster.Event
		elections []Election
		periods   []CoordinatorPeriod
		warning   string // a substring one warning must contain ("" = no warnings)
	}{
		{
			name: "startup then failover",
			events: []cluster.Event{
				ev(0, cluster.Event{Node: 3, Type: cluster.EvElectionStart, Epoch: 1, Cause: "startup"}),
				ev(50, cluster.Event{Node: 3, Type: cluster.EvElectionResult, Epoch: 1, Coordinator: 2, Loads: map[int]float64{1: 0.6, 2: 0.5}}),
				ev(51, cluster.Event{Node: 1, Type: cluster.EvCoordinator, Epoch: 1, Coordinator: 2}),
				ev(9000, cluster.Event{Node: 1, Type: cluster.EvElectionStart, Epoch: 2, Cause: "coordinator_suspected"}),
				ev(9050, cluster.Event{Node: 1, Type: cluster.EvElectionResult, Epoch: 2, Coordinator: 1, Loads: map[int]float64{1: 0.7}}),
			},
			elections: []Election{
				{Time: at(50), Epoch: 1, Initiator: 3, Cause: "startup", Winner: 2, Loads: map[int]float64{1: 0.6, 2: 0.5}},
				{Time: at(9050), Epoch: 2, Initiator: 1, Cause: "coordinator_suspected", Winner: 1, Loads: map[int]float64{1: 0.7}},
			},
			periods: []CoordinatorPeriod{{Epoch: 1, Node: 2, From: at(50), To: at(9050)}, {Epoch: 2, Node: 1, From: at(9050)}},
		},
		{
			name: "a follower hears of an epoch before its result is logged",
			events: []cluster.Event{
				ev(40, cluster.Event{Node: 1, Type: cluster.EvCoordinator, Epoch: 1, Coordinator: 2}),
				ev(50, cluster.Event{Node: 3, Type: cluster.EvElectionResult, Epoch: 1, Coordinator: 2}),
			},
			elections: []Election{{Time: at(50), Epoch: 1, Initiator: 3, Winner: 2}},
			periods:   []CoordinatorPeriod{{Epoch: 1, Node: 2, From: at(40)}},
		},
		{
			name: "a later epoch stamped earlier by another clock does not start before its predecessor",
			events: []cluster.Event{
				ev(100, cluster.Event{Node: 1, Type: cluster.EvElectionResult, Epoch: 1, Coordinator: 1}),
				ev(90, cluster.Event{Node: 2, Type: cluster.EvElectionResult, Epoch: 2, Coordinator: 2}),
			},
			elections: []Election{{Time: at(90), Epoch: 2, Initiator: 2, Winner: 2}, {Time: at(100), Epoch: 1, Initiator: 1, Winner: 1}},
			periods:   []CoordinatorPeriod{{Epoch: 1, Node: 1, From: at(100), To: at(100)}, {Epoch: 2, Node: 2, From: at(100)}},
		},
		{
			name: "two coordinators in one epoch are reported",
			events: []cluster.Event{
				ev(50, cluster.Event{Node: 3, Type: cluster.EvElectionResult, Epoch: 1, Coordinator: 2}),
				ev(60, cluster.Event{Node: 1, Type: cluster.EvElectionResult, Epoch: 1, Coordinator: 1}),
			},
			elections: []Election{{Time: at(50), Epoch: 1, Initiator: 3, Winner: 2}, {Time: at(60), Epoch: 1, Initiator: 1, Winner: 1}},
			periods:   []CoordinatorPeriod{{Epoch: 1, Node: 2, From: at(50)}},
			warning:   "epoch 1 names more than one coordinator",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := digestOf(tc.events)
			if !reflect.DeepEqual(d.Elections, tc.elections) {
				t.Errorf("elections:\n got %+v\nwant %+v", d.Elections, tc.elections)
			}
			if !reflect.DeepEqual(d.Coordinators, tc.periods) {
				t.Errorf("coordinator periods:\n got %+v\nwant %+v", d.Coordinators, tc.periods)
			}
			checkWarning(t, d.Warnings, tc.warning)
		})
	}
}

func TestDigestFaults(t *testing.T) {
	start := func(ms, node int, dur time.Duration) cluster.Event {
		return ev(ms, cluster.Event{Node: node, Type: cluster.EvFaultStart, Kind: "silent", Duration: dur})
	}
	end := func(ms, node int) cluster.Event {
		return ev(ms, cluster.Event{Node: node, Type: cluster.EvFaultEnd, Kind: "silent"})
	}
	w := func(node, from, to int) FaultWindow {
		return FaultWindow{Node: node, Kind: "silent", Start: at(from), End: at(to), Source: "events"}
	}
	tests := []struct {
		name    string
		events  []cluster.Event
		want    []FaultWindow
		warning string
	}{
		{"paired", []cluster.Event{start(1000, 2, 5*time.Second), end(6000, 2)}, []FaultWindow{w(2, 1000, 6000)}, ""},
		{"two nodes overlapping, ordered by start", []cluster.Event{start(2000, 3, time.Second), start(1000, 2, time.Second), end(3000, 3), end(2000, 2)},
			[]FaultWindow{w(2, 1000, 2000), w(3, 2000, 3000)}, ""},
		{"end without start", []cluster.Event{end(6000, 2)}, nil, "fault_end at"},
		{"no end: drawn for its duration", []cluster.Event{start(1000, 2, 2*time.Second), ev(9000, cluster.Event{Type: cluster.EvLoadStop})},
			[]FaultWindow{w(2, 1000, 3000)}, "has no fault_end"},
		{"no end and no duration: drawn to the end of the log", []cluster.Event{start(1000, 2, 0), ev(9000, cluster.Event{Type: cluster.EvLoadStop})},
			[]FaultWindow{w(2, 1000, 9000)}, "has no fault_end"},
		{"a start while one is open closes it", []cluster.Event{start(1000, 2, time.Second), start(4000, 2, time.Second), end(5000, 2)},
			[]FaultWindow{w(2, 1000, 4000), w(2, 4000, 5000)}, "while a silent fault was open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := digestOf(tc.events)
			if !reflect.DeepEqual(d.Faults, tc.want) {
				t.Errorf("faults:\n got %+v\nwant %+v", d.Faults, tc.want)
			}
			checkWarning(t, d.Warnings, tc.warning)
		})
	}
}

func TestDigestNodesAndAssignments(t *testing.T) {
	events := []cluster.Event{
		ev(0, cluster.Event{Type: cluster.EvLoadStart}),
		ev(0, cluster.Event{Node: 1, Type: cluster.EvStart, State: "active"}),
		ev(0, cluster.Event{Node: 2, Type: cluster.EvStart, State: "active"}),
		ev(10, cluster.Event{Node: 2, Type: cluster.EvAssign, Request: "a", Assignee: 1, Loads: map[int]float64{1: 0.5, 2: 0.6}}),
		ev(20, cluster.Event{Node: 2, Type: cluster.EvAssign, Request: "b", Assignee: 2, Loads: map[int]float64{1: 0.5, 2: 0.6}}),
		ev(30, cluster.Event{Node: 1, Type: cluster.EvComplete, Request: "a"}),
		ev(40, cluster.Event{Node: 2, Type: cluster.EvReassign, Request: "b", Assignee: 1}),
		ev(50, cluster.Event{Node: 1, Type: cluster.EvLoad, Load: 0.7}),
		ev(60, cluster.Event{Node: 2, Type: cluster.EvState, From: "active", State: "failed"}),
		ev(70, cluster.Event{Node: 1, Type: cluster.EvCoordinator, Epoch: 3, Coordinator: 1}),
		ev(80, cluster.Event{Node: 1, Type: cluster.EvStop}),
		ev(90, cluster.Event{Node: 2, Type: cluster.EvNodeExit, Reason: "killed"}),
		ev(95, cluster.Event{Type: cluster.EvLoadStop}),
	}
	d := digestOf(events)
	wantFinal := []NodeFinal{
		{ID: 1, State: "active", Load: 0.7, Completions: 1, Coordinator: 1, Stopped: true},
		{ID: 2, State: "failed", Exit: "killed"},
	}
	if !reflect.DeepEqual(d.Final, wantFinal) {
		t.Errorf("final:\n got %+v\nwant %+v", d.Final, wantFinal)
	}
	if d.AssignTotal != 2 || d.AssignNotLowest != 1 || d.Reassigns != 1 || !reflect.DeepEqual(d.AssignByNode, map[int]int{1: 1, 2: 1}) {
		t.Errorf("assignments: total %d, not lowest %d, reassigns %d, by node %v; want 2, 1, 1, map[1:1 2:1]",
			d.AssignTotal, d.AssignNotLowest, d.Reassigns, d.AssignByNode)
	}
	if !d.LoadStart.Equal(at(0)) || !d.LoadStop.Equal(at(95)) {
		t.Errorf("load start/stop = %v/%v, want %v/%v", d.LoadStart, d.LoadStop, at(0), at(95))
	}
	if d.Events != len(events) {
		t.Errorf("counted %d events, want %d", d.Events, len(events))
	}
}

func TestDigestWarningsAreCapped(t *testing.T) {
	var events []cluster.Event
	for i := range 500 {
		events = append(events, ev(i, cluster.Event{Node: 2, Type: cluster.EvFaultEnd, Kind: "silent"}))
	}
	d := digestOf(events)
	if len(d.Warnings) > maxWarnings+1 {
		t.Errorf("500 unmatched fault ends gave %d warnings, want at most %d", len(d.Warnings), maxWarnings+1)
	}
	checkWarning(t, d.Warnings, "450 more warnings like these were left out")
}

func checkWarning(t *testing.T, warnings []string, want string) {
	t.Helper()
	if want == "" {
		if len(warnings) > 0 {
			t.Errorf("warnings %q, want none", warnings)
		}
		return
	}
	for _, w := range warnings {
		if strings.Contains(w, want) {
			return
		}
	}
	t.Errorf("warnings %q, want one containing %q", warnings, want)
}

func TestDigestEventsReader(t *testing.T) {
	line := func(e cluster.Event) string {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	good := line(ev(0, cluster.Event{Node: 1, Type: cluster.EvStart, State: "active"}))
	load := line(ev(10, cluster.Event{Node: 1, Type: cluster.EvLoad, Load: 0.5}))
	tests := []struct {
		name        string
		input       string
		wantErr     string // substring; "" = no error
		wantEvents  int
		wantSkipped int
	}{
		{"clean", good + load, "", 2, 0},
		{"torn last line from a killed writer", good + load + `{"t":1,"node":`, "", 2, 1},
		{"malformed middle line stops with its line number", good + "not json\n" + load, "events line 2", 1, 1},
		{"empty", "", "", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := DigestEvents(strings.NewReader(tc.input), DefaultDigestLimits)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("DigestEvents(%q): %v", tc.input, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("DigestEvents(%q) error = %v, want one containing %q", tc.input, err, tc.wantErr)
			}
			if d == nil {
				t.Fatalf("DigestEvents(%q) returned no digest", tc.input)
			}
			if d.Events != tc.wantEvents || d.Skipped != tc.wantSkipped {
				t.Errorf("DigestEvents(%q): %d events, %d skipped; want %d, %d", tc.input, d.Events, d.Skipped, tc.wantEvents, tc.wantSkipped)
			}
		})
	}
}

// synthEvents streams n requests' worth of events (an assign and a complete
// each, and a load sample per node every 10 requests) without holding them.
func synthEvents(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriter(pw)
		enc := json.NewEncoder(bw)
		loads := map[int]float64{1: 0.5, 2: 0.6, 3: 0.7}
		var err error
		for i := 0; i < n && err == nil; i++ {
			ms := i / 4 // 4 requests per millisecond: a long, dense run
			node := 1 + i%3
			err = errors.Join(
				enc.Encode(ev(ms, cluster.Event{Node: 2, Type: cluster.EvAssign, Request: fmt.Sprint(i), Assignee: node, Loads: loads})),
				enc.Encode(ev(ms+1, cluster.Event{Node: node, Type: cluster.EvComplete, Request: fmt.Sprint(i)})),
			)
			if i%10 == 0 {
				for id := 1; id <= 3 && err == nil; id++ {
					err = enc.Encode(ev(ms, cluster.Event{Node: id, Type: cluster.EvLoad, Load: float64(i%7) / 10}))
				}
			}
		}
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	return pr
}

func TestDigestEventsStaysBounded(t *testing.T) {
	// 10k requests give each node 1000 load samples and 10k decisions: enough
	// to overflow the limits below many times over.
	const requests = 10_000
	lim := DigestLimits{LoadPoints: 100, AssignSamples: 32, AssignSlot: time.Millisecond, Elections: 100}
	d, err := DigestEvents(synthEvents(requests), lim)
	if err != nil {
		t.Fatal(err)
	}
	if d.AssignTotal != requests {
		t.Errorf("counted %d assignments, want %d", d.AssignTotal, requests)
	}
	if len(d.Assigns) > lim.AssignSamples {
		t.Errorf("kept %d assignments, limit %d", len(d.Assigns), lim.AssignSamples)
	}
	completions := 0
	for _, f := range d.Final {
		completions += f.Completions
	}
	if completions != requests {
		t.Errorf("counted %d completions, want %d", completions, requests)
	}
	for id, pts := range d.Load {
		samples := 0
		for _, p := range pts {
			samples += p.Samples
		}
		if len(pts) > lim.LoadPoints || samples != requests/10 {
			t.Errorf("node %d: %d load points covering %d samples; want ≤ %d points covering %d", id, len(pts), samples, lim.LoadPoints, requests/10)
		}
	}
}
