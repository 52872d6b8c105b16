package analyze

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/fault"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/rundir"
)

func TestAnalyzeFailover(t *testing.T) {
	tests := []struct {
		name   string
		events []cluster.Event
		want   []Failover // Reason is checked for being set, not its words
	}{
		{
			name: "silent fault of the coordinator",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "silent"),
				synth.Suspect(1200, 2, 1), synth.Suspect(1210, 3, 1), synth.Election(1210, 2, 2, "coordinator suspected"),
				synth.Elected(1260, 2, 2, 3), synth.Coordinator(1260, 2, 2, 3), synth.Coordinator(1270, 3, 2, 3),
			},
			want: []Failover{{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "silent", Waited: []int{2, 3},
				Outcome: "resolved", Duration: synth.Ms(270), NewCoordinator: 3}},
		},
		{
			name: "a node that never agrees",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "silent"),
				synth.Election(1210, 2, 2, "coordinator suspected"), synth.Elected(1260, 2, 2, 2), synth.Coordinator(1260, 2, 2, 2),
			},
			want: []Failover{{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "silent", Waited: []int{2, 3}, Outcome: "unresolved"}},
		},
		{
			name: "nodes that agree on different coordinators, then converge",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "crash"), synth.Exit(1001, 1, "killed"),
				synth.Coordinator(1250, 2, 2, 2), synth.Coordinator(1250, 3, 3, 3), synth.Coordinator(1400, 2, 3, 3),
			},
			want: []Failover{{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "crash", Waited: []int{2, 3},
				Outcome: "resolved", Duration: synth.Ms(400), NewCoordinator: 3}},
		},
		{
			name: "the new coordinator crashes during the election",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "crash"), synth.Exit(1001, 1, "killed"),
				synth.Election(1200, 2, 2, "coordinator suspected"), synth.Elected(1250, 2, 2, 3), synth.Coordinator(1250, 2, 2, 3),
				synth.FaultStart(1255, 3, "crash"), synth.Exit(1256, 3, "killed"),
				synth.Election(1500, 2, 3, "coordinator suspected"), synth.Elected(1550, 2, 3, 2), synth.Coordinator(1550, 2, 3, 2),
			},
			want: []Failover{
				{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "crash", Waited: []int{2, 3},
					Outcome: "resolved", Duration: synth.Ms(550), NewCoordinator: 2},
				{At: synth.Ms(1255), Coordinator: 3, Epoch: 2, Kind: "crash", Waited: []int{2},
					Outcome: "resolved", Duration: synth.Ms(295), NewCoordinator: 2},
			},
		},
		{
			name: "a pause shorter than detection is masked",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "pause"), synth.FaultEnd(1100, 1, "pause"),
			},
			want: []Failover{{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "pause", Waited: []int{2, 3}, Outcome: "masked"}},
		},
		{
			name: "the old coordinator returns and wins again",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "pause"), synth.Suspect(1200, 2, 1), synth.FaultEnd(1300, 1, "pause"),
				synth.Election(1300, 2, 2, "coordinator suspected"), synth.Elected(1350, 2, 2, 1),
				synth.Coordinator(1350, 2, 2, 1), synth.Coordinator(1351, 3, 2, 1), synth.Coordinator(1360, 1, 2, 1),
			},
			want: []Failover{{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "pause", Waited: []int{2, 3},
				Outcome: "resolved", Duration: synth.Ms(351), NewCoordinator: 1}},
		},
		{
			name: "a fault of a follower is no failover",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "silent"), synth.FaultEnd(2000, 2, "silent"),
			},
		},
		{
			name: "no live node is left",
			events: []cluster.Event{
				synth.FaultStart(500, 2, "silent"), synth.FaultStart(600, 3, "silent"), synth.FaultStart(1000, 1, "silent"),
			},
			want: []Failover{{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "silent", Outcome: "unresolved"}},
		},
		{
			name: "a waited node that goes down is no longer waited for",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "silent"), synth.Coordinator(1200, 2, 2, 2),
				synth.FaultStart(1300, 3, "crash"),
			},
			want: []Failover{{At: synth.Ms(1000), Coordinator: 1, Epoch: 1, Kind: "silent", Waited: []int{2, 3},
				Outcome: "resolved", Duration: synth.Ms(300), NewCoordinator: 2}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := analyzeRun(t, nil, synth.Steady(), tc.events)
			got := slices.Clone(a.Failovers)
			for i := range got {
				if (got[i].Outcome == "resolved") != (got[i].Reason == "") {
					t.Errorf("failover %d: outcome %q with reason %q; want a reason exactly when not resolved", i, got[i].Outcome, got[i].Reason)
				}
				got[i].Reason = ""
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("failovers =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestAnalyzeRecovery(t *testing.T) {
	tests := []struct {
		name        string
		events      []cluster.Event
		want        []Recovery
		wantWarning string
	}{
		{
			name: "silent: failed, recovering, active",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "silent"), synth.State(1000, 2, "Failed"), synth.FaultEnd(3000, 2, "silent"),
				synth.State(3001, 2, "Recovering"), synth.State(3500, 2, "Active"),
			},
			want: []Recovery{{Node: 2, Kind: "silent", At: synth.Ms(3000), Outcome: "resolved", Duration: synth.Ms(500)}},
		},
		{
			name: "crash: exit, restart in Recovering, active",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "crash"), synth.Exit(1001, 2, "killed"), synth.FaultEnd(3000, 2, "crash"),
				synth.Start(3050, 2, "Recovering"), synth.State(3600, 2, "ACTIVE"),
			},
			want: []Recovery{{Node: 2, Kind: "crash", At: synth.Ms(3000), Outcome: "resolved", Duration: synth.Ms(600)}},
		},
		{
			name:   "a pause nobody noticed the end of",
			events: []cluster.Event{synth.FaultStart(1000, 2, "pause"), synth.FaultEnd(2000, 2, "pause")},
			want:   []Recovery{{Node: 2, Kind: "pause", At: synth.Ms(2000), Outcome: "unresolved"}},
		},
		{
			name: "a pause ends when a peer hears the node again",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "pause"), synth.Suspect(1200, 1, 2), synth.FaultEnd(2000, 2, "pause"),
				synth.Alive(2040, 1, 2), synth.Alive(2045, 3, 2),
			},
			want: []Recovery{{Node: 2, Kind: "pause", At: synth.Ms(2000), Outcome: "resolved", Duration: synth.Ms(40)}},
		},
		{
			name: "alive does not end a silent fault's recovery",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "silent"), synth.FaultEnd(2000, 2, "silent"), synth.Alive(2001, 1, 2),
				synth.State(2500, 2, "Active"),
			},
			want: []Recovery{{Node: 2, Kind: "silent", At: synth.Ms(2000), Outcome: "resolved", Duration: synth.Ms(500)}},
		},
		{
			name: "the next fault comes first",
			events: []cluster.Event{
				synth.FaultStart(1000, 3, "silent"), synth.FaultEnd(2000, 3, "silent"), synth.FaultStart(2100, 3, "crash"),
				synth.FaultEnd(4000, 3, "crash"), synth.State(4200, 3, "Active"),
			},
			want: []Recovery{
				{Node: 3, Kind: "silent", At: synth.Ms(2000), Outcome: "unresolved"},
				{Node: 3, Kind: "crash", At: synth.Ms(4000), Outcome: "resolved", Duration: synth.Ms(200)},
			},
		},
		{
			name: "active before the fault ended is not the recovery",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "silent"), synth.State(1500, 2, "Active"), synth.FaultEnd(2000, 2, "silent"),
				synth.State(2500, 2, "active"),
			},
			want:        []Recovery{{Node: 2, Kind: "silent", At: synth.Ms(2000), Outcome: "resolved", Duration: synth.Ms(500)}},
			wantWarning: "node 2 logged Active at 1.500s, before its silent fault ended",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := analyzeRun(t, nil, synth.Steady(), tc.events)
			got := slices.Clone(a.Recoveries)
			for i := range got {
				if (got[i].Outcome == "resolved") != (got[i].Reason == "") {
					t.Errorf("recovery %d: outcome %q with reason %q", i, got[i].Outcome, got[i].Reason)
				}
				got[i].Reason = ""
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("recoveries =\n%+v\nwant\n%+v", got, tc.want)
			}
			if tc.wantWarning != "" && !slices.ContainsFunc(a.Warnings, func(w string) bool { return strings.HasPrefix(w, tc.wantWarning) }) {
				t.Errorf("warnings %q: want one starting %q", a.Warnings, tc.wantWarning)
			}
		})
	}
}

