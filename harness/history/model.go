package history

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/anishathalye/porcupine"
)

// call is what porcupine carries as an operation's input.
type call struct {
	op     *Op
	index  int    // position in the checked []Op
	user   string // discovery projected on this user; "" for the whole table
	online *table // an answered online()'s list as a table state
	rank   int    // an unknown view's place among its image's unknown views, in call order
}

// unseen is the view model's remaining views before an image's first
// operation: they are then its quota, which each operation carries.
const unseen = -1

// viewState is one image's remaining views, and how many of the image's
// unknown views have been placed in the linearization so far.
type viewState struct {
	left     int
	unknowns int
}

// viewModel is one image's remaining views. It is nondeterministic so that
// an unknown view may or may not have spent: {r, r−1}. ToModel turns it into
// a porcupine.Model over sets of states.
//
// The image's unknown views all have the same possible effects (none, or
// one view spent), so any linearization can be rearranged to place them in
// the order they were called (their horizons follow that order too, see
// resolveViews): the i-th unknown view (call.rank) may only be placed after
// the first i−1. Without this, k unknown views pending together make
// porcupine try 2^k subsets of them; with it, k+1 prefixes.
var viewModel = porcupine.NondeterministicModel{
	Init: func() []any { return []any{viewState{left: unseen}} },
	Step: func(state, input, _ any) []any {
		return viewStep(state.(viewState), input.(*call))
	},
	Hash: func(state any) uint64 {
		s := state.(viewState)
		return uint64(s.left+1)<<32 ^ uint64(s.unknowns)
	},
	DescribeOperation:         describeCall,
	DescribeState:             func(state any) string { return describeRemaining(state.(viewState).left) },
	DescribeOperationMetadata: describeMeta,
}

// viewStep is the table's view semantics: every next state the table can be
// in after c's view from state s, none if its answer is impossible from s.
func viewStep(s viewState, c *call) []any {
	op := c.op
	in, out := &op.Input, &op.Output
	r := s.left
	if r == unseen {
		r = in.Quota
	}
	if op.Outcome == Unknown {
		if c.rank != s.unknowns {
			return nil
		}
		next := viewState{r, s.unknowns + 1}
		if r > 0 && in.Authorized != AuthDenied {
			return []any{next, viewState{r - 1, s.unknowns + 1}} // not applied (or refused) / granted
		}
		return []any{next}
	}
	next := viewState{r, s.unknowns}
	switch {
	case out.Granted:
		if in.Authorized != AuthDenied && r > 0 && out.Remaining == r-1 && out.Reason == "" {
			next.left = r - 1
			return []any{next}
		}
	case out.Reason == ReasonNotAuthorized:
		if in.Authorized != AuthAllowed && out.Remaining == r {
			return []any{next}
		}
	case out.Reason == ReasonQuotaExhausted:
		if in.Authorized != AuthDenied && r == 0 && out.Remaining == 0 {
			return []any{next}
		}
	}
	return nil
}

// discoveryModel is the whole discovery table.
var discoveryModel = porcupine.NondeterministicModel{
	Init: func() []any { return []any{&table{}} },
	Step: func(state, input, _ any) []any {
		return discoveryStep(state.(*table), input.(*call))
	},
	Equal:                     func(a, b any) bool { return a.(*table).equal(b.(*table)) },
	Hash:                      func(state any) uint64 { return state.(*table).hash },
	DescribeOperation:         describeCall,
	DescribeState:             func(state any) string { return peersString(state.(*table).peers) },
	DescribeOperationMetadata: describeMeta,
}

// discoveryStep: register sets (or replaces) the user's address, unregister
// removes the user (absent or not), online() must read the table exactly.
// An unknown register or unregister may or may not have happened; an
// unknown online() constrains nothing and never reaches the model.
func discoveryStep(s *table, c *call) []any {
	op := c.op
	var next *table
	switch op.Kind {
	case Register:
		next = s.set(op.Input.User, op.Input.Addr)
	case Unregister:
		next = s.set(op.Input.User, "")
	case Online:
		if op.Outcome == OK && c.online.equal(s) {
			return []any{s}
		}
		return nil
	}
	if op.Outcome == Unknown && !next.equal(s) {
		return []any{s, next}
	}
	return []any{next}
}

