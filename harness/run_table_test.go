package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/history"
	"stegocloud/harness/load"
	"stegocloud/harness/rundir"
)

// tableRun is a run with a table target recording to a fresh history.jsonl
// (no cluster: finish and record are fed by hand).
func tableRun(t *testing.T) *run {
	t.Helper()
	dir := t.TempDir()
	h, err := createHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &run{dir: dir, log: &runLog{}, tableHist: h, table: &tableTarget{hist: h.w, start: time.Now()}}
}

func viewOp(remaining int) history.Op {
	return history.Op{Kind: history.View, Input: history.Input{Image: "img", User: "alice", Quota: 2, Authorized: history.AuthAllowed},
		Output: history.Output{Granted: true, Remaining: remaining}, Call: time.Millisecond, Return: 2 * time.Millisecond}
}

// TestFinishTellsNotAppliedFromUnknown: a timed-out table op is unknown
// (it may have been applied), a rejected one failed (certainly not), an
// answered one ok with the node that applied it; an inconsistent answer is
// ok in the history and an invalid response for the load.
func TestFinishTellsNotAppliedFromUnknown(t *testing.T) {
	r := tableRun(t)
	out := cluster.Outcome{ID: "c1-1", Node: 2, Applier: 1, Epoch: 257, Attempts: 1}
	timeout := &cluster.RequestError{ID: "c1-2", Err: cluster.ErrTimeout}
	rejected := &cluster.RequestError{ID: "c1-3", Err: fmt.Errorf("%w: not an image", cluster.ErrRejected)}
	cases := []struct {
		err, verr error
		outcome   history.Outcome
		load      load.Outcome
		verified  bool
	}{
		{nil, nil, history.OK, load.OK, true},
		{nil, load.ErrInconsistentAnswer, history.OK, load.OK, false},
		{timeout, nil, history.Unknown, load.TimedOut, false},
		{rejected, nil, history.Fail, load.Failed, false},
	}
	for i, c := range cases {
		op := viewOp(1)
		resp := r.table.finish(&op, out, c.err, c.verr, 10)
		if op.Outcome != c.outcome || resp.Outcome != c.load || resp.Verified != c.verified || (c.verr != nil) != (resp.Invalid == 1) {
			t.Errorf("case %d: history %s, load %s verified %v invalid %d; want %s, %s, %v", i, op.Outcome, resp.Outcome, resp.Verified, resp.Invalid, c.outcome, c.load, c.verified)
		}
		if (op.Applier != 0) != (c.outcome == history.OK) {
			t.Errorf("case %d: applier %d on a %s op", i, op.Applier, op.Outcome)
		}
	}
	if err := r.closeTable(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(r.dir, rundir.FileHistory))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ops, err := history.ReadAll(f)
	if err != nil || len(ops) != len(cases) || r.table.invalid.Load() != 1 {
		t.Errorf("history: %d ops, %v; %d invalid answers counted", len(ops), err, r.table.invalid.Load())
	}
}

// TestJudgeTableFailsOnAnIncompleteHistory: an answer the history cannot
// hold (negative views left) is not recorded; the table checks must not
// pass on what is left, and the run warns.
func TestJudgeTableFailsOnAnIncompleteHistory(t *testing.T) {
	r := tableRun(t)
	good, bad := viewOp(1), viewOp(-1)
	good.Outcome, bad.Outcome = history.OK, history.OK
	r.table.record(&good)
	r.table.record(&bad)
	if err := r.closeTable(); err != nil {
		t.Fatal(err)
	}
	s := &rundir.Summary{}
	checks, err := r.judgeTable(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || s.Table == nil || s.Table.Ops != 1 || len(s.Warnings) != 1 {
		t.Fatalf("checks %+v, table %+v, warnings %v", checks, s.Table, s.Warnings)
	}
	for _, c := range checks {
		if c.Pass || !strings.Contains(c.Detail, "history incomplete: 1 operations") {
			t.Errorf("%s = %+v, want a failure saying the history is incomplete", c.Name, c)
		}
	}
}
