package design_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"stegocloud/harness/design"
	"stegocloud/harness/internal/golden"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// part2Sources declares only the Part 2 sections: partition, tls and quota
// have runs in part2Results; hysteresis, proxies and partition_quota do not.
const part2Sources = `stress: ""
failover: ""
openloop: ""
balancers: ""
scaling: ""
partition: partition
tls: tls-overhead
hysteresis: hysteresis
proxies: proxy-overhead
quota: quota
partition_quota: partition-quota
elections: elections
`

// overlap is single_coordinator's finding in the bully variant.
var overlap = rundir.Evidence{Kind: rundir.EvidenceOverlap, FromS: 5.18, ToS: 10.003, Nodes: []int{1, 2}, Epochs: []uint64{258, 515},
	Count: 2, Requests: []string{"c0-3", "c1-3"}, Limit: 0.05}

// checks is a verdict of the Part 2 checks; fail names the checks that
// fail, expected those the experiment declares expected anomalies.
func checks(fail, expected map[string]bool, evidence map[string][]rundir.Evidence) rundir.Verdict {
	v := rundir.Verdict{Pass: true}
	for _, name := range []string{"accounted", "responses_valid", "single_coordinator", "liveness"} {
		c := rundir.Check{Name: name, Pass: !fail[name], Expected: expected[name], Detail: name + " detail"}
		if !c.Pass {
			c.Evidence = evidence[name]
		}
		v.Pass = v.Pass && c.AsExpected()
		v.Checks = append(v.Checks, c)
	}
	return v
}

// rewriteSummary applies edit to the summary.json at path, keeping any
// field rundir.Summary does not know (the table of a views run).
func rewriteSummary(t *testing.T, path string, edit func(*rundir.Summary), extra map[string]any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	edit(&s)
	if b, err = json.Marshal(&s); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		m[k] = v
	}
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// part2Results is a results root with the partition sweep (bully finds
// its expected split brain, raft passes), the TLS sweep (one run of the
// TLS variant fails a check nobody expected) and a views run.
func part2Results(t *testing.T) string {
	t.Helper()
	results := filepath.Join(t.TempDir(), "results")

	part := filepath.Join(results, "partition", "20260401-100000")
	idx := rundirtest.WriteSynthSweep(t, part, "partition", []string{"cluster.election"}, [][]string{{"bully", "raft"}}, 1)
	for _, v := range idx.Variants {
		bully := v.Values["cluster.election"] == "bully"
		rewriteSummary(t, filepath.Join(part, v.Path, rundir.FileSummary), func(s *rundir.Summary) {
			s.Verdict = checks(map[string]bool{"single_coordinator": bully}, map[string]bool{"single_coordinator": bully},
				map[string][]rundir.Evidence{"single_coordinator": {overlap}})
			s.Faults.Network = []rundir.NetFaultRecord{{Kind: "partition", AtS: 5, ForS: 5, What: "partition [1] | [2 3]"}}
			s.LatencyInFaults = rundir.Latency{Count: 100, P50Ms: 103, P99Ms: 240}
			if bully {
				s.Elections.Overlaps, s.Requests.Duplicates = 2, 7
			} else {
				s.Replication = rundir.ReplicationCost{MessagesPerRequest: 30.5, AllMessagesPerRequest: 50.25, Fsyncs: 2100, FsyncsPerS: 50}
			}
		}, nil)
		fakeFigures(t, filepath.Join(part, v.Path, rundir.DirFigures), "timeline", "load")
	}
	pointLatest(t, results, "partition", "20260401-100000")

	// A fifth overlap in raft would be news; four in bully are more than
	// the README lists.
	rewriteSummary(t, filepath.Join(part, "election=bully", rundir.FileSummary), func(s *rundir.Summary) {
		for i := range s.Verdict.Checks {
			if c := &s.Verdict.Checks[i]; c.Name == "single_coordinator" {
				for k := 1; k <= 3; k++ {
					e := overlap
					e.FromS, e.ToS = overlap.FromS+float64(5*k), overlap.ToS+float64(5*k)
					c.Evidence = append(c.Evidence, e)
				}
			}
		}
	}, nil)

	tls := filepath.Join(results, "tls-overhead", "20260401-110000")
	idx = rundirtest.WriteSynthSweep(t, tls, "tls-overhead", []string{"cluster.tls"}, [][]string{{"false", "true"}}, 6)
	for _, v := range idx.Variants {
		for rep := 1; rep <= v.Repeat; rep++ {
			failing := v.Values["cluster.tls"] == "true" && rep == 4
			rewriteSummary(t, filepath.Join(tls, v.Path, "rep-"+strconv.Itoa(rep), rundir.FileSummary), func(s *rundir.Summary) {
				s.Verdict = checks(map[string]bool{"liveness": failing}, nil,
					map[string][]rundir.Evidence{"liveness": {{Kind: rundir.EvidenceNoCompletions, FromS: 2, ToS: 4.5, Limit: 2}}})
			}, nil)
		}
	}
	pointLatest(t, results, "tls-overhead", "20260401-110000")

	elections := filepath.Join(results, "elections", "20260401-130000")
	idx = rundirtest.WriteSynthSweep(t, elections, "elections", []string{"cluster.election"}, [][]string{{"bully", "raft"}}, 3)
	for _, v := range idx.Variants {
		for rep := 1; rep <= v.Repeat; rep++ {
			raft := v.Values["cluster.election"] == "raft"
			rewriteSummary(t, filepath.Join(elections, v.Path, "rep-"+strconv.Itoa(rep), rundir.FileSummary), func(s *rundir.Summary) {
				s.Replication = rundir.ReplicationCost{MessagesPerRequest: 0.5, AllMessagesPerRequest: 12}
				if raft {
					s.Replication = rundir.ReplicationCost{MessagesPerRequest: 20 + float64(rep), AllMessagesPerRequest: 40, Fsyncs: int64(3000 + rep), FsyncsPerS: 100 + float64(rep)}
				}
			}, nil)
			fakeFigures(t, filepath.Join(elections, v.Path, "rep-"+strconv.Itoa(rep), rundir.DirFigures), "timeline")
		}
	}
	pointLatest(t, results, "elections", "20260401-130000")

	files, err := failoverFiles()
	if err != nil {
		t.Fatal(err)
	}
	dir := writeRun(t, results, "quota", "20260401-120000", files)
	table := map[string]any{"ops": 120, "by_kind": map[string]int{"view": 100, "register": 20}, "outcome": map[string]int{"ok": 118, "unknown": 2},
		"images": 12, "granted": 60, "refused": map[string]int{"quota exhausted": 30, "not authorized": 10}, "exhausted_images": 9,
		"history": "history.jsonl", "linearizable_ms": 12.5, "quota_safety_ms": 0.25, "partitions": 32}
	rewriteSummary(t, filepath.Join(dir, rundir.FileSummary), func(s *rundir.Summary) {
		s.Experiment = "quota"
		s.Verdict.Checks = append(s.Verdict.Checks, rundir.Check{Name: "linearizable", Pass: true, Detail: "32 partitions linearizable"},
			rundir.Check{Name: "quota_safety", Pass: true, Detail: "no image over its quota"})
	}, map[string]any{"table": table})
	return results
}