func TestAnalyzeElections(t *testing.T) {
	a := analyzeRun(t, nil, synth.Steady(), []cluster.Event{
		synth.Election(1000, 2, 2, "coordinator suspected"), synth.Elected(1050, 2, 2, 3), synth.Coordinator(1050, 2, 2, 3), synth.Coordinator(1051, 3, 2, 3),
		synth.Election(2000, 3, 3, "periodic"), synth.Elected(2050, 3, 3, 3), synth.Coordinator(2050, 3, 3, 3),
		synth.Election(3000, 1, 4, ""), synth.Election(3001, 2, 4, "coordinator suspected"),
		synth.Elected(3050, 1, 4, 2), synth.Coordinator(3051, 2, 4, 2), synth.Elected(3052, 2, 4, 2),
	})
	want := rundir.ElectionSummary{Total: 5, ByCause: map[string]int{"startup": 1, "coordinator suspected": 2, "periodic": 1, "unknown": 1},
		CoordinatorChanges: 2, MaxEpoch: 4}
	if !reflect.DeepEqual(a.Elections, want) {
		t.Errorf("elections = %+v, want %+v", a.Elections, want)
	}
	// The log digest the report draws from covers the same events: the
	// coordinator of each period, from the first sign of its epoch.
	at := func(ms int) time.Time { return synth.T0.Add(synth.Ms(ms)) }
	wantPeriods := []rundir.CoordinatorPeriod{
		{Epoch: 1, Node: 1, From: at(-900), To: at(1050)},
		{Epoch: 2, Node: 3, From: at(1050), To: at(2050)},
		{Epoch: 3, Node: 3, From: at(2050), To: at(3050)},
		{Epoch: 4, Node: 2, From: at(3050)},
	}
	samePeriods := func(a, b []rundir.CoordinatorPeriod) bool {
		return slices.EqualFunc(a, b, func(p, q rundir.CoordinatorPeriod) bool {
			return p.Epoch == q.Epoch && p.Node == q.Node && p.From.Equal(q.From) && p.To.Equal(q.To)
		})
	}
	if !samePeriods(a.Log.Coordinators, wantPeriods) {
		t.Errorf("coordinator periods =\n%+v\nwant\n%+v", a.Log.Coordinators, wantPeriods)
	}
	if a.Log.ElectionsStarted != 5 || a.Log.ElectionsDecided != 5 {
		t.Errorf("digest counts %d elections started, %d decided; want 5 and 5", a.Log.ElectionsStarted, a.Log.ElectionsDecided)
	}
	if len(a.Conflicts) != 0 {
		t.Errorf("conflicts = %+v, want none", a.Conflicts)
	}
}

