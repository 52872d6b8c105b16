package table

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
)

// FuzzDecodeOp: any bytes either fail with an error or give a valid op that
// re-encodes to bytes decoding to the same op; Apply on it never panics.
func FuzzDecodeOp(f *testing.F) {
	for _, s := range []string{
		`{"id":"r1","view":{"image":"i","user":"u","quota":3,"authorized":true}}`,
		`{"register":{"user":"u","addr":"127.0.0.1:1"}}`, `{"unregister":{"user":"u"}}`,
		`{"online":{}}`, `{}`, `{"view":{"image":"\u00ff","user":"u","quota":-1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		op, err := DecodeOp(b)
		if err != nil {
			return
		}
		if err := op.Validate(); err != nil {
			t.Fatalf("DecodeOp accepted an invalid op: %v", err)
		}
		enc, err := EncodeOp(op)
		if err != nil {
			t.Fatalf("EncodeOp of a decoded op: %v", err)
		}
		again, err := DecodeOp(enc)
		if err != nil || !reflect.DeepEqual(again, op) {
			t.Fatalf("round trip: %s → %s, %v", js(op), js(again), err)
		}
		tb := New(4)
		first := tb.Apply(op)
		if r := tb.Apply(op); op.ID != "" && !reflect.DeepEqual(r, first) {
			t.Fatalf("retry of %s = %s, first %s", js(op), js(r), js(first))
		}
	})
}

// FuzzDecodeResult: accepted results re-decode to themselves.
func FuzzDecodeResult(f *testing.F) {
	for _, s := range []string{`{"view":{"granted":true,"remaining":4}}`, `{"peers":[{"user":"a","addr":"x"}]}`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeResult(b)
		if err != nil {
			return
		}
		again, err := DecodeResult([]byte(js(r)))
		if err != nil || js(again) != js(r) {
			t.Fatalf("round trip: %s → %s, %v", js(r), js(again), err)
		}
	})
}

// FuzzRestore: Restore never panics; an accepted snapshot is a fixpoint
// after one round (Snapshot∘Restore is idempotent) and a rejected one leaves
// the table as it was.
func FuzzRestore(f *testing.F) {
	tb := New(3)
	tb.Apply(view("r1", "img", "alice", 2, true))
	tb.Apply(reg("r2", "bob", "b:1"))
	tb.Apply(view("r3", "img", "eve", 2, false))
	f.Add(tb.Snapshot())
	f.Add(New(0).Snapshot())
	f.Add([]byte(`{"version":1,"window":1,"images":null,"users":null,"dedup":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb := New(2)
		tb.Apply(view("x", "seed", "u", 1, true))
		before := tb.Snapshot()
		if err := tb.Restore(b); err != nil {
			if !bytes.Equal(tb.Snapshot(), before) {
				t.Fatalf("failed Restore changed the table")
			}
			return
		}
		s1 := tb.Snapshot()
		t2 := New(0)
		if err := t2.Restore(s1); err != nil {
			t.Fatalf("Restore of a Snapshot: %v\n%s", err, s1)
		}
		if s2 := t2.Snapshot(); !bytes.Equal(s1, s2) {
			t.Fatalf("not a fixpoint:\n%s\n%s", s1, s2)
		}
		// The restored table works.
		t2.Apply(view("y", "img", "u", 1, true))
	})
}

// BenchmarkSnapshot measures a full table snapshot and restore with a full
// default dedup window and 1,000 images: the pause a Raft store takes every
// SnapshotEvery entries.
func BenchmarkSnapshot(b *testing.B) {
	tb := New(0)
	for i := range DefaultDedupWindow {
		tb.Apply(view(fmt.Sprint("req-", i), fmt.Sprint("image-", i%1000), "alice", 1_000_000, true))
	}
	snap := tb.Snapshot()
	b.SetBytes(int64(len(snap)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		snap = tb.Snapshot()
		if err := New(0).Restore(snap); err != nil {
			b.Fatal(err)
		}
	}
}
