package history

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleOps() []Op {
	ops := []Op{
		view("img-1", 2, at(0, 10), granted(1), node(2), client(3)),
		view("img-1", 0, at(1, 2), exhausted()),
		view("img-2", 3, at(5, 15), denied(3)),
		view("img-2", 3, lost(20), auth(AuthUnknown)),
		register("alice", "127.0.0.1:7001", at(30, 40)),
		unregister("alice", lost(41)),
		online([]string{"alice@127.0.0.1:7001", "bob@h:2"}, at(50, 60)),
		online(nil, at(70, 80)),
		online(nil, lost(90)),
	}
	ops[0].Request = "c3-17"
	ops[0].Applier, ops[0].Epoch = 1, 257 // answered: who applied it, in which epoch
	ops[1].Input.Image = "img-0"          // quota 0 must survive (absent would be an error)
	f := register("bob", "h:2", at(100, 101))
	f.Outcome, f.Error = Fail, "connection refused"
	return append(ops, f)
}

func TestWriterReaderRoundTrip(t *testing.T) {
	ops := sampleOps()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, op := range ops {
		if err := w.Add(op); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil || w.Count() != len(ops) {
		t.Fatalf("close: %v, count %d", err, w.Count())
	}
	if n := strings.Count(buf.String(), "\n"); n != len(ops) {
		t.Fatalf("%d lines for %d ops:\n%s", n, len(ops), buf.String())
	}
	got, err := ReadAll(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ops) {
		t.Fatalf("round trip changed the history:\ngot  %+v\nwant %+v", got, ops)
	}
}

func TestFormatLine(t *testing.T) {
	op := view("img-1", 2, at(0, 10), granted(0), node(2), client(3))
	op.Request = "r1"
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := errors.Join(w.Add(op), w.Add(view("img-1", 2, lost(20))), w.Close()); err != nil {
		t.Fatal(err)
	}
	want := `{"client":3,"kind":"view","request":"r1","input":{"image":"img-1","user":"alice","quota":2,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":0},"call_ns":0,"return_ns":10000000,"node":2}
{"client":0,"kind":"view","input":{"image":"img-1","user":"alice","quota":2,"authorized":true},"outcome":"unknown","call_ns":20000000,"error":"timeout"}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestReaderRejects(t *testing.T) {
	good := `{"client":0,"kind":"online","input":{},"outcome":"ok","output":{"online":[]},"call_ns":1,"return_ns":2}`
	cases := []struct {
		name, line, want string
	}{
		{"not json", `{"client":`, "unexpected EOF"},
		{"unknown field", `{"client":0,"kind":"online","input":{},"outcome":"ok","output":{"online":[]},"call_ns":1,"return_ns":2,"x":1}`, "unknown field"},
		{"unknown kind", `{"client":0,"kind":"read","input":{},"outcome":"ok","call_ns":1,"return_ns":2}`, `kind "read"`},
		{"unknown outcome", `{"client":0,"kind":"online","input":{},"outcome":"info","call_ns":1}`, `outcome "info"`},
		{"view without quota", `{"client":0,"kind":"view","input":{"image":"i","user":"u"},"outcome":"unknown","call_ns":1}`, "without a quota"},
		{"view without user", `{"client":0,"kind":"view","input":{"image":"i","quota":1},"outcome":"unknown","call_ns":1}`, "without image or user"},
		{"view answer without remaining", `{"client":0,"kind":"view","input":{"image":"i","user":"u","quota":1},"outcome":"ok","output":{"granted":true},"call_ns":1,"return_ns":2}`, "without granted or remaining"},
		{"return before call", `{"client":0,"kind":"online","input":{},"outcome":"ok","output":{"online":[]},"call_ns":5,"return_ns":2}`, "before its call"},
		{"unknown with return", `{"client":0,"kind":"online","input":{},"outcome":"unknown","call_ns":1,"return_ns":2}`, "unknown outcome with return_ns"},
		{"ok without return", `{"client":0,"kind":"online","input":{},"outcome":"ok","output":{"online":[]},"call_ns":1}`, "without return_ns"},
		{"output on an unknown op", `{"client":0,"kind":"online","input":{},"outcome":"unknown","output":{"online":[]},"call_ns":1}`, "with an output"},
		{"online without its list", `{"client":0,"kind":"online","input":{},"outcome":"ok","call_ns":1,"return_ns":2}`, "without its list"},
		{"register with a quota", `{"client":0,"kind":"register","input":{"user":"u","addr":"a","quota":1},"outcome":"ok","call_ns":1,"return_ns":2}`, "with a quota"},
		{"register without addr", `{"client":0,"kind":"register","input":{"user":"u"},"outcome":"ok","call_ns":1,"return_ns":2}`, "without an addr"},
		{"negative client", `{"client":-1,"kind":"online","input":{},"outcome":"unknown","call_ns":1}`, "client -1"},
		{"negative call", `{"client":0,"kind":"online","input":{},"outcome":"unknown","call_ns":-1}`, "before the load started"},
		{"peer without user", `{"client":0,"kind":"online","input":{},"outcome":"ok","output":{"online":[{"user":"","addr":"a"}]},"call_ns":1,"return_ns":2}`, "has no user"},
		{"applier of an unanswered op", `{"client":0,"kind":"online","input":{},"outcome":"unknown","call_ns":1,"applier":2,"epoch":3}`, "with an applier or epoch"},
		{"negative applier", `{"client":0,"kind":"online","input":{},"outcome":"ok","output":{"online":[]},"call_ns":1,"return_ns":2,"applier":-1}`, "applier -1"},
		{"two objects", good + good, "data after the object"},
		{"null", `null`, `outcome ""`},
		{"empty line", ``, "empty line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := good + "\n" + good + "\n" + c.line + "\n" + good + "\n"
			ops, err := ReadAll(strings.NewReader(in))
			if !errors.Is(err, ErrBadHistory) {
				t.Fatalf("err %v, want ErrBadHistory", err)
			}
			mustContain(t, "error", err.Error(), "line 3:", c.want)
			if len(ops) != 2 {
				t.Errorf("%d ops before the bad line, want 2", len(ops))
			}
		})
	}
}

func TestReaderLineTooLong(t *testing.T) {
	in := `{"client":0,"kind":"online","input":{},"outcome":"unknown","call_ns":1}` + "\n" + strings.Repeat(" ", MaxLineBytes+1) + "\n"
	r := NewReader(strings.NewReader(in))
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := r.Next()
	if !errors.Is(err, ErrBadHistory) {
		t.Fatalf("err %v", err)
	}
	mustContain(t, "error", err.Error(), "line 2:", "longer than")
	if _, again := r.Next(); !errors.Is(again, ErrBadHistory) {
		t.Errorf("error not sticky: %v", again)
	}
}

func TestWriterRefusesInvalidOps(t *testing.T) {
	bad := []Op{
		{Kind: "read", Outcome: OK},
		view("a", 1, at(10, 5), granted(0)),
		func() Op { o := view("a", 1, lost(5)); o.Output.Granted = true; return o }(),
		func() Op { o := register("u", "a", at(0, 1)); o.Input.Quota = 2; return o }(),
		func() Op { o := online(nil, at(0, 1)); o.Output.Remaining = 1; return o }(),
		func() Op { o := view("a", 1, at(0, 1), granted(0)); o.Input.Authorized = 7; return o }(),
	}
	for i, op := range bad {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		if err := w.Add(op); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("op %d: err %v, want ErrInvalidOp", i, err)
		}
		if err := w.Close(); err != nil || buf.Len() != 0 || w.Count() != 0 {
			t.Errorf("op %d: a refused op was written (%q, %v)", i, buf.String(), err)
		}
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriterErrorsStick(t *testing.T) {
	w := NewWriter(brokenWriter{})
	op := online(nil, at(0, 1))
	op.Output.Online = []Peer{{User: strings.Repeat("u", 70<<10), Addr: "a"}} // larger than the buffer
	if err := w.Add(op); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("err %v", err)
	}
	if err := w.Add(online(nil, at(0, 1))); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("second add: %v", err)
	}
	if err := w.Close(); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("close: %v", err)
	}
	if err := w.Add(op); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("add after close: %v", err)
	}

	w = NewWriter(brokenWriter{}) // a small op fails only when flushed
	if err := w.Add(online(nil, at(0, 1))); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("close: %v", err)
	}
}

// FuzzReader: any bytes give ops or an error naming a line, never a panic;
// whatever is read writes back to bytes that read to the same ops.
func FuzzReader(f *testing.F) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, op := range sampleOps() {
		_ = w.Add(op)
	}
	_ = w.Close()
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		f.Add([]byte(line))
	}
	f.Add(buf.Bytes())
	f.Add([]byte("{}\n"))
	f.Add([]byte(`{"client":0,"kind":"online","input":{},"outcome":"ok","output":{"online":null},"call_ns":1,"return_ns":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ops, err := ReadAll(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrBadHistory) || !strings.Contains(err.Error(), "line ") {
				t.Fatalf("error without ErrBadHistory or a line: %v", err)
			}
			return
		}
		var out bytes.Buffer
		w := NewWriter(&out)
		for _, op := range ops {
			if err := w.Add(op); err != nil {
				t.Fatalf("an op the reader accepted is refused by the writer: %v", err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		again, err := ReadAll(&out)
		if err != nil || !reflect.DeepEqual(again, ops) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, again, ops)
		}
	})
}

// Generated histories survive the file too.
func TestGeneratedHistoryRoundTrip(t *testing.T) {
	ops := genHistory(rand.New(rand.NewPCG(1, 2)), genConfig{ops: 500, images: 5, clients: 10, users: 5,
		views: 0.7, unregisters: 1.0 / 3, unknown: 0.1, fail: 0.05, quotaMax: 4, latency: 5 * time.Millisecond, timeout: 50 * time.Millisecond})
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, op := range ops {
		if err := w.Add(op); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAll(&buf)
	if err != nil || !reflect.DeepEqual(got, ops) {
		t.Fatalf("round trip: %v", err)
	}
}
