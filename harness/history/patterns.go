package history

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A pattern is a named anomaly found directly in a failing partition: each
// one alone proves the partition is not linearizable, and it says why in
// words porcupine's verdict does not. Patterns only explain; porcupine decides.
type pattern struct {
	text  string
	ops   []int // indices into the checked []Op
	roles []string
}

// maxPatterns bounds the patterns of one kind reported for a partition.
const maxPatterns = 3

func patternText(pats []pattern) string {
	var b strings.Builder
	for _, p := range pats {
		b.WriteString(" ")
		b.WriteString(p.text)
	}
	return b.String()
}

func patterns(p *partition, ops []Op) []pattern {
	var idx []int
	for _, o := range p.ops {
		idx = append(idx, o.Input.(*call).index)
	}
	if p.image != "" {
		return viewPatterns(ops, idx)
	}
	return discoveryPatterns(ops, idx, p.user)
}

// viewPatterns finds, among one image's answered views: answers beyond the
// quota, two grants leaving the same number (a double spend) and an answer
// that saw more views left than an answer that returned before it was
// called (a stale read). Remaining views only go down, one per grant.
func viewPatterns(ops []Op, idx []int) []pattern {
	var known []int
	for _, i := range idx {
		if ops[i].Outcome == OK {
			known = append(known, i)
		}
	}
	if len(known) == 0 {
		return nil
	}
	quota := ops[known[0]].Input.Quota
	var out []pattern
	n := 0
	for _, i := range known {
		o := &ops[i].Output
		if n < maxPatterns && (o.Granted && o.Remaining >= quota || o.Remaining > quota) {
			n++
			out = append(out, pattern{
				text: fmt.Sprintf("Impossible answer: %s, more than a quota of %d allows.", ops[i].String(), quota),
				ops:  []int{i}, roles: []string{"impossible answer"},
			})
		}
	}
	return append(append(out, doubleSpends(ops, known)...), staleViews(ops, known)...)
}

func doubleSpends(ops []Op, known []int) []pattern {
	byLeft := make(map[int][]int)
	var lefts []int
	for _, i := range known {
		if o := ops[i].Output; o.Granted {
			if byLeft[o.Remaining] == nil {
				lefts = append(lefts, o.Remaining)
			}
			byLeft[o.Remaining] = append(byLeft[o.Remaining], i)
		}
	}
	slices.Sort(lefts)
	var out []pattern
	for _, left := range lefts {
		g := byLeft[left]
		if len(g) < 2 || len(out) == maxPatterns {
			continue
		}
		descr := make([]string, len(g))
		roles := make([]string, len(g))
		for k, i := range g {
			descr[k] = ops[i].String()
			roles[k] = "double spend"
		}
		out = append(out, pattern{
			text: fmt.Sprintf("Double spend: %d views granted each leaving %d: %s.", len(g), left, strings.Join(descr, "; ")),
			ops:  g, roles: roles,
		})
	}
	return out
}

// staleViews: for each answer b, the answer a with the fewest views left
// among those that returned before b was called; b is stale if it was
// granted leaving at least a's count, or refused reporting more.
func staleViews(ops []Op, known []int) []pattern {
	byReturn := slices.Clone(known)
	slices.SortStableFunc(byReturn, func(a, b int) int { return cmp.Compare(ops[a].Return, ops[b].Return) })
	lowest := make([]int, len(byReturn)) // lowest[k]: the op among byReturn[:k+1] with the fewest left
	for k, i := range byReturn {
		lowest[k] = i
		if k > 0 && ops[lowest[k-1]].Output.Remaining <= ops[i].Output.Remaining {
			lowest[k] = lowest[k-1]
		}
	}
	var out []pattern
	for _, b := range known {
		k, _ := slices.BinarySearchFunc(byReturn, ops[b].Call, func(i int, t time.Duration) int {
			if ops[i].Return < t {
				return -1
			}
			return 1
		})
		if k == 0 || len(out) == maxPatterns {
			continue
		}
		a := lowest[k-1]
		ra, ob := ops[a].Output.Remaining, ops[b].Output
		if ob.Granted && ob.Remaining >= ra || !ob.Granted && ob.Remaining > ra {
			out = append(out, pattern{
				text: fmt.Sprintf("Stale read: %s was called after %s had returned %d left.", ops[b].String(), ops[a].String(), ra),
				ops:  []int{a, b}, roles: []string{"returned first", "stale answer"},
			})
		}
	}
	return out
}

