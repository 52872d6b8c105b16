package harness

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"stegocloud/harness/rundir"
	"stegocloud/internal/nodecmd/nodetest"
)

// mutatedRun runs a short open-loop experiment with real nodes, node 2 of
// which misbehaves as mutation says (nodetest.MutateEnv), and returns its
// summary and report.
func mutatedRun(t *testing.T, name, mutation, expect string) (*rundir.Summary, string, *RunOutcome, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".yaml")
	writeFile(t, path, `
name: `+name+`
cluster: {nodes: 3, service: {delay: 0s}}
workload:
  clients: 8
  rate: 60/s
  duration: 3s
  timeout: 1s
  retries: 3
  backoff: 10ms
  max_duration: 30s
  image: {width: 32, height: 32}
  images: 2
`+expect)
	opts := testRunOptions(t)
	opts.NodeEnvOf = map[int][]string{2: {nodetest.MutateEnv + "=" + mutation}}
	out, err := RunExperiment(context.Background(), path, opts)
	assertNoChildren(t)
	if out == nil || len(out.Runs) != 1 {
		t.Fatalf("RunExperiment: %v; outcome %+v", err, out)
	}
	report, rerr := os.ReadFile(filepath.Join(out.Runs[0].Dir, rundir.FileReport))
	if rerr != nil {
		t.Fatal(rerr)
	}
	return out.Runs[0].Summary, string(report), out, err
}

// timingChecks hold only while the machine keeps the cluster's timing
// assumptions (a heartbeat every 50 ms, suspicion after 200 ms). Starved —
// the race detector on busy shared cores — real nodes do split the brain and
// stall: under `go test -race ./harness/...` at a load average of 20 on 2
// cores, TestRunSmoke's nodes 1 (epoch 259) and 3 (epoch 515) both assigned
// for 704 ms. End-to-end tests of the pipeline log such failures instead of
// failing on them; the checks' own tests (package check) make them fail on
// purpose, and `make experiment` runs judge them.
var timingChecks = []string{"single_coordinator", "liveness"}

// requireVerdict fails t unless RunExperiment's err is nil or says only that
// a verdict failed, and every check of every run came out as expected but
// for timingChecks, whose failures it logs.
func requireVerdict(t *testing.T, out *RunOutcome, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, ErrVerdict) {
		t.Fatalf("RunExperiment: %v", err)
	}
	if out == nil {
		t.Fatal("RunExperiment returned no outcome")
	}
	for _, r := range out.Runs {
		for _, c := range r.Summary.Verdict.Checks {
			switch {
			case c.AsExpected():
			case slices.Contains(timingChecks, c.Name):
				t.Logf("%s: %s failed on this machine (the cluster's timing assumptions did not hold): %s", r.Dir, c.Name, c.Detail)
			default:
				t.Errorf("%s: check %s failed: %s", r.Dir, c.Name, c.Detail)
			}
		}
	}
}

func checkNamed(s *rundir.Summary, name string) rundir.Check {
	i := slices.IndexFunc(s.Verdict.Checks, func(c rundir.Check) bool { return c.Name == name })
	if i < 0 {
		return rundir.Check{Name: name, Detail: "missing"}
	}
	return s.Verdict.Checks[i]
}

// TestRunNodeAnsweringWrong: a real node that answers every third request
// it serves with other metadata than was sent. Every request still succeeds
// (the clients reject the wrong answers and retry), yet responses_valid
// fails, counts the wrong answers, names node 2 and is explained in the
// report; declared an expected anomaly, it makes the run pass.
func TestRunNodeAnsweringWrong(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	s, report, out, err := mutatedRun(t, "wrong", "corrupt-every=3", "expect:\n  anomalies: [responses_valid]\n")
	requireVerdict(t, out, err) // a pass: the wrong answers are the expected anomaly
	c := checkNamed(s, "responses_valid")
	t.Logf("requests %+v; responses_valid: %s", s.Requests, c.Detail)
	if c.Pass || !c.Expected || s.Requests.Invalid == 0 || len(c.Evidence) == 0 {
		t.Fatalf("responses_valid = %+v with %d invalid responses; want a failure with evidence, marked expected", c, s.Requests.Invalid)
	}
	if s.Requests.OK != s.Requests.Total {
		t.Errorf("requests %+v: want every one answered validly after its retry", s.Requests)
	}
	for _, e := range c.Evidence {
		if !slices.Equal(e.Nodes, []int{2}) || len(e.Requests) != 1 || e.Count < 1 {
			t.Errorf("evidence %+v: want a request answered wrong by node 2", e)
		}
	}
	for _, want := range []string{"responses_valid: expected anomaly found", "carrying other metadata than was sent from node 2",
		"| responses_valid | FAIL (expected anomaly found) |"} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// TestRunNodeAnsweringTwice: a real node that writes every response twice.
// The duplicates metric counts the requests answered again (from the
// clients' late answers), and nothing fails: duplicate service is at-least-
// once behaviour, not an anomaly.
func TestRunNodeAnsweringTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	s, _, out, err := mutatedRun(t, "twice", "answer-twice", "")
	requireVerdict(t, out, err) // duplicates fail nothing
	t.Logf("requests %+v; node 2 served %d", s.Requests, s.Nodes[1].Served)
	if s.Requests.Duplicates == 0 || s.Requests.DuplicatesClient == 0 || s.Requests.LateResponses < s.Requests.DuplicatesClient {
		t.Errorf("requests %+v: want the requests node 2 answered twice counted as duplicates", s.Requests)
	}
	// Node 2's answers, plus requests two nodes served (a reassignment),
	// bound what the clients can have seen twice.
	if s.Requests.Duplicates > s.Requests.Total || s.Requests.DuplicatesClient > s.Nodes[1].Completions+s.Requests.DuplicatesNodes {
		t.Errorf("requests %+v, node 2 completed %d: more duplicates than node 2's answers and the nodes' double service explain",
			s.Requests, s.Nodes[1].Completions)
	}
}
