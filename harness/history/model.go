package history

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/anishathalye/porcupine"
)

// call is what porcupine carries as an operation's input.
type call struct {
	op    *Op
	index int    // position in the checked []Op
	user  string // discovery projected on this user; "" for the whole table
}

// unseen is the view model's state before an image's first operation: its
// remaining views are then its quota, which each operation carries.
const unseen = -1

// viewModel is one image's remaining views. It is nondeterministic so that
// an unknown view may or may not have spent: {r, r−1}. ToModel turns it into
// a porcupine.Model over sets of states.
var viewModel = porcupine.NondeterministicModel{
	Init: func() []any { return []any{unseen} },
	Step: func(state, input, _ any) []any {
		return viewStep(state.(int), input.(*call).op)
	},
	Hash:                      func(state any) uint64 { return uint64(state.(int) + 1) },
	DescribeOperation:         describeCall,
	DescribeState:             func(state any) string { return describeRemaining(state.(int)) },
	DescribeOperationMetadata: describeMeta,
}

// viewStep is the table's view semantics: every next state the table can be
// in after op from remaining s, none if op's answer is impossible from s.
func viewStep(s int, op *Op) []any {
	in, out := &op.Input, &op.Output
	r := s
	if r == unseen {
		r = in.Quota
	}
	if op.Outcome == Unknown {
		if r > 0 && in.Authorized != AuthDenied {
			return []any{r, r - 1} // not applied (or refused) / granted
		}
		return []any{r}
	}
	switch {
	case out.Granted:
		if in.Authorized != AuthDenied && r > 0 && out.Remaining == r-1 && out.Reason == "" {
			return []any{r - 1}
		}
	case out.Reason == ReasonNotAuthorized:
		if in.Authorized != AuthAllowed && out.Remaining == r {
			return []any{r}
		}
	case out.Reason == ReasonQuotaExhausted:
		if in.Authorized != AuthDenied && r == 0 && out.Remaining == 0 {
			return []any{r}
		}
	}
	return nil
}

// discoveryModel is the whole discovery table, as the canonical encoding of
// its sorted entries (see encodePeers), so that states compare with ==.
var discoveryModel = porcupine.NondeterministicModel{
	Init: func() []any { return []any{""} },
	Step: func(state, input, _ any) []any {
		return discoveryStep(state.(string), input.(*call).op)
	},
	Hash:                      hashString,
	DescribeOperation:         describeCall,
	DescribeState:             func(state any) string { return peersString(decodePeers(state.(string))) },
	DescribeOperationMetadata: describeMeta,
}

// discoveryStep: register sets (or replaces) the user's address, unregister
// removes the user (absent or not), online() must read the table exactly.
// An unknown register or unregister may or may not have happened; an
// unknown online() constrains nothing and never reaches the model.
func discoveryStep(s string, op *Op) []any {
	var next string
	switch op.Kind {
	case Register:
		next = encodePeers(setPeer(decodePeers(s), op.Input.User, op.Input.Addr))
	case Unregister:
		next = encodePeers(setPeer(decodePeers(s), op.Input.User, ""))
	case Online:
		if op.Outcome == OK && canonicalOnline(op.Output.Online) == s {
			return []any{s}
		}
		return nil
	}
	if op.Outcome == Unknown && next != s {
		return []any{s, next}
	}
	return []any{next}
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

// setPeer returns sorted peers with user's address set to addr, or the user
// removed when addr is "". It does not modify ps.
func setPeer(ps []Peer, user, addr string) []Peer {
	i, found := slices.BinarySearchFunc(ps, user, func(p Peer, u string) int { return strings.Compare(p.User, u) })
	out := slices.Clone(ps)
	switch {
	case found && addr == "":
		return slices.Delete(out, i, i+1)
	case found:
		out[i].Addr = addr
		return out
	case addr == "":
		return out
	}
	return slices.Insert(out, i, Peer{User: user, Addr: addr})
}

// canonicalOnline encodes an online() answer the way states are encoded:
// sorted by user (then address). A duplicated user stays duplicated, so it
// never equals a state.
func canonicalOnline(ps []Peer) string {
	sorted := slices.Clone(ps)
	slices.SortFunc(sorted, func(a, b Peer) int {
		if c := strings.Compare(a.User, b.User); c != 0 {
			return c
		}
		return strings.Compare(a.Addr, b.Addr)
	})
	return encodePeers(sorted)
}

// encodePeers is an unambiguous encoding (length-prefixed strings), so any
// user or address text is safe in it.
func encodePeers(ps []Peer) string {
	var b strings.Builder
	for _, p := range ps {
		for _, s := range [2]string{p.User, p.Addr} {
			b.WriteString(strconv.Itoa(len(s)))
			b.WriteByte(':')
			b.WriteString(s)
		}
	}
	return b.String()
}

func decodePeers(s string) []Peer {
	var ps []Peer
	next := func() string {
		i := strings.IndexByte(s, ':')
		n, _ := strconv.Atoi(s[:i])
		v := s[i+1 : i+1+n]
		s = s[i+1+n:]
		return v
	}
	for s != "" {
		u := next()
		ps = append(ps, Peer{User: u, Addr: next()})
	}
	return ps
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