// discoveryPatterns finds answered online() calls that miss a user whose
// register returned before the call with no unregister that could come in
// between, that show a user no register could have put there, or that
// still show a user unregistered before the call with no register that
// could come after. A user other than "" limits the search to that user.
func discoveryPatterns(ops []Op, idx []int, user string) []pattern {
	var regs, unregs, onlines []int
	users := make(map[string]bool)
	for _, i := range idx {
		switch op := &ops[i]; op.Kind {
		case Register:
			regs = append(regs, i)
			users[op.Input.User] = true
		case Unregister:
			unregs = append(unregs, i)
			users[op.Input.User] = true
		case Online:
			onlines = append(onlines, i)
			for _, p := range op.Output.Online {
				users[p.User] = true
			}
		}
	}
	names := make([]string, 0, len(users))
	for u := range users {
		if user == "" || u == user {
			names = append(names, u)
		}
	}
	slices.Sort(names)
	var missing, phantom, lingering []pattern
	for _, o := range onlines {
		for _, u := range names {
			addr, n := lookup(ops[o].Output.Online, u)
			switch {
			case n == 0:
				missing = appendIf(missing, missingUser(ops, o, u, regs, unregs))
			case len(phantom) < maxPatterns && !anyOp(ops, regs, func(r *Op) bool {
				return r.Input.User == u && r.Input.Addr == addr && r.Call <= ops[o].Return
			}):
				phantom = append(phantom, pattern{
					text: fmt.Sprintf("Phantom: %s shows %s@%s, but no register(%s, %s) was called before it returned.",
						ops[o].String(), u, addr, u, addr),
					ops: []int{o}, roles: []string{"phantom entry"},
				})
			default:
				lingering = appendIf(lingering, lingeringUser(ops, o, u, regs, unregs))
			}
		}
	}
	return append(append(cap3(missing), cap3(phantom)...), cap3(lingering)...)
}

func missingUser(ops []Op, o int, u string, regs, unregs []int) *pattern {
	on := &ops[o]
	for _, r := range regs {
		reg := &ops[r]
		if reg.Input.User != u || reg.Outcome != OK || reg.Return >= on.Call {
			continue
		}
		if anyOp(ops, unregs, func(un *Op) bool {
			return un.Input.User == u && un.Call <= on.Return && (un.Outcome == Unknown || un.Return >= reg.Call)
		}) {
			continue
		}
		return &pattern{
			text: fmt.Sprintf("Missing user: %s lacks %s, although %s returned before it was called and no unregister(%s) could come in between.",
				on.String(), u, reg.String(), u),
			ops: []int{r, o}, roles: []string{"registered first", "online without the user"},
		}
	}
	return nil
}

func lingeringUser(ops []Op, o int, u string, regs, unregs []int) *pattern {
	on := &ops[o]
	for _, x := range unregs {
		un := &ops[x]
		if un.Input.User != u || un.Outcome != OK || un.Return >= on.Call {
			continue
		}
		if anyOp(ops, regs, func(r *Op) bool {
			return r.Input.User == u && r.Call <= on.Return && (r.Outcome == Unknown || r.Return >= un.Call)
		}) {
			continue
		}
		return &pattern{
			text: fmt.Sprintf("Lingering user: %s still shows %s, although %s returned before it was called and no register(%s) could come after.",
				on.String(), u, un.String(), u),
			ops: []int{x, o}, roles: []string{"unregistered first", "online with the user"},
		}
	}
	return nil
}

func anyOp(ops []Op, idx []int, f func(*Op) bool) bool {
	return slices.ContainsFunc(idx, func(i int) bool { return f(&ops[i]) })
}

func appendIf(ps []pattern, p *pattern) []pattern {
	if p == nil || len(ps) == maxPatterns {
		return ps
	}
	return append(ps, *p)
}

func cap3(ps []pattern) []pattern { return ps[:min(len(ps), maxPatterns)] }
