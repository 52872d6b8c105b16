package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"stegocloud/harness/history"
	"stegocloud/harness/rundir"
)

// forged reads a history.jsonl written by hand.
func forged(t *testing.T, lines ...string) []history.Op {
	t.Helper()
	ops, err := history.ReadAll(strings.NewReader(strings.Join(lines, "\n") + "\n"))
	if err != nil {
		t.Fatalf("forged history: %v", err)
	}
	return ops
}

const (
	// Two views of img-a (quota 2), one after the other, both granted by
	// node 1 and both leaving 1 view: the second saw the first's spend
	// undone — a double spend, not linearizable, within the quota.
	doubleSpend1 = `{"client":0,"kind":"view","request":"r1","input":{"image":"img-a","user":"alice","quota":2,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":1},"call_ns":0,"return_ns":1000000,"node":2,"applier":1,"epoch":257}`
	doubleSpend2 = `{"client":1,"kind":"view","request":"r2","input":{"image":"img-a","user":"alice","quota":2,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":1},"call_ns":2000000,"return_ns":3000000,"node":3,"applier":3,"epoch":515}`
	// img-b has quota 1: granted by node 1, then by node 3 after node 1
	// had answered 0 left.
	overSpend1 = `{"client":0,"kind":"view","request":"r3","input":{"image":"img-b","user":"bob","quota":1,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":0},"call_ns":0,"return_ns":1000000,"node":1,"applier":1,"epoch":257}`
	overSpend2 = `{"client":1,"kind":"view","request":"r4","input":{"image":"img-b","user":"bob","quota":1,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":0},"call_ns":2000000,"return_ns":3000000,"node":3,"applier":3,"epoch":515}`
	// A clean history: two grants and a refusal of img-c (quota 2), an
	// unauthorized view, an unknown view, discovery.
	clean1 = `{"client":0,"kind":"view","request":"c1","input":{"image":"img-c","user":"alice","quota":2,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":1},"call_ns":0,"return_ns":1000000,"node":1,"applier":1,"epoch":257}`
	clean2 = `{"client":1,"kind":"view","request":"c2","input":{"image":"img-c","user":"alice","quota":2,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":0},"call_ns":2000000,"return_ns":3000000,"node":2,"applier":1,"epoch":257}`
	clean3 = `{"client":0,"kind":"view","request":"c3","input":{"image":"img-c","user":"alice","quota":2,"authorized":true},"outcome":"ok","output":{"granted":false,"remaining":0,"reason":"quota exhausted"},"call_ns":4000000,"return_ns":5000000,"node":1,"applier":1,"epoch":257}`
	clean4 = `{"client":1,"kind":"view","request":"c4","input":{"image":"img-c","user":"mallory","quota":2,"authorized":false},"outcome":"ok","output":{"granted":false,"remaining":0,"reason":"not authorized"},"call_ns":4000000,"return_ns":5000000,"node":1,"applier":1,"epoch":257}`
	clean5 = `{"client":2,"kind":"view","request":"c5","input":{"image":"img-c","user":"alice","quota":2,"authorized":true},"outcome":"unknown","call_ns":4500000,"node":3,"error":"request timed out"}`
	clean6 = `{"client":2,"kind":"register","request":"c6","input":{"user":"peer-1","addr":"peer.test:9001"},"outcome":"ok","call_ns":0,"return_ns":1000000,"node":1,"applier":1,"epoch":257}`
	clean7 = `{"client":2,"kind":"online","request":"c7","input":{},"outcome":"ok","output":{"online":[{"user":"peer-1","addr":"peer.test:9001"}]},"call_ns":1500000,"return_ns":2000000,"node":1,"applier":1,"epoch":257}`
)

func checkNamed(t *testing.T, checks []rundir.Check, name string) rundir.Check {
	t.Helper()
	i := slices.IndexFunc(checks, func(c rundir.Check) bool { return c.Name == name })
	if i < 0 {
		t.Fatalf("no check %q in %+v", name, checks)
	}
	return checks[i]
}