func TestAnalyzeEpochConflict(t *testing.T) {
	a := analyzeRun(t, nil, synth.Steady(), []cluster.Event{
		synth.Elected(1000, 2, 5, 2), synth.Coordinator(1000, 2, 5, 2),
		synth.Elected(1001, 3, 5, 3), synth.Coordinator(1002, 1, 5, 3), synth.Coordinator(1003, 1, 5, 1),
		synth.Coordinator(1100, 1, 6, 2), synth.Coordinator(1100, 2, 6, 2),
	})
	want := []EpochConflict{{Epoch: 5, Coordinators: []int{2, 3, 1}, At: synth.Ms(1001)}}
	if !reflect.DeepEqual(a.Conflicts, want) {
		t.Errorf("conflicts = %+v, want %+v", a.Conflicts, want)
	}
}

func TestAnalyzeAgreement(t *testing.T) {
	tests := []struct {
		name   string
		events []cluster.Event
		want   Agreement
	}{
		{
			name:   "no faults: agreement at the initial election",
			events: nil,
			want: Agreement{Reference: synth.Ms(-1000), Reached: true, At: synth.Ms(-899), After: synth.Ms(101), Coordinator: 1,
				Live: []int{1, 2, 3}, Follows: []int{1, 1, 1}, End: synth.Ms(-899)},
		},
		{
			name: "a restarted node must name the coordinator again",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "crash"), synth.Exit(1001, 2, "killed"), synth.FaultEnd(2000, 2, "crash"),
				synth.Start(2010, 2, "Recovering"), synth.State(2500, 2, "Active"), synth.Coordinator(2500, 2, 1, 1),
			},
			want: Agreement{Reference: synth.Ms(2010), Reached: true, At: synth.Ms(2500), After: synth.Ms(490), Coordinator: 1,
				Live: []int{1, 2, 3}, Follows: []int{1, 1, 1}, End: synth.Ms(2500)},
		},
		{
			name: "a silent follower keeps its view and agrees at once",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "silent"), synth.FaultEnd(2000, 2, "silent"),
			},
			want: Agreement{Reference: synth.Ms(2000), Reached: true, At: synth.Ms(2000), Coordinator: 1,
				Live: []int{1, 2, 3}, Follows: []int{1, 1, 1}, End: synth.Ms(2000)},
		},
		{
			name: "never reached: a restarted node names nobody",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "crash"), synth.Exit(1001, 2, "killed"), synth.FaultEnd(2000, 2, "crash"),
				synth.Start(2010, 2, "Recovering"), synth.Load(9000, 1, 0.5, nil),
			},
			want: Agreement{Reference: synth.Ms(2010), Live: []int{1, 2, 3}, Follows: []int{1, 0, 1}, End: synth.Ms(9000)},
		},
		{
			name: "never reached: everyone follows a coordinator that is down",
			events: []cluster.Event{
				synth.FaultStart(1000, 1, "silent"), synth.Load(5000, 2, 0.5, nil),
			},
			want: Agreement{Reference: synth.Ms(1000), Live: []int{2, 3}, Follows: []int{0, 1, 1}, End: synth.Ms(5000)},
		},
		{
			name: "shutdown ends the observed period",
			events: []cluster.Event{
				synth.FaultStart(1000, 2, "crash"), synth.Exit(1001, 2, "killed"), synth.FaultEnd(2000, 2, "crash"),
				synth.Start(2010, 2, "Recovering"),
				synth.Stop(3000, 1, nil), synth.Exit(3001, 1, "stopped"), synth.Coordinator(3100, 2, 1, 1),
			},
			want: Agreement{Reference: synth.Ms(2010), Live: []int{1, 2, 3}, Follows: []int{1, 0, 1}, End: synth.Ms(3000), Shutdown: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := analyzeRun(t, nil, synth.Steady(), tc.events)
			if !reflect.DeepEqual(a.Agreement, tc.want) {
				t.Errorf("agreement =\n%+v\nwant\n%+v", a.Agreement, tc.want)
			}
		})
	}
}

