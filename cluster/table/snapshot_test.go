package table

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSnapshotRoundTrip(t *testing.T) {
	a := New(3)
	for _, op := range []Op{
		view("r1", "b-img", "alice", 2, true), view("r2", "a-img", "alice", 1, true),
		view("r3", "a-img", "eve", 1, false), reg("r4", "zed", "z:1"), reg("", "amy", "a:1"),
		view("r5", "b-img", "alice", 2, true), unreg("", "nobody"),
	} {
		a.Apply(op)
	}
	snap := a.Snapshot()
	b := New(0)
	if err := b.Restore(snap); err != nil {
		t.Fatalf("Restore: %v\n%s", err, snap)
	}
	if again := b.Snapshot(); !bytes.Equal(again, snap) {
		t.Fatalf("Snapshot after Restore differs:\n%s\n%s", snap, again)
	}
	if b.DedupWindow() != 3 {
		t.Fatalf("restored window = %d, want the snapshot's 3", b.DedupWindow())
	}
	// Both continue identically, including retries of remembered ids and
	// the eviction of the oldest one.
	for _, op := range []Op{view("r5", "b-img", "alice", 2, true), view("r6", "b-img", "x", 2, true),
		view("r2", "a-img", "alice", 1, true), online} {
		ra, rb := a.Apply(op), b.Apply(op)
		if !reflect.DeepEqual(ra, rb) {
			t.Fatalf("after restore, Apply(%s): original %s, restored %s", js(op), js(ra), js(rb))
		}
	}
}

func TestSnapshotDeterministic(t *testing.T) {
	// The same ops in the same order give the same bytes, whatever the map
	// iteration order did.
	ops := []Op{}
	for i := range 50 {
		ops = append(ops, view("", string(rune('a'+i%26))+"img", "u", 3, true), reg("", string(rune('A'+i%26)), "x"))
	}
	var first []byte
	for range 5 {
		tb := New(0)
		for _, op := range ops {
			tb.Apply(op)
		}
		s := tb.Snapshot()
		if first == nil {
			first = s
		} else if !bytes.Equal(first, s) {
			t.Fatalf("snapshots differ:\n%s\n%s", first, s)
		}
	}
}

func TestRestoreRejects(t *testing.T) {
	ok := `{"version":1,"window":2,"images":[{"image":"a","remaining":1}],"users":[{"user":"u","addr":"x"}],"dedup":[{"id":"r","fp":7,"result":{"changed":true}}]}`
	tb := New(0)
	if err := tb.Restore([]byte(ok)); err != nil {
		t.Fatalf("Restore(valid): %v", err)
	}
	before := tb.Snapshot()
	bad := map[string]string{
		"version":         strings.Replace(ok, `"version":1`, `"version":2`, 1),
		"window 0":        strings.Replace(ok, `"window":2`, `"window":0`, 1),
		"window too big":  strings.Replace(ok, `"window":2`, `"window":1048577`, 1),
		"dedup > window":  strings.Replace(ok, `"window":2`, `"window":1`, 1) + "",
		"unsorted images": strings.Replace(ok, `[{"image":"a","remaining":1}]`, `[{"image":"b","remaining":1},{"image":"a","remaining":1}]`, 1),
		"dup images":      strings.Replace(ok, `[{"image":"a","remaining":1}]`, `[{"image":"a","remaining":1},{"image":"a","remaining":1}]`, 1),
		"negative":        strings.Replace(ok, `"remaining":1`, `"remaining":-1`, 1),
		"unsorted users":  strings.Replace(ok, `[{"user":"u","addr":"x"}]`, `[{"user":"v","addr":"x"},{"user":"u","addr":"x"}]`, 1),
		"empty addr":      strings.Replace(ok, `"addr":"x"`, `"addr":""`, 1),
		"dup id":          strings.Replace(ok, `[{"id":"r","fp":7,"result":{"changed":true}}]`, `[{"id":"r","fp":7,"result":{}},{"id":"r","fp":7,"result":{}}]`, 1),
		"bad result":      strings.Replace(ok, `{"changed":true}`, `{"view":{"granted":false,"remaining":1,"reason":"why"}}`, 1),
		"unknown field":   strings.Replace(ok, `"version":1`, `"version":1,"x":0`, 1),
		"trailing":        ok + `{}`,
		"not json":        `{"version":1,`,
	}
	// Make "dedup > window" really exceed the window: two ids, window 1.
	bad["dedup > window"] = strings.Replace(bad["dedup > window"], `[{"id":"r","fp":7,"result":{"changed":true}}]`,
		`[{"id":"r","fp":7,"result":{}},{"id":"s","fp":7,"result":{}}]`, 1)
	for name, s := range bad {
		if err := tb.Restore([]byte(s)); !errors.Is(err, ErrBadSnapshot) {
			t.Errorf("%s: Restore error = %v, want ErrBadSnapshot", name, err)
		}
		if after := tb.Snapshot(); !bytes.Equal(after, before) {
			t.Fatalf("%s: a failed Restore changed the table", name)
		}
	}
}
