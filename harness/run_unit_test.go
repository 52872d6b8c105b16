package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
)

// fakeActor records what the fault executor does, with offsets from start.
type fakeActor struct {
	mu    sync.Mutex
	start time.Time
	log   []string
	coord int
	fail  error
}

func (a *fakeActor) note(format string, args ...any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	at := time.Since(a.start).Round(200 * time.Millisecond)
	a.log = append(a.log, fmt.Sprintf("%v ", at)+fmt.Sprintf(format, args...))
	return a.fail
}
func (a *fakeActor) Silent(_ context.Context, id int, d time.Duration) error {
	return a.note("silent %d %v", id, d)
}
func (a *fakeActor) Crash(id int) error                  { return a.note("crash %d", id) }
func (a *fakeActor) Restart(id int) error                { return a.note("restart %d", id) }
func (a *fakeActor) Pause(id int) error                  { return a.note("pause %d", id) }
func (a *fakeActor) Resume(id int) error                 { return a.note("resume %d", id) }
func (a *fakeActor) Coordinator(ctx context.Context) int { return a.coord }

func TestFaultExecutor(t *testing.T) {
	// One tick is 200 ms and actions are logged rounded to ticks: ±100 ms of
	// scheduling slack before the test is wrong.
	ms := func(n int) time.Duration { return time.Duration(n) * 200 * time.Millisecond }
	faults := []fault.Fault{
		{At: ms(1), Node: 1, Kind: experiment.FaultCrash, For: ms(2)},
		{At: ms(2), Node: 1, Kind: experiment.FaultPause, For: ms(1)},                            // node 1 is down then
		{At: ms(2), Kind: experiment.FaultPause, For: ms(2), Selector: "coordinator"},            // resolves to node 3
		{At: ms(3), Node: 2, Kind: experiment.FaultSilent, For: ms(5)},                           // outlives the load: runs to its end
		{At: ms(9), Node: 2, Kind: experiment.FaultCrash, For: ms(1)},                            // due after the load ended
		{At: ms(1), Node: 3, Kind: experiment.FaultCrash, For: ms(1), Suppressed: "min_alive 1"}, // never injected
	}
	start := time.Now()
	act := &fakeActor{start: start, coord: 3}
	var buf bytes.Buffer
	x := &faultExecutor{act: act, events: cluster.NewEventLog(&buf, nil), start: start, logf: t.Logf}
	stop, endLoad := context.WithCancel(context.Background())
	time.AfterFunc(ms(5), endLoad)
	x.run(stop, context.Background(), faults)
	if err := x.events.Flush(); err != nil {
		t.Fatal(err)
	}

	wantLog := []string{"200ms crash 1", "400ms pause 3", "600ms restart 1", "600ms silent 2 1s", "800ms resume 3"}
	act.mu.Lock()
	got := append([]string(nil), act.log...)
	act.mu.Unlock()
	// Goroutines acting on the same tick may log in either order.
	if !sameSet(got, wantLog) {
		t.Errorf("actions:\n got %v\nwant %v (any order)", got, wantLog)
	}
	res := x.result()
	if len(res) != len(faults) {
		t.Fatalf("result has %d faults, want %d: %+v", len(res), len(faults), res)
	}
	var suppressed []string
	for _, f := range res {
		if f.Suppressed != "" {
			suppressed = append(suppressed, fmt.Sprintf("%v/%d/%s", f.At, f.Node, f.Suppressed))
		}
		if f.Selector != "" && f.Node != 3 {
			t.Errorf("coordinator fault resolved to node %d, want 3", f.Node)
		}
	}
	wantSup := []string{"200ms/3/min_alive 1", "400ms/1/node 1 was already down", "1.8s/2/not reached: the load ended first"}
	if !sameSet(suppressed, wantSup) {
		t.Errorf("suppressed:\n got %v\nwant %v", suppressed, wantSup)
	}
	if n := strings.Count(buf.String(), `"fault_start"`); n != 3 {
		t.Errorf("%d fault_start events, want 3", n)
	}
	if n := strings.Count(buf.String(), `"fault_end"`); n != 3 {
		t.Errorf("%d fault_end events, want 3", n)
	}
}

// TestFaultExecutorLogsBeforeInjecting: the fault_start event is in the log
// before the node is touched, so that the cluster's reaction, however quick,
// follows it in time.
func TestFaultExecutorLogsBeforeInjecting(t *testing.T) {
	for _, kind := range []string{experiment.FaultCrash, experiment.FaultPause, experiment.FaultSilent} {
		t.Run(kind, func(t *testing.T) {
			var buf bytes.Buffer
			start := time.Now()
			x := &faultExecutor{events: cluster.NewEventLog(&buf, nil), start: start, logf: t.Logf}
			var logged []bool
			act := &hookActor{fakeActor: fakeActor{start: start}, onInject: func() {
				if err := x.events.Flush(); err != nil {
					t.Error(err)
				}
				logged = append(logged, strings.Contains(buf.String(), `"fault_start"`))
			}}
			x.act = act
			x.run(context.Background(), context.Background(), []fault.Fault{{Node: 2, Kind: kind, For: 10 * time.Millisecond}})
			if len(logged) != 1 || !logged[0] {
				t.Errorf("%s: fault_start logged before the injection: %v, want [true]", kind, logged)
			}
		})
	}
}

// hookActor calls onInject when a fault is injected.
type hookActor struct {
	fakeActor
	onInject func()
}

func (a *hookActor) Silent(ctx context.Context, id int, d time.Duration) error {
	a.onInject()
	return a.fakeActor.Silent(ctx, id, d)
}
func (a *hookActor) Crash(id int) error { a.onInject(); return a.fakeActor.Crash(id) }
func (a *hookActor) Pause(id int) error { a.onInject(); return a.fakeActor.Pause(id) }

func TestFaultExecutorRecordsFailedInjection(t *testing.T) {
	act := &fakeActor{start: time.Now(), fail: errors.New("no such process")}
	x := &faultExecutor{act: act, events: nil, start: act.start, logf: t.Logf}
	x.run(context.Background(), context.Background(), []fault.Fault{{Node: 2, Kind: experiment.FaultCrash, For: time.Second}})
	res := x.result()
	if len(res) != 1 || !strings.Contains(res[0].Suppressed, "no such process") {
		t.Errorf("failed injection recorded as %+v, want it suppressed with the reason", res)
	}
	// Its start was logged before the attempt; an end follows at once, with why.
	var buf bytes.Buffer
	x = &faultExecutor{act: act, events: cluster.NewEventLog(&buf, nil), start: act.start, logf: t.Logf}
	x.run(context.Background(), context.Background(), []fault.Fault{{Node: 2, Kind: experiment.FaultCrash, For: time.Second}})
	if err := x.events.Flush(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, `"fault_start"`) != 1 || strings.Count(out, `"fault_end"`) != 1 || !strings.Contains(out, "injection failed: no such process") {
		t.Errorf("events of a failed injection:\n%s\nwant one fault_start and one fault_end giving the reason", out)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