func TestAnalyzeMessages(t *testing.T) {
	type c = map[string]int64
	// Node 1 restarts (a start event); node 2's counters go down without one.
	// recv.request has no sent.request anywhere: those are the clients' messages.
	a := analyzeRun(t, nil, synth.Steady(), []cluster.Event{
		synth.Load(100, 1, 0.5, c{"sent.heartbeat": 10, "sent.assign": 2, "recv.request": 5}),
		synth.Load(100, 2, 0.5, c{"sent.heartbeat": 7, "sent.response": 3, "recv.request": 10, "recv.heartbeat": 30}),
		synth.Load(200, 1, 0.6, c{"sent.heartbeat": 20, "sent.assign": 4, "recv.request": 10}),
		synth.Load(200, 2, 0.5, c{"sent.heartbeat": 1}),
		synth.Start(300, 1, "Recovering"),
		synth.Load(400, 1, 0.5, c{"sent.heartbeat": 3, "recv.request": 1}),
		synth.Stop(500, 1, c{"sent.heartbeat": 5, "recv.request": 2}),
	})
	want := rundir.MessageCounts{Total: 62, Request: 29, Heartbeat: 33,
		ByType: map[string]int64{"heartbeat": 33, "assign": 4, "response": 3, "request": 22}}
	if !reflect.DeepEqual(a.Messages, want) {
		t.Errorf("messages = %+v, want %+v", a.Messages, want)
	}
	if !slices.ContainsFunc(a.Warnings, func(w string) bool { return strings.HasPrefix(w, "node 2's message counters went down") }) {
		t.Errorf("warnings %q: want one about node 2's counters", a.Warnings)
	}
	var s rundir.Summary
	s.Requests.Total = 10
	a.Summarize(&s)
	if s.MessagesPerRequest != 2.9 {
		t.Errorf("messages per request = %v, want 29 request-path messages / 10 requests = 2.9", s.MessagesPerRequest)
	}
}

