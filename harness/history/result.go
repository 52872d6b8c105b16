package history

import "fmt"

// Status is a check's verdict.
type Status string

// The verdicts. Unknown is inconclusive (the checker ran out of time, or the
// history could not be judged): it is not a pass.
const (
	StatusPass    Status = "pass"
	StatusFail    Status = "fail"
	StatusUnknown Status = "unknown"
)

// Result is what a check found; it encodes to JSON as it stands (for
// summary.json's verdict) and its strings print as they are in a report.
type Result struct {
	Name    string         `json:"name"`    // "linearizable", "quota_safety"
	Status  Status         `json:"status"`  // pass, fail or unknown
	Summary string         `json:"summary"` // one line
	Counts  map[string]int `json:"counts"`  // what was checked and found; keys per check (doc.go)
	Details []string       `json:"details,omitempty"`
	// Violations are the anomalies found, each with the operations behind it;
	// at most MaxViolations of them (Counts says how many there were).
	Violations []Violation `json:"violations,omitempty"`
	// Visualization is the path of porcupine's HTML page of the failing
	// partition, when one was written.
	Visualization string `json:"visualization,omitempty"`
	// ElapsedMS is how long the check took (porcupine's search and the
	// explanation of a failure), in milliseconds; 0 for quota_safety.
	ElapsedMS float64 `json:"elapsed_ms,omitempty"`
}

// Pass reports whether the check passed.
func (r *Result) Pass() bool { return r.Status == StatusPass }

// MaxViolations bounds Result.Violations and a violation's listed operations.
const MaxViolations = 10

// Violation is one anomaly, in words a report can print, with the
// operations involved.
type Violation struct {
	Kind string     `json:"kind"` // e.g. "not linearizable", "over-grant", "grant after exhausted"
	Key  string     `json:"key"`  // what it is about: "image img-7", "discovery", "discovery user alice"
	Text string     `json:"text"` // what is wrong, naming the operations, clients and nodes
	Ops  []Evidence `json:"ops"`
}

// Evidence is one operation behind a violation.
type Evidence struct {
	Index int    `json:"index"` // position in the checked []Op: line Index+1 of history.jsonl as ReadAll returned it
	Role  string `json:"role"`  // its part in the anomaly
	Text  string `json:"text"`  // Op.String()
	Op    Op     `json:"op"`    // the operation, as a history.jsonl object
}

func evidence(ops []Op, i int, role string) Evidence {
	return Evidence{Index: i, Role: role, Text: ops[i].String(), Op: ops[i]}
}

// invalid is the result of a check that cannot judge its input.
func invalid(name string, err error) Result {
	return Result{
		Name: name, Status: StatusUnknown, Counts: map[string]int{},
		Summary: fmt.Sprintf("history cannot be judged: %v", err),
	}
}

// addViolation keeps the first MaxViolations.
func (r *Result) addViolation(v Violation) {
	if len(r.Violations) < MaxViolations {
		r.Violations = append(r.Violations, v)
	}
}