func part2Report(t *testing.T) (*design.Outcome, string) {
	t.Helper()
	out := outDir(t)
	if err := os.WriteFile(filepath.Join(out, design.SourcesFile), []byte(part2Sources), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := design.Report(design.Options{Results: part2Results(t), Out: out})
	if err != nil {
		t.Fatalf("a Part 2 source without runs must be a warning, not an error: %v", err)
	}
	readme, err := os.ReadFile(res.README)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(readme)
}

// TestDesignReportPart2Golden renders the Part 2 sections from fixtures of
// every shape: a sweep of single runs, a repeated sweep, a single run with a
// table, and sources that have not run.
func TestDesignReportPart2Golden(t *testing.T) {
	_, readme := part2Report(t)
	golden.Check(t, "README-part2.md.golden", []byte(readme))
}

func TestDesignReportPart2Verdicts(t *testing.T) {
	res, readme := part2Report(t)
	section := func(heading string) string {
		i := strings.Index(readme, heading)
		if i < 0 {
			t.Fatalf("README lacks %q:\n%s", heading, readme)
		}
		rest := readme[i+len(heading):]
		if j := strings.Index(rest, "\n## "); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	part := section("## 8. Network partitions")
	for _, want := range []string{
		"| check `single_coordinator` | FAIL (expected anomaly found) | PASS |", // bully finds it, raft does not
		"| verdict | PASS | PASS |",
		"election=bully `single_coordinator`: FAIL (expected anomaly found)",
		"Node 1 kept assigning requests in epoch 258 from 5.180 s to 10.003 s while node 2 was coordinator of epoch 515",
		"partition [1] | [2 3] at 5.0 s for 5.0 s",
		"from 15.180 s to 20.003 s", // the third finding is listed, the fourth is not
		"  - … and 1 more in that file.",
		"![partition election=bully: timeline](figures/partition/election=bully/timeline.png)",
		"![partition election=raft: timeline](figures/partition/election=raft/timeline.png)",
	} {
		if !strings.Contains(part, want) {
			t.Errorf("partition section lacks %q:\n%s", want, part)
		}
	}
	for _, want := range []string{
		"| replication messages per request (table or Raft frames) | — | 30.5 |", // bully's summary predates the replication cost
		"| fsyncs per second (Raft's WAL; Bully's not counted) (/s) | — | 50 |",
	} {
		if !strings.Contains(part, want) {
			t.Errorf("partition section lacks %q:\n%s", want, part)
		}
	}
	el := section("## 13. Bully and Raft under coordinator crashes")
	for _, want := range []string{
		"| replication messages per request (table or Raft frames) | 0.5 (0.5–0.5) | 22 (21–23) |", // the median of 21, 22, 23
		"| all messages per request | 12 (12–12) | 40 (40–40) |",
		"| fsyncs per second (Raft's WAL; Bully's not counted) (/s) | 0 (0–0) | 102 (101–103) |",
		"| fsyncs per run | 0 | 3002 |",
		"![elections election=raft: timeline](figures/elections/election=raft/timeline.png)",
	} {
		if !strings.Contains(el, want) {
			t.Errorf("elections section lacks %q:\n%s", want, el)
		}
	}
	if strings.Contains(part, "from 20.180 s") {
		t.Errorf("the fourth finding is listed; the README lists %d per check", 3)
	}
	tls := section("## 9. The cost of TLS")
	for _, want := range []string{
		"| verdict | 6 of 6 passed | 5 of 6 passed |",
		"| check `liveness` | PASS in 6 of 6 | PASS in 5 of 6, **FAIL** in 1 |", // a failure nobody expected stands out
		"tls=true `liveness`: FAIL** (in 1 of 6 runs; the first, `data/tls-overhead/tls=true/rep-4/summary.json`)",
		"No node completed a request from 2.000 s to 4.500 s",
		"Target: at most 15% less throughput (ratio ≥ 0.85)",
	} {
		if !strings.Contains(tls, want) {
			t.Errorf("TLS section lacks %q:\n%s", want, tls)
		}
	}
	views := section("## 12. Views and quota")
	for _, want := range []string{
		"| check `linearizable` | PASS |", "| check `quota_safety` | PASS |",
		"| views granted | 60 |", "| views refused | 40 (not authorized: 10, quota exhausted: 30) |",
		"| porcupine check time | 12.50 ms over 32 partitions |",
		"*Not run yet:* `make experiment NAME=partition-quota`",
	} {
		if !strings.Contains(views, want) {
			t.Errorf("views section lacks %q:\n%s", want, views)
		}
	}
	if !strings.Contains(section("## 10. Hysteresis"), "*Not run yet:* `make experiment NAME=hysteresis`") {
		t.Error("hysteresis has no run and does not say so")
	}
	for _, want := range []string{"hysteresis: no run yet", "proxy-overhead: no run yet", "partition-quota: no run yet"} {
		if !strings.Contains(strings.Join(res.Warnings, "\n"), want) {
			t.Errorf("warnings %q lack %q", res.Warnings, want)
		}
	}
}

// TestDesignReportPart2FailsWhenExpectedAnomalyMissing: a bully run that
// did not find its expected split brain fails, and the README says the
// anomaly was not found.
func TestDesignReportPart2ExpectedNotFound(t *testing.T) {
	results := part2Results(t)
	root := filepath.Join(results, "partition", "20260401-100000")
	rewriteSummary(t, filepath.Join(root, "election=bully", rundir.FileSummary), func(s *rundir.Summary) {
		s.Verdict = checks(nil, map[string]bool{"single_coordinator": true}, nil)
		s.Verdict.Pass = false
	}, nil)
	out := outDir(t)
	if err := os.WriteFile(filepath.Join(out, design.SourcesFile), []byte(part2Sources), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := design.Report(design.Options{Results: results, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(res.README)
	for _, want := range []string{"| verdict | **FAIL** | PASS |", "| check `single_coordinator` | PASS (expected anomaly not found) | PASS |",
		"election=bully `single_coordinator`: PASS (expected anomaly not found)"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("README lacks %q", want)
		}
	}
}

// TestDesignReportPart2TableMissing: a views run whose summary.json has no
// table (written before views existed) keeps its section, saying so.
func TestDesignReportPart2TableMissing(t *testing.T) {
	results := part2Results(t)
	path := filepath.Join(results, "quota", "20260401-120000", rundir.FileSummary)
	rewriteSummary(t, path, func(*rundir.Summary) {}, map[string]any{"table": nil})
	out := outDir(t)
	if err := os.WriteFile(filepath.Join(out, design.SourcesFile), []byte(part2Sources), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := design.Report(design.Options{Results: results, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(res.README)
	if !strings.Contains(string(b), "| views granted | — (no table in summary.json) |") {
		t.Errorf("README without a table does not say so:\n%s", b)
	}
}