func TestDefaultMessageClass(t *testing.T) {
	tests := map[string]string{
		"heartbeat": ClassHeartbeat, "HEARTBEAT": ClassHeartbeat, "ping": ClassHeartbeat,
		"election": ClassElection, "election_ok": ClassElection, "coordinator": ClassElection, "ok": ClassElection,
		"state_sync": ClassElection, "answer": ClassElection,
		"request": ClassRequest, "assign": ClassRequest, "reassign": ClassRequest, "response": ClassRequest,
		"done": ClassRequest, "complete": ClassRequest,
		"raft": ClassReplication, "table_op": ClassReplication, "table_update": ClassReplication,
		"table_result": ClassReplication, "table_sync": ClassReplication, "table_copy": ClassReplication,
		"control": ClassOther, "status": ClassOther, "fail": ClassOther, "": ClassOther,
	}
	for _, typ := range slices.Sorted(maps.Keys(tests)) {
		if got := DefaultMessageClass(typ); got != tests[typ] {
			t.Errorf("DefaultMessageClass(%q) = %q, want %q", typ, got, tests[typ])
		}
	}
}

func TestAnalyzeNodes(t *testing.T) {
	faults := []fault.Fault{{At: synth.Ms(1000), Node: 3, Kind: "crash", For: synth.Ms(1000)}, {At: synth.Ms(5000), Node: 3, Kind: "silent", For: synth.Ms(500)}}
	complete := func(ms, node int) cluster.Event { return synth.Ev(ms, node, cluster.EvComplete) }
	a := analyzeRun(t, faults, synth.Steady(), []cluster.Event{
		complete(100, 3), complete(200, 3), synth.Load(300, 3, 0.7, nil),
		synth.FaultStart(1000, 3, "crash"), synth.Exit(1001, 3, "killed"), synth.FaultEnd(2000, 3, "crash"),
		synth.Start(2010, 3, "Recovering"), synth.State(2500, 3, "Active"), complete(2600, 3),
		complete(2700, 1), synth.Load(2800, 1, 0.9, nil),
		synth.Exit(3000, 2, "exit status 2"),
		synth.FaultStart(5000, 3, "silent"), synth.FaultEnd(5500, 3, "silent"),
	})
	want := []NodeStatus{
		{ID: 1, State: "Active", Load: 0.9, Coordinator: true, Completions: 1, Processed: 1},
		{ID: 2, State: "Exited"},
		{ID: 3, State: "Active", Load: 0.7, Completions: 3, Processed: 1, Restarts: 1, DownS: 1.5},
	}
	if !reflect.DeepEqual(a.Nodes, want) {
		t.Errorf("nodes =\n%+v\nwant\n%+v", a.Nodes, want)
	}
	at := synth.T0.Add(synth.Ms(2800))
	if l := a.Log.Load; len(l) != 2 || len(l[1]) != 1 || !l[1][0].From.Equal(at) || l[1][0].Mean != 0.9 || l[1][0].Samples != 1 {
		t.Errorf("digested load = %+v, want nodes 1 and 3, node 1 at 0.9 at 2.8 s", a.Log.Load)
	}
	if !slices.ContainsFunc(a.Warnings, func(w string) bool { return strings.HasPrefix(w, "node 2 exited at 3.000s outside any fault") }) {
		t.Errorf("warnings %q: want one about node 2's exit", a.Warnings)
	}
}

