package history

import (
	"math"
	"time"

	"github.com/anishathalye/porcupine"
)

// Unknown operations are what makes porcupine slow: each one stays pending
// until the end of the history, so the search must consider it taking
// effect at every later point, and k of them multiply the states it
// visits by up to 2^k. The functions here shorten or remove them only where
// that provably changes no verdict: each rule maps any linearization of the
// original history to one of the simplified history and back.

// resolution is how the unknown operations of a partition's candidates are
// checked: which are kept, which are resolved to answered ones (copies) and
// after which time the others may as well not take effect (horizon).
type resolution struct {
	keep     []int
	resolved map[int]*Op
	horizon  map[int]time.Duration
	dropped  int
}

func (u *resolution) op(ops []Op, i int) *Op {
	if r, ok := u.resolved[i]; ok {
		return r
	}
	return &ops[i]
}

func (u *resolution) operation(ops []Op, i int, user string) porcupine.Operation {
	h, ok := u.horizon[i]
	if !ok {
		h = -1
	}
	return operation(u.op(ops, i), i, user, h)
}

func (u *resolution) count(counts map[string]int) {
	counts["unknown_dropped"] += u.dropped
	counts["unknown_resolved"] += len(u.resolved)
	counts["unknown_bounded"] += len(u.horizon)
}

// resolveViews applies one rule to the unknown views among ops[idx]: an
// image's remaining views never go up, so once an answer has reported 0
// left, a view taking effect can only be refused, which changes nothing.
// An unknown view called after such an answer returned is left out; one
// called before gets the earliest such return as its horizon.
func resolveViews(ops []Op, idx []int) resolution {
	zeros := make(map[string][]time.Duration) // returns of answers reporting 0 left, per image
	for _, i := range idx {
		if op := &ops[i]; op.Outcome == OK && op.Output.Remaining == 0 {
			zeros[op.Input.Image] = append(zeros[op.Input.Image], op.Return)
		}
	}
	u := resolution{horizon: make(map[int]time.Duration)}
	for _, i := range idx {
		op := &ops[i]
		if op.Outcome != Unknown {
			u.keep = append(u.keep, i)
			continue
		}
		first := time.Duration(math.MaxInt64)
		for _, t := range zeros[op.Input.Image] {
			first = min(first, t)
		}
		switch {
		case first < op.Call:
			u.dropped++
			continue
		case first < math.MaxInt64:
			u.horizon[i] = first
		}
		u.keep = append(u.keep, i)
	}
	return u
}

// resolveDiscovery applies three rules to the unknown register and
// unregister calls among ops[idx]. A write is register(u, a), writing a at
// u, or unregister(u), writing "absent"; it is seen by an answered online()
// that returned after the write was called and shows its value at u.
//
//   - Never seen: left out. Had it happened, the next write to u would have
//     replaced its value before any online() read it.
//   - A register(u, a) seen, and the only register of (u, a): it happened,
//     before the first online() that saw it returned. It is resolved to an
//     answered call returning then.
//   - Otherwise its horizon is the last return of an online() that saw it:
//     taking effect later, it would be replaced before any online() read it,
//     as in the first rule.
func resolveDiscovery(ops []Op, idx []int) resolution {
	type write struct{ user, addr string }
	sources := make(map[write]int) // registers per value
	var onlines []int
	for _, i := range idx {
		switch op := &ops[i]; op.Kind {
		case Register:
			sources[write{op.Input.User, op.Input.Addr}]++
		case Online:
			onlines = append(onlines, i)
		}
	}
	u := resolution{resolved: make(map[int]*Op), horizon: make(map[int]time.Duration)}
	for _, i := range idx {
		op := &ops[i]
		if op.Outcome != Unknown {
			u.keep = append(u.keep, i)
			continue
		}
		first, last, seen := time.Duration(math.MaxInt64), time.Duration(0), false
		for _, o := range onlines {
			on := &ops[o]
			if on.Return < op.Call {
				continue
			}
			addr, n := lookup(on.Output.Online, op.Input.User)
			if n > 0 && addr == op.Input.Addr || n == 0 && op.Kind == Unregister {
				seen, first, last = true, min(first, on.Return), max(last, on.Return)
			}
		}
		switch {
		case !seen:
			u.dropped++
			continue
		case op.Kind == Register && sources[write{op.Input.User, op.Input.Addr}] == 1:
			r := *op
			r.Outcome, r.Return, r.Error = OK, first, ""
			u.resolved[i] = &r
		default:
			u.horizon[i] = last
		}
		u.keep = append(u.keep, i)
	}
	return u
}
