package history

import (
	"strings"
	"testing"
	"time"
)

// Builders for hand-written histories. Times are in milliseconds since the
// load started.

type opt func(*Op)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// at sets call and return times (ms).
func at(call, ret int) opt { return func(o *Op) { o.Call, o.Return = ms(call), ms(ret) } }

// lost makes the op's outcome unknown, called at call ms.
func lost(call int) opt {
	return func(o *Op) {
		o.Outcome, o.Call, o.Return, o.Output, o.Error = Unknown, ms(call), 0, Output{}, "timeout"
	}
}

func node(n int) opt { return func(o *Op) { o.Node = n } }

func client(c int) opt { return func(o *Op) { o.Client = c } }

func granted(left int) opt { return func(o *Op) { o.Output = Output{Granted: true, Remaining: left} } }

func exhausted() opt { return func(o *Op) { o.Output = Output{Reason: ReasonQuotaExhausted} } }

func denied(left int) opt {
	return func(o *Op) {
		o.Input.Authorized = AuthDenied
		o.Output = Output{Reason: ReasonNotAuthorized, Remaining: left}
	}
}

func auth(a Auth) opt { return func(o *Op) { o.Input.Authorized = a } }

func build(o Op, opts []opt) Op {
	o.Outcome = OK
	for _, f := range opts {
		f(&o)
	}
	return o
}

// view of image img (quota q) by alice, who is authorized.
func view(img string, q int, opts ...opt) Op {
	return build(Op{Kind: View, Input: Input{Image: img, User: "alice", Quota: q, Authorized: AuthAllowed}}, opts)
}

func register(user, addr string, opts ...opt) Op {
	return build(Op{Kind: Register, Input: Input{User: user, Addr: addr}}, opts)
}

func unregister(user string, opts ...opt) Op {
	return build(Op{Kind: Unregister, Input: Input{User: user}}, opts)
}

// online answered with peers given as "user@addr".
func online(peers []string, opts ...opt) Op {
	ps := []Peer{}
	for _, p := range peers {
		u, a, _ := strings.Cut(p, "@")
		ps = append(ps, Peer{User: u, Addr: a})
	}
	o := build(Op{Kind: Online}, opts)
	if o.Outcome == OK {
		o.Output.Online = ps
	}
	return o
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}
