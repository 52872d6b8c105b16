package history

import (
	"encoding/json"
	"testing"
)

func TestQuotaSafetyPasses(t *testing.T) {
	cases := []struct {
		name      string
		ops       []Op
		maybeOver int
	}{
		{"empty", nil, 0},
		{"quota spent exactly", []Op{
			view("a", 2, at(0, 10), granted(1)),
			view("a", 2, at(20, 30), granted(0)),
			view("a", 2, at(40, 50), exhausted()),
		}, 0},
		{"a grant concurrent with the exhausted answer", []Op{
			view("a", 1, at(0, 10), exhausted()),
			view("a", 1, at(10, 20), granted(0)), // called exactly when the other returned: concurrent
		}, 0},
		{"unknown views only might have been granted", []Op{
			view("a", 2, at(0, 10), granted(1)),
			view("a", 2, lost(5)),
			view("a", 2, lost(6)),
		}, 1},
		{"refusals and other images do not count", []Op{
			view("a", 1, at(0, 10), granted(0)),
			view("a", 1, at(0, 10), denied(1)),
			view("b", 1, at(20, 30), granted(0)),
			register("alice", "h:1", at(0, 1)),
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := QuotaSafety(c.ops)
			if r.Status != StatusPass || len(r.Violations) != 0 {
				t.Fatalf("status %s, want pass: %s %+v", r.Status, r.Summary, r.Violations)
			}
			if r.Counts["maybe_over"] != c.maybeOver {
				t.Errorf("maybe_over %d, want %d", r.Counts["maybe_over"], c.maybeOver)
			}
		})
	}
}

func TestQuotaSafetyFails(t *testing.T) {
	cases := []struct {
		name  string
		ops   []Op
		kinds []string // violation kinds, in order
		want  []string // in the first violation's text
		nops  int      // evidence of the first violation
	}{
		{"over-grant: quota 2, three grants", []Op{
			view("a", 2, at(0, 10), granted(1), node(1)),
			view("a", 2, at(0, 12), granted(0), node(2)),
			view("a", 2, at(5, 15), granted(0), node(3), client(7)),
		}, []string{"over-grant"}, []string{"image a (quota 2): 3 views granted", "client 7 via node 3"}, 3},
		{"over-grant with unknowns still needs definite grants", []Op{
			view("a", 1, at(0, 10), granted(0), node(1)),
			view("a", 1, at(0, 10), granted(0), node(2)),
			view("a", 1, lost(0)),
		}, []string{"over-grant"}, []string{"2 views granted", "1 more views have unknown outcomes"}, 2},
		{"grant after another view returned 0 left", []Op{
			view("a", 3, at(0, 10), granted(0), node(1)),
			view("a", 3, at(20, 30), granted(1), node(2), client(5)),
		}, []string{"grant after exhausted"}, []string{"reported no views left at 10ms", "1 views called later were granted", "client 5 via node 2"}, 2},
		{"grant after quota exhausted", []Op{
			view("a", 3, at(0, 10), exhausted(), node(1)),
			view("a", 3, at(11, 30), granted(2), node(2)),
		}, []string{"grant after exhausted"}, []string{"refused (quota exhausted)"}, 2},
		{"grant after an unauthorized user saw 0 left", []Op{
			view("a", 3, at(0, 10), denied(0), node(1)),
			view("a", 3, at(11, 30), granted(2), node(2)),
		}, []string{"grant after exhausted"}, []string{"refused (not authorized), 0 left"}, 2},
		{"both at once", []Op{
			view("a", 1, at(0, 10), granted(0)),
			view("a", 1, at(20, 30), granted(0)),
		}, []string{"over-grant", "grant after exhausted"}, []string{"2 views granted"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := QuotaSafety(c.ops)
			if r.Status != StatusFail {
				t.Fatalf("status %s, want fail: %s", r.Status, r.Summary)
			}
			if len(r.Violations) != len(c.kinds) {
				t.Fatalf("%d violations, want %d: %+v", len(r.Violations), len(c.kinds), r.Violations)
			}
			for i, k := range c.kinds {
				if r.Violations[i].Kind != k || r.Violations[i].Key != "image a" {
					t.Errorf("violation %d: %s about %s, want %s about image a", i, r.Violations[i].Kind, r.Violations[i].Key, k)
				}
			}
			v := r.Violations[0]
			mustContain(t, "violation", v.Text, c.want...)
			mustContain(t, "summary", r.Summary, "image a")
			if len(v.Ops) != c.nops {
				t.Errorf("%d operations as evidence, want %d", len(v.Ops), c.nops)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Error(err)
			}
		})
	}
}
