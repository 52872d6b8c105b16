package harness

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/history"
	"stegocloud/harness/rundir"
	"stegocloud/internal/nodecmd/nodetest"
)

// mixRun runs a short open-loop mix of encrypts, views and discovery on
// real nodes, every node with the extra environment env, and returns the
// run's summary, report and history.
func mixRun(t *testing.T, name string, env []string, expect string) (*rundir.Summary, string, []history.Op, *RunOutcome, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".yaml")
	writeFile(t, path, `
name: `+name+`
cluster: {nodes: 3, service: {delay: 0s}}
workload:
  clients: 8
  rate: 80/s
  duration: 3s
  timeout: 1s
  retries: 3
  backoff: 10ms
  max_duration: 30s
  image: {width: 32, height: 32}
  images: 2
  usernames: 2
  quota: 2
  mix: {encrypt: 0.25, view: 0.6, register: 0.05, unregister: 0.05, online: 0.05}
`+expect)
	opts := testRunOptions(t)
	opts.NodeEnv = append(opts.NodeEnv, env...)
	out, err := RunExperiment(context.Background(), path, opts)
	assertNoChildren(t)
	if out == nil || len(out.Runs) != 1 {
		t.Fatalf("RunExperiment: %v; outcome %+v", err, out)
	}
	dir := out.Runs[0].Dir
	report, rerr := os.ReadFile(filepath.Join(dir, rundir.FileReport))
	if rerr != nil {
		t.Fatal(rerr)
	}
	f, ferr := os.Open(filepath.Join(dir, rundir.FileHistory))
	if ferr != nil {
		t.Fatal(ferr)
	}
	defer f.Close()
	ops, herr := history.ReadAll(f)
	if herr != nil {
		t.Fatalf("%s does not read back: %v", rundir.FileHistory, herr)
	}
	return out.Runs[0].Summary, string(report), ops, out, err
}

// TestRunViewMix: a mix of encrypts, views and discovery on a healthy
// cluster records every table operation in history.jsonl, and both table
// checks are in the verdict and pass.
func TestRunViewMix(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	s, report, ops, out, err := mixRun(t, "mix", nil, "")
	requireVerdict(t, out, err)
	tb := s.Table
	if tb == nil {
		t.Fatal("summary.json has no table section")
	}
	t.Logf("table: %+v", *tb)
	if tb.Ops != len(ops) || tb.ByKind["view"] == 0 || tb.Granted == 0 || tb.Refused["not authorized"] == 0 || tb.Spent == 0 {
		t.Errorf("table %+v over %d ops: want views granted, refused as not authorized, and images run out", *tb, len(ops))
	}
	for _, name := range []string{"linearizable", "quota_safety"} {
		if c := checkNamed(s, name); !c.Pass {
			t.Errorf("%s = %+v, want a pass", name, c)
		}
	}
	for _, op := range ops {
		if op.Outcome == history.OK && (op.Applier == 0 || op.Epoch == 0 || op.Node == 0 || op.Request == "") {
			t.Errorf("answered op without its node, applier, epoch or request: %+v", op)
			break
		}
	}
	for _, want := range []string{"## Views and quota", "[history.jsonl](history.jsonl)", "| linearizable | PASS |", "| quota_safety | PASS |"} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// TestRunNodesOverGranting: nodes that reveal every image with 2 more views
// than it carries (nodetest inflate-quota) grant beyond the quota.
// quota_safety and linearizable fail, name the image and the granting
// nodes, and porcupine's page is written and linked; the answers with more
// views left than the quota are inconsistent (responses_valid). Declared
// expected anomalies, they make the run pass.
func TestRunNodesOverGranting(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	s, report, _, out, err := mixRun(t, "overgrant", []string{nodetest.MutateEnv + "=inflate-quota=2"},
		"expect:\n  anomalies: [responses_valid, linearizable, quota_safety]\n")
	requireVerdict(t, out, err)
	q := checkNamed(s, "quota_safety")
	if q.Pass || !q.Expected || len(q.Evidence) == 0 {
		t.Fatalf("quota_safety = %+v, want a failure with evidence, marked expected", q)
	}
	e := q.Evidence[0]
	if e.Kind != rundir.EvidenceTable || len(e.Nodes) == 0 || !strings.Contains(e.Text, "quota 2") {
		t.Errorf("evidence %+v: want the image, its quota and the granting nodes", e)
	}
	lin := checkNamed(s, "linearizable")
	if lin.Pass || s.Table == nil || s.Table.Visual != rundir.FileLinearizableHTML {
		t.Errorf("linearizable = %+v, table %+v: want a failure with porcupine's page", lin, s.Table)
	}
	if _, err := os.Stat(filepath.Join(out.Runs[0].Dir, rundir.FileLinearizableHTML)); err != nil {
		t.Errorf("visualization: %v", err)
	}
	for _, want := range []string{"quota_safety: expected anomaly found", "over-grant (image ", "Applied (granted) by node",
		"[linearizable.html](linearizable.html)"} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}
