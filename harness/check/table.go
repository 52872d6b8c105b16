package check

import (
	"path/filepath"
	"slices"
	"strings"
	"time"

	"stegocloud/harness/history"
	"stegocloud/harness/rundir"
)

// TableConfig configures the checks of the table operations.
type TableConfig struct {
	// Timeout bounds porcupine's search (history.LinearizableConfig); 0:
	// history.DefaultTimeout.
	Timeout time.Duration
	// Dir is the run directory: a failing linearizable check writes
	// porcupine's visualization there (rundir.FileLinearizableHTML). "":
	// none is written.
	Dir string
}

// TableChecks judges a run's table operations (history.jsonl): linearizable
// (porcupine, per image and per discovery user and the whole discovery
// table) and quota_safety (no image granted beyond its quota or after it
// ran out; harness/history's doc gives both exactly), and counts them. A
// check porcupine could not decide in time is inconclusive, and fails: it is
// not a pass. Each violation becomes an EvidenceTable naming the image or
// user, the operations and the nodes that applied them.
func TableChecks(ops []history.Op, cfg TableConfig) ([]rundir.Check, *rundir.TableSummary) {
	sum := TableSummary(ops)
	lcfg := history.LinearizableConfig{Timeout: cfg.Timeout}
	if cfg.Dir != "" {
		lcfg.VisualizationPath = filepath.Join(cfg.Dir, rundir.FileLinearizableHTML)
	}
	lin := history.Linearizable(ops, lcfg)
	t0 := time.Now()
	quota := history.QuotaSafety(ops)
	sum.QuotaSafetyMS = float64(time.Since(t0).Microseconds()) / 1000
	sum.LinearizableMS = lin.ElapsedMS
	sum.Partitions, sum.Undecided = lin.Counts["partitions"], lin.Counts["undecided_partitions"]
	if lin.Visualization != "" {
		sum.Visual = filepath.Base(lin.Visualization)
	}
	lc := fromResult(lin, sum.Visual)
	lc.Detail += "; porcupine took " + dur(time.Duration(lin.ElapsedMS*float64(time.Millisecond)))
	return []rundir.Check{lc, fromResult(quota, "")}, sum
}

// maxTableEvidence bounds the evidence of a table check: the first few
// violations say what happened; the detail counts them all.
const maxTableEvidence = 3

// fromResult turns a history check's result into a Check: pass only when it
// passed; an evidence per violation (the first maxTableEvidence), the first
// linked to file.
func fromResult(r history.Result, file string) rundir.Check {
	c := rundir.Check{Name: r.Name, Pass: r.Pass(), Detail: r.Summary}
	if r.Status == history.StatusUnknown && !strings.HasPrefix(r.Summary, "inconclusive") {
		c.Detail = "inconclusive: " + r.Summary
	}
	for i, v := range r.Violations[:min(len(r.Violations), maxTableEvidence)] {
		e := violationEvidence(v)
		if i == 0 {
			e.File = file
		}
		c.Evidence = append(c.Evidence, e)
	}
	return c
}

func violationEvidence(v history.Violation) rundir.Evidence {
	e := rundir.Evidence{Kind: rundir.EvidenceTable, Count: len(v.Ops), Text: v.Kind + " (" + v.Key + "): " + v.Text}
	first := true
	for _, o := range v.Ops {
		op := o.Op
		if op.Applier > 0 && !slices.Contains(e.Nodes, op.Applier) {
			e.Nodes = append(e.Nodes, op.Applier)
		}
		if op.Request != "" && len(e.Requests) < 5 {
			e.Requests = append(e.Requests, op.Request)
		}
		from, to := op.Call.Seconds(), op.Return.Seconds()
		if op.Outcome == history.Unknown {
			to = from
		}
		if first || from < e.FromS {
			e.FromS = from
		}
		if first || to > e.ToS {
			e.ToS = to
		}
		first = false
	}
	slices.Sort(e.Nodes)
	return e
}

// TableSummary counts the table operations: by kind and outcome, the views
// granted and refused (by reason), the images viewed and those some view
// found exhausted.
func TableSummary(ops []history.Op) *rundir.TableSummary {
	s := &rundir.TableSummary{Ops: len(ops), ByKind: map[string]int{}, Outcome: map[string]int{},
		Refused: map[string]int{}, History: rundir.FileHistory}
	images, spent := map[string]bool{}, map[string]bool{}
	for i := range ops {
		op := &ops[i]
		s.ByKind[string(op.Kind)]++
		s.Outcome[string(op.Outcome)]++
		if op.Kind != history.View {
			continue
		}
		images[op.Input.Image] = true
		if op.Outcome != history.OK {
			continue
		}
		if op.Output.Granted {
			s.Granted++
		} else {
			s.Refused[op.Output.Reason]++
		}
		if op.Output.Remaining == 0 && op.Output.Reason != history.ReasonNotAuthorized {
			spent[op.Input.Image] = true
		}
	}
	s.Images, s.Spent = len(images), len(spent)
	return s
}
