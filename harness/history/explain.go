package history

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

// maxEvidenceOps bounds the operations listed with one violation.
const maxEvidenceOps = 20

// explainFailure turns the illegal partitions into violations: the smallest
// one in full (porcupine's longest partial linearization, the operations
// that cannot come after it, the patterns found) and with its visualization;
// the others with their patterns only.
func explainFailure(r *Result, ops []Op, parts []*partition, budget time.Duration, path string) {
	var illegal []*partition
	for _, p := range parts {
		if p.res == porcupine.Illegal {
			illegal = append(illegal, p)
		}
	}
	// Smallest first; on a tie a projection on one user before the whole
	// discovery table, whose evidence is harder to read.
	whole := func(p *partition) int {
		if p.key == "discovery" {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(illegal, func(a, b *partition) int {
		return cmp.Or(cmp.Compare(len(a.ops), len(b.ops)), cmp.Compare(whole(a), whole(b)))
	})
	v, info := explainPartition(illegal[0], ops, max(budget, time.Second))
	r.addViolation(v)
	for _, p := range illegal[1:] {
		pats := patterns(p, ops)
		r.addViolation(violation(p, ops, fmt.Sprintf("%s: its %d operations have no linearization.%s",
			describeKey(p, ops), len(p.ops), patternText(pats)), pats, nil))
	}
	if path == "" {
		return
	}
	if err := porcupine.VisualizePath(illegal[0].model, info, path); err != nil {
		r.Details = append(r.Details, fmt.Sprintf("visualization of %s not written: %v", illegal[0].key, err))
		return
	}
	r.Visualization = path
	r.Details = append(r.Details, fmt.Sprintf("porcupine's visualization of %s: %s", illegal[0].key, path))
}

// explainPartition asks porcupine for its partial linearizations of p and
// says, from the longest, which operations cannot come next and why.
func explainPartition(p *partition, ops []Op, budget time.Duration) (Violation, porcupine.LinearizationInfo) {
	_, info := porcupine.CheckOperationsVerbose(p.model, displayClients(p.ops), budget)
	var longest []int
	if pl := info.PartialLinearizations(); len(pl) > 0 {
		longest = pickLongest(pl[0])
	}
	state := p.model.Init()
	done := make([]bool, len(p.ops))
	for _, id := range longest {
		_, state = p.model.Step(state, p.ops[id].Input, p.ops[id].Output)
		done[id] = true
	}
	// What could come next in real time: every pending operation called
	// before the earliest pending return.
	first := int64(math.MaxInt64)
	for id, o := range p.ops {
		if !done[id] {
			first = min(first, o.Return)
		}
	}
	var stuck []int
	var why []string
	for id, o := range p.ops {
		if !done[id] && o.Call <= first {
			stuck = append(stuck, id)
			why = append(why, whyNot(o.Input.(*call)))
		}
	}
	pats := patterns(p, ops)
	text := fmt.Sprintf("%s: its %d operations have no linearization.%s porcupine ordered %d of them consistently (the table then %s); none of the %d that must come next fits: %s.",
		describeKey(p, ops), len(p.ops), patternText(pats), len(longest), describeStates(p, state), len(stuck), strings.Join(why, "; "))
	var tail []int
	for _, id := range longest[max(0, len(longest)-3):] {
		tail = append(tail, p.ops[id].Input.(*call).index)
	}
	var next []int
	for _, id := range stuck {
		next = append(next, p.ops[id].Input.(*call).index)
	}
	return violation(p, ops, text, pats, [][]int{next, tail}), info
}

// displayClients renumbers the clients of a partition's operations for the
// visualization, which draws a row per client id from 0: the partition's
// clients get rows in order of appearance, and each unknown operation a row
// of its own, since its client went on to other operations while it stayed
// pending. The real client stays in each operation's description.
func displayClients(ops []porcupine.Operation) []porcupine.Operation {
	out := slices.Clone(ops)
	row := make(map[int]int)
	for i := range out {
		if out[i].Input.(*call).op.Outcome == Unknown {
			continue
		}
		if _, ok := row[out[i].ClientId]; !ok {
			row[out[i].ClientId] = len(row)
		}
		out[i].ClientId = row[out[i].ClientId]
	}
	next := len(row)
	for i := range out {
		if out[i].Input.(*call).op.Outcome == Unknown {
			out[i].ClientId, next = next, next+1
		}
	}
	return out
}

// violation collects a violation's evidence: the patterns' operations, then
// those that cannot come next, then the last ones porcupine ordered.
func violation(p *partition, ops []Op, text string, pats []pattern, more [][]int) Violation {
	v := Violation{Kind: "not linearizable", Key: p.key, Text: text}
	seen := make(map[int]bool)
	add := func(i int, role string) {
		if !seen[i] && len(v.Ops) < maxEvidenceOps {
			seen[i] = true
			v.Ops = append(v.Ops, evidence(ops, i, role))
		}
	}
	for _, pt := range pats {
		for k, i := range pt.ops {
			add(i, pt.roles[k])
		}
	}
	roles := []string{"cannot come next", "ordered last before it"}
	for k, idx := range more {
		for _, i := range idx {
			add(i, roles[k])
		}
	}
	return v
}

// pickLongest returns the longest partial linearization, the first in
// lexicographic order among equals, so that reports are reproducible.
func pickLongest(partials [][]int) []int {
	var best []int
	for _, l := range partials {
		if len(l) > len(best) || len(l) == len(best) && slices.Compare(l, best) < 0 {
			best = l
		}
	}
	return best
}

func describeKey(p *partition, ops []Op) string {
	if p.image == "" {
		return p.key
	}
	c := p.ops[0].Input.(*call)
	return fmt.Sprintf("%s (quota %d)", p.key, ops[c.index].Input.Quota)
}

// describeStates words the set of states the table may be in.
func describeStates(p *partition, state any) string {
	set := state.([]any)
	if p.image != "" {
		vals := make([]string, len(set))
		for i, s := range set {
			vals[i] = describeRemaining(s.(viewState).left)
		}
		return "has " + oneOf(vals)
	}
	vals := make([]string, len(set))
	for i, s := range set {
		if p.user == "" {
			vals[i] = peersString(s.(*table).peers)
		} else {
			vals[i] = p.user + " " + describeAddr(s)
		}
	}
	return "holds " + oneOf(vals)
}

func oneOf(vals []string) string {
	if len(vals) == 1 {
		return vals[0]
	}
	return "one of {" + strings.Join(vals, ", ") + "}"
}

// whyNot says what the answer of c needs, which the state it would follow
// does not give.
func whyNot(c *call) string {
	op := c.op
	var rule string
	switch {
	case op.Kind == View && op.Output.Granted && op.Input.Authorized == AuthDenied:
		rule = "the user is not authorized, yet was granted"
	case op.Kind == View && op.Output.Granted:
		rule = fmt.Sprintf("a grant leaving %d needs %d left before it", op.Output.Remaining, op.Output.Remaining+1)
	case op.Kind == View && op.Output.Reason == ReasonNotAuthorized && op.Input.Authorized == AuthAllowed:
		rule = "the user is authorized, yet was refused as not authorized"
	case op.Kind == View && (op.Output.Reason == ReasonNotAuthorized || op.Output.Reason == ReasonQuotaExhausted):
		rule = fmt.Sprintf("a refusal reports the views left, here %d", op.Output.Remaining)
	case op.Kind == View:
		rule = fmt.Sprintf("the table never answers granted=%t with reason %q", op.Output.Granted, op.Output.Reason)
	case op.Kind == Online && c.user != "":
		addr, n := lookup(op.Output.Online, c.user)
		rule = fmt.Sprintf("it shows %s %s", c.user, describeAddr(addr))
		if n > 1 {
			rule = fmt.Sprintf("it lists %s %d times", c.user, n)
		}
	default:
		rule = "no state of the table gives this answer"
	}
	return op.String() + " — " + rule
}