// table is an immutable state of the discovery table: its entries sorted
// by user, and an order-independent hash of them (the XOR of each entry's).
type table struct {
	peers []Peer
	hash  uint64
}

// newTable builds the table an online() answer shows: sorted by user (then
// address); a duplicated user stays duplicated, so it never equals a state.
func newTable(ps []Peer) *table {
	t := &table{peers: slices.Clone(ps)}
	slices.SortFunc(t.peers, func(a, b Peer) int {
		return cmp.Or(strings.Compare(a.User, b.User), strings.Compare(a.Addr, b.Addr))
	})
	for _, p := range t.peers {
		t.hash ^= entryHash(p)
	}
	return t
}

func (t *table) equal(o *table) bool {
	return t.hash == o.hash && slices.Equal(t.peers, o.peers)
}

// set returns the table with user's address set to addr, or the user
// removed when addr is "". t is not modified.
func (t *table) set(user, addr string) *table {
	i, found := slices.BinarySearchFunc(t.peers, user, func(p Peer, u string) int { return strings.Compare(p.User, u) })
	if !found && addr == "" || found && t.peers[i].Addr == addr {
		return t
	}
	next := &table{hash: t.hash}
	switch {
	case found && addr == "":
		next.peers = slices.Delete(slices.Clone(t.peers), i, i+1)
		next.hash ^= entryHash(t.peers[i])
		return next
	case found:
		next.peers = slices.Clone(t.peers)
		next.hash ^= entryHash(t.peers[i])
		next.peers[i].Addr = addr
	default:
		next.peers = slices.Insert(slices.Clip(t.peers), i, Peer{User: user, Addr: addr})
	}
	next.hash ^= entryHash(next.peers[i])
	return next
}

func entryHash(p Peer) uint64 {
	h := fnv.New64a()
	h.Write([]byte(p.User))
	h.Write([]byte{0})
	h.Write([]byte(p.Addr))
	return h.Sum64()
}

// userModel is the discovery table seen through one user (call.user): the
// user's address, "" when absent. online() answers are projected on it.
var userModel = porcupine.NondeterministicModel{
	Init: func() []any { return []any{""} },
	Step: func(state, input, _ any) []any {
		c := input.(*call)
		return userStep(state.(string), c.op, c.user)
	},
	Hash:                      hashString,
	DescribeOperation:         describeCall,
	DescribeState:             describeAddr,
	DescribeOperationMetadata: describeMeta,
}

func userStep(s string, op *Op, user string) []any {
	var next string
	switch op.Kind {
	case Register:
		next = op.Input.Addr
	case Unregister:
		next = ""
	case Online:
		addr, n := lookup(op.Output.Online, user)
		if op.Outcome == OK && n <= 1 && addr == s {
			return []any{s}
		}
		return nil
	}
	if op.Outcome == Unknown && next != s {
		return []any{s, next}
	}
	return []any{next}
}

// lookup returns user's address in an online() answer and how many entries
// name the user.
func lookup(ps []Peer, user string) (addr string, n int) {
	for _, p := range ps {
		if p.User == user {
			addr, n = p.Addr, n+1
		}
	}
	return addr, n
}

func hashString(state any) uint64 {
	h := fnv.New64a()
	h.Write([]byte(state.(string)))
	return h.Sum64()
}

func describeCall(input, _ any) string {
	c := input.(*call)
	return c.op.call() + " → " + c.op.result()
}

func describeMeta(meta any) string {
	s, _ := meta.(string)
	return s
}

func describeRemaining(r int) string {
	if r == unseen {
		return "unseen (remaining = quota)"
	}
	return fmt.Sprintf("%d left", r)
}

func describeAddr(state any) string {
	if state.(string) == "" {
		return "absent"
	}
	return "at " + state.(string)
}
