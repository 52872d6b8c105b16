package table

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func view(id, image, user string, quota int, authorized bool) Op {
	return Op{ID: id, View: &View{Image: image, User: user, Quota: quota, Authorized: authorized}}
}

func granted(remaining int) Result {
	return Result{View: &ViewResult{Granted: true, Remaining: remaining}}
}

func refused(remaining int, reason string) Result {
	return Result{View: &ViewResult{Remaining: remaining, Reason: reason}}
}

func reg(id, user, addr string) Op {
	return Op{ID: id, Register: &Register{User: user, Addr: addr}}
}

func unreg(id, user string) Op { return Op{ID: id, Unregister: &Unregister{User: user}} }

var online = Op{Online: &Online{}}

type step struct {
	op   Op
	want Result
}

func TestApply(t *testing.T) {
	cases := []struct {
		name   string
		window int
		steps  []step
	}{
		{"quota 2 then exhausted", 0, []step{
			{view("", "img", "alice", 2, true), granted(1)},
			{view("", "img", "alice", 2, true), granted(0)},
			{view("", "img", "alice", 2, true), refused(0, ReasonExhausted)},
			{view("", "img", "bob", 2, true), refused(0, ReasonExhausted)},
		}},
		{"not authorized spends nothing", 0, []step{
			{view("", "img", "mallory", 3, false), refused(3, ReasonNotAuthorized)},
			{view("", "img", "alice", 3, true), granted(2)},
			{view("", "img", "mallory", 3, false), refused(2, ReasonNotAuthorized)},
			{view("", "img", "alice", 3, true), granted(1)},
		}},
		{"first quota wins", 0, []step{
			{view("", "img", "alice", 1, true), granted(0)},
			{view("", "img", "alice", 9, true), refused(0, ReasonExhausted)},
		}},
		{"quota 0", 0, []step{
			{view("", "img", "alice", 0, true), refused(0, ReasonExhausted)},
		}},
		{"images are independent", 0, []step{
			{view("", "a", "alice", 1, true), granted(0)},
			{view("", "b", "alice", 1, true), granted(0)},
			{view("", "a", "alice", 1, true), refused(0, ReasonExhausted)},
		}},
		{"retry returns the first result without spending", 0, []step{
			{view("r1", "img", "alice", 2, true), granted(1)},
			{view("r1", "img", "alice", 2, true), granted(1)},
			{view("r2", "img", "alice", 2, true), granted(0)},
			{view("r1", "img", "alice", 2, true), granted(1)},
			{view("r3", "img", "alice", 2, true), refused(0, ReasonExhausted)},
		}},
		{"reused id on another op is refused", 0, []step{
			{view("r1", "img", "alice", 2, true), granted(1)},
			{view("r1", "other", "alice", 2, true), Result{Error: `request id reused for a different op: "r1"`}},
			{view("r2", "img", "alice", 2, true), granted(0)},
		}},
		{"window forgets the oldest", 2, []step{
			{view("r1", "img", "alice", 5, true), granted(4)},
			{view("r2", "img", "alice", 5, true), granted(3)},
			{view("r3", "img", "alice", 5, true), granted(2)},
			{view("r2", "img", "alice", 5, true), granted(3)}, // still remembered
			{view("r1", "img", "alice", 5, true), granted(1)}, // forgotten: spent again
		}},
		{"discovery", 0, []step{
			{online, Result{}},
			{reg("", "bob", "b:1"), Result{Changed: true}},
			{reg("", "alice", "a:1"), Result{Changed: true}},
			{reg("", "alice", "a:1"), Result{Changed: false}},
			{online, Result{Peers: []Peer{{"alice", "a:1"}, {"bob", "b:1"}}}},
			{reg("", "alice", "a:2"), Result{Changed: true}},
			{unreg("", "bob"), Result{Changed: true}},
			{unreg("", "bob"), Result{Changed: false}},
			{online, Result{Peers: []Peer{{"alice", "a:2"}}}},
		}},
		{"retried unregister keeps its first answer", 0, []step{
			{reg("", "bob", "b:1"), Result{Changed: true}},
			{unreg("u1", "bob"), Result{Changed: true}},
			{unreg("u1", "bob"), Result{Changed: true}},
		}},
		{"invalid ops change nothing", 0, []step{
			{Op{}, Result{Error: "invalid op: want exactly one of view, register, unregister, online"}},
			{Op{View: &View{Image: "img", User: "u", Quota: 1}, Online: &Online{}}, Result{Error: "invalid op: want exactly one of view, register, unregister, online"}},
			{view("", "", "alice", 1, true), Result{Error: "invalid op: view.image is empty"}},
			{view("", "img", "alice", -1, true), Result{Error: "invalid op: view.quota -1 not in [0, 1073741824]"}},
			{view("", "img", "alice", 1, true), granted(0)},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb := New(c.window)
			for i, s := range c.steps {
				got := tb.Apply(s.op)
				if !reflect.DeepEqual(got, s.want) {
					t.Fatalf("step %d: Apply(%s) = %s, want %s", i, js(s.op), js(got), js(s.want))
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("x", MaxNameLen+1)
	cases := []struct {
		name string
		op   Op
		want string // substring of the error; "" = valid
	}{
		{"view", view("id", "img", "u", 3, true), ""},
		{"online", online, ""},
		{"no kind", Op{ID: "x"}, "exactly one"},
		{"two kinds", Op{Register: &Register{"u", "a"}, Unregister: &Unregister{"u"}}, "exactly one"},
		{"long image", view("", long, "u", 1, true), "view.image has 257 bytes"},
		{"long id", view(strings.Repeat("i", MaxIDLen+1), "img", "u", 1, true), "id has 129 bytes"},
		{"bad utf8", view("", "im\xffg", "u", 1, true), "not valid UTF-8"},
		{"control char", reg("", "u\n", "a"), "control character"},
		{"quota too big", view("", "img", "u", MaxQuota+1, true), "view.quota"},
		{"empty addr", reg("", "u", ""), "register.addr is empty"},
		{"empty unregister", unreg("", ""), "unregister.user is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.op.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("Validate(%s) = %v, want nil", js(c.op), err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalidOp)):
				t.Fatalf("Validate(%s) = %v, want ErrInvalidOp containing %q", js(c.op), err, c.want)
			}
		})
	}
}

func TestQuery(t *testing.T) {
	tb := New(0)
	tb.Apply(reg("r", "alice", "a:1"))
	before := string(tb.Snapshot())
	got, err := tb.Query(online)
	if err != nil || !reflect.DeepEqual(got, Result{Peers: []Peer{{"alice", "a:1"}}}) {
		t.Fatalf("Query(online) = %s, %v", js(got), err)
	}
	if _, err := tb.Query(view("", "img", "alice", 1, true)); !errors.Is(err, ErrNotRead) {
		t.Fatalf("Query(view) error = %v, want ErrNotRead", err)
	}
	if _, err := tb.Query(Op{}); !errors.Is(err, ErrInvalidOp) {
		t.Fatalf("Query(empty) error = %v, want ErrInvalidOp", err)
	}
	if after := string(tb.Snapshot()); after != before {
		t.Fatalf("Query changed the table:\n%s\n%s", before, after)
	}
	// A stored result is not aliased by the caller's copy.
	r := tb.Apply(view("v", "img", "alice", 2, true))
	r.View.Remaining = 99
	if again := tb.Apply(view("v", "img", "alice", 2, true)); again.View.Remaining != 1 {
		t.Fatalf("retry after caller mutation = %s, want remaining 1", js(again))
	}
}

func TestOpCodec(t *testing.T) {
	ops := []Op{view("id-1", "img", "alice", 3, true), reg("", "bob", "127.0.0.1:9"), unreg("u", "bob"), online}
	for _, op := range ops {
		b, err := EncodeOp(op)
		if err != nil {
			t.Fatalf("EncodeOp(%s): %v", js(op), err)
		}
		got, err := DecodeOp(b)
		if err != nil || !reflect.DeepEqual(got, op) {
			t.Fatalf("DecodeOp(%s) = %s, %v; want %s", b, js(got), err, js(op))
		}
	}
	bad := []string{
		``, `null`, `{}`, `{"view":{"image":"i","user":"u","quota":1,"authorized":true},"x":1}`,
		`{"online":{}} {"online":{}}`, `{"view":{"image":"i","user":"u","quota":-4}}`, `[1]`,
		`{"online":{}, "register":{"user":"u","addr":"a"}}`, `{"online":{"extra":1}}`,
		`{"id":"` + strings.Repeat("a", MaxOpBytes) + `","online":{}}`,
	}
	for _, s := range bad {
		if op, err := DecodeOp([]byte(s)); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("DecodeOp(%.60q) = %s, %v; want ErrInvalidOp", s, js(op), err)
		}
	}
	if _, err := EncodeOp(Op{}); !errors.Is(err, ErrInvalidOp) {
		t.Errorf("EncodeOp(empty) error = %v, want ErrInvalidOp", err)
	}
}

func TestDecodeResult(t *testing.T) {
	good := []string{`{"view":{"granted":true,"remaining":4}}`, `{}`, `{"changed":true}`,
		`{"peers":[{"user":"a","addr":"x"},{"user":"b","addr":"y"}]}`,
		`{"view":{"granted":false,"remaining":0,"reason":"quota exhausted"}}`}
	for _, s := range good {
		if _, err := DecodeResult([]byte(s)); err != nil {
			t.Errorf("DecodeResult(%s): %v", s, err)
		}
	}
	bad := []string{`{"view":{"granted":false,"remaining":1}}`, `{"view":{"granted":true,"remaining":-1}}`,
		`{"view":{"granted":true,"remaining":1,"reason":"quota exhausted"}}`,
		`{"peers":[{"user":"b","addr":"y"},{"user":"a","addr":"x"}]}`, `{"peers":[{"user":"","addr":"y"}]}`,
		`{"nope":1}`, `{}{}`}
	for _, s := range bad {
		if _, err := DecodeResult([]byte(s)); !errors.Is(err, ErrInvalidResult) {
			t.Errorf("DecodeResult(%s) error = %v, want ErrInvalidResult", s, err)
		}
	}
}