// TestAnalyzeDecisions: assignments are counted and sampled once, by the
// log digest the report reads (its sampler has its own tests in rundir).
func TestAnalyzeDecisions(t *testing.T) {
	var evs []cluster.Event
	for i := range 100 {
		evs = append(evs, synth.Assign(i*10, 2, fmt.Sprintf("r%d", i), 1+i%3, map[int]float64{3: 0.9, 1: 0.75, 2: 0.5}))
	}
	a := analyzeRun(t, nil, evs)
	l := a.Log
	if l.AssignTotal != 100 || !reflect.DeepEqual(l.AssignByNode, map[int]int{1: 34, 2: 33, 3: 33}) || l.AssignNotLowest != 67 {
		t.Errorf("assignments %d by node %v, %d not to the lowest; want 100, {1:34 2:33 3:33}, 67", l.AssignTotal, l.AssignByNode, l.AssignNotLowest)
	}
	if len(l.Assigns) < 2 || l.Assigns[0].Request != "r0" || l.Assigns[0].Coordinator != 2 {
		t.Errorf("sampled decisions %+v, want a sample starting with r0 by node 2", l.Assigns)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	tests := []struct {
		name   string
		events []cluster.Event
		want   error
	}{
		{"time goes back", []cluster.Event{synth.Load(100, 1, 0.5, nil), synth.Load(99, 2, 0.5, nil)}, ErrEventOrder},
		{"node beyond the cluster", []cluster.Event{synth.Load(100, 4, 0.5, nil)}, ErrEventNode},
		{"negative node", []cluster.Event{synth.Load(100, -1, 0.5, nil)}, ErrEventNode},
		{"node event without a node", []cluster.Event{synth.Coordinator(100, 0, 1, 1)}, ErrEventNode},
		{"fault without a node", []cluster.Event{synth.FaultStart(100, 0, "crash")}, ErrEventNode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Events(Config{Start: synth.T0, Nodes: 3}, slices.Values(tc.events))
			if !errors.Is(err, tc.want) {
				t.Errorf("Analyze(%+v) error = %v, want %v", tc.events, err, tc.want)
			}
		})
	}
	z, err := New(Config{Start: synth.T0, Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := z.Add(synth.Ev(0, 0, cluster.EvLoadStart)); err != nil {
		t.Errorf("load_start of the whole cluster (node 0): %v", err)
	}
	if err := z.Add(synth.Ev(1, 1, "gossip")); err != nil {
		t.Errorf("unknown type: %v, want a warning only", err)
	}
	a := z.Close()
	if !slices.Contains(a.Warnings, `1 events of unknown type "gossip" were ignored`) {
		t.Errorf("warnings %q: want the unknown type reported", a.Warnings)
	}
	if err := z.Add(synth.Ev(2, 1, cluster.EvLoad)); !errors.Is(err, ErrAnalyzerClosed) {
		t.Errorf("Add after Close: %v, want ErrAnalyzerClosed", err)
	}
	for _, cfg := range []Config{{Nodes: 3}, {Start: synth.T0},
		{Start: synth.T0, Nodes: 3, Faults: []fault.Fault{{Node: 4}}}} {
		if _, err := New(cfg); !errors.Is(err, ErrAnalysisConfig) {
			t.Errorf("New(%+v) error = %v, want ErrAnalysisConfig", cfg, err)
		}
	}
}

// TestRaftEventsAreKnown: election raft's own events are no unknown types
// (the "gossip" case above shows an unknown one is warned about).
func TestRaftEventsAreKnown(t *testing.T) {
	z, err := New(Config{Start: synth.T0, Nodes: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i, typ := range []cluster.EventType{cluster.EvRaftRecover, cluster.EvRaftLeader, cluster.EvRaftSnapshot, cluster.EvRaftBadEntry} {
		if err := z.Add(synth.Ev(i, 1, typ)); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
	}
	if a := z.Close(); len(a.Warnings) != 0 {
		t.Errorf("warnings %q for raft events", a.Warnings)
	}
}