func TestTableChecksPassACleanHistory(t *testing.T) {
	dir := t.TempDir()
	checks, sum := TableChecks(forged(t, clean1, clean2, clean3, clean4, clean5, clean6, clean7), TableConfig{Dir: dir})
	for _, c := range checks {
		if !c.Pass || len(c.Evidence) > 0 {
			t.Errorf("%s = %+v, want a pass without evidence", c.Name, c)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, rundir.FileLinearizableHTML)); err == nil || sum.Visual != "" {
		t.Errorf("a passing history wrote a visualization (%q)", sum.Visual)
	}
	if sum.Ops != 7 || sum.ByKind["view"] != 5 || sum.Granted != 2 || sum.Refused["quota exhausted"] != 1 ||
		sum.Refused["not authorized"] != 1 || sum.Outcome["unknown"] != 1 || sum.Images != 1 || sum.Spent != 1 {
		t.Errorf("summary = %+v", sum)
	}
}

func TestTableChecksFailANonLinearizableHistory(t *testing.T) {
	dir := t.TempDir()
	checks, sum := TableChecks(forged(t, clean6, doubleSpend1, clean7, doubleSpend2), TableConfig{Dir: dir})
	lin := checkNamed(t, checks, "linearizable")
	if lin.Pass || len(lin.Evidence) == 0 {
		t.Fatalf("linearizable = %+v, want a failure with evidence", lin)
	}
	if q := checkNamed(t, checks, "quota_safety"); !q.Pass {
		t.Errorf("quota_safety = %+v, want a pass: 2 grants of quota 2", q)
	}
	e := lin.Evidence[0]
	if !strings.Contains(e.Text, "img-a") || !slices.Equal(e.Nodes, []int{1, 3}) || e.File != rundir.FileLinearizableHTML ||
		!slices.Contains(e.Requests, "r1") || !slices.Contains(e.Requests, "r2") || e.Kind != rundir.EvidenceTable {
		t.Errorf("evidence = %+v, want image img-a, requests r1 and r2, granting nodes [1 3], the visualization", e)
	}
	if !strings.Contains(e.Text, "applied by node 3 in epoch 515") {
		t.Errorf("evidence text %q does not name the granting node and epoch", e.Text)
	}
	if b, err := os.ReadFile(filepath.Join(dir, rundir.FileLinearizableHTML)); err != nil || len(b) == 0 || sum.Visual != rundir.FileLinearizableHTML {
		t.Errorf("visualization: %v (%d bytes), summary says %q", err, len(b), sum.Visual)
	}
	if !strings.Contains(lin.Detail, "porcupine took") {
		t.Errorf("detail %q does not say what porcupine took", lin.Detail)
	}
}

func TestTableChecksFailAnOverSpentQuota(t *testing.T) {
	checks, _ := TableChecks(forged(t, clean1, overSpend1, overSpend2), TableConfig{})
	q := checkNamed(t, checks, "quota_safety")
	if q.Pass || len(q.Evidence) == 0 {
		t.Fatalf("quota_safety = %+v, want a failure with evidence", q)
	}
	if e := q.Evidence[0]; !strings.Contains(e.Text, "img-b") || !slices.Equal(e.Nodes, []int{1, 3}) {
		t.Errorf("evidence = %+v, want image img-b granted by nodes 1 and 3", e)
	}
	if !strings.Contains(q.Detail, "img-b") {
		t.Errorf("detail %q does not name the image", q.Detail)
	}
}

func TestTableChecksAreExpectable(t *testing.T) {
	checks, _ := TableChecks(forged(t, overSpend1, overSpend2), TableConfig{})
	v := Expecting(checks, []string{"linearizable", "quota_safety"})
	if !v.Pass {
		t.Errorf("verdict = %+v, want a pass: both declared anomalies were found", v)
	}
	checks, _ = TableChecks(forged(t, clean1, clean2), TableConfig{})
	if v := Expecting(checks, []string{"quota_safety"}); v.Pass {
		t.Errorf("verdict = %+v, want a failure: the declared over-grant was not found", v)
	}
}

// An undecided porcupine search is inconclusive: the check fails, it does
// not pass.
func TestTableCheckInconclusiveFails(t *testing.T) {
	c := fromResult(history.Result{Name: "linearizable", Status: history.StatusUnknown, Summary: "porcupine did not decide image img-a in time"}, "")
	if c.Pass || !strings.HasPrefix(c.Detail, "inconclusive: ") {
		t.Errorf("check = %+v, want a failure called inconclusive", c)
	}
}
