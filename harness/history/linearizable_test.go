package history

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

var testCfg = LinearizableConfig{Timeout: 20 * time.Second}

func TestLinearizablePasses(t *testing.T) {
	cases := []struct {
		name string
		ops  []Op
	}{
		{"empty", nil},
		{"sequential views down to exhausted", []Op{
			view("a", 2, at(0, 10), granted(1)),
			view("a", 2, at(20, 30), granted(0)),
			view("a", 2, at(40, 50), exhausted()),
		}},
		{"concurrent grants in either order", []Op{
			view("a", 2, at(0, 50), granted(0), client(0)),
			view("a", 2, at(10, 40), granted(1), client(1)),
		}},
		{"refused users read the count without spending", []Op{
			view("a", 3, at(0, 10), denied(3)),
			view("a", 3, at(20, 30), granted(2)),
			view("a", 3, at(40, 50), denied(2)),
		}},
		{"unknown view that spent", []Op{
			view("a", 2, lost(0)),
			view("a", 2, at(20, 30), granted(0)),
			view("a", 2, at(40, 50), exhausted()),
		}},
		{"unknown view that did not spend", []Op{
			view("a", 2, lost(0)),
			view("a", 2, at(20, 30), granted(1)),
			view("a", 2, at(40, 50), granted(0)),
		}},
		{"unknown view that spent long after the client gave up", []Op{
			view("a", 2, lost(0)),
			view("a", 2, at(20, 30), granted(1)),
			view("a", 2, at(5000, 5010), exhausted()),
		}},
		{"failed view never happened", []Op{
			func() Op { o := view("a", 1, at(0, 10)); o.Outcome, o.Output = Fail, Output{}; return o }(),
			view("a", 1, at(20, 30), granted(0)),
		}},
		{"independent images", []Op{
			view("a", 1, at(0, 10), granted(0)),
			view("b", 1, at(0, 10), granted(0)),
		}},
		{"discovery register, online, unregister", []Op{
			register("alice", "h1:1", at(0, 10)),
			online([]string{"alice@h1:1"}, at(20, 30)),
			register("alice", "h1:2", at(40, 50)),
			online([]string{"alice@h1:2"}, at(60, 70)),
			unregister("alice", at(80, 90)),
			online(nil, at(100, 110)),
		}},
		{"online concurrent with register may miss it", []Op{
			register("alice", "h1:1", at(0, 50)),
			online(nil, at(10, 20)),
			online([]string{"alice@h1:1"}, at(30, 40)),
		}},
		{"unknown register seen later, unknown unregister not", []Op{
			register("bob", "h2:1", lost(0)),
			online(nil, at(10, 20)),
			online([]string{"bob@h2:1"}, at(30, 40)),
			unregister("bob", lost(50)),
			online([]string{"bob@h2:1"}, at(60, 70)),
			online([]string{"bob@h2:1"}, lost(80)),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Linearizable(c.ops, testCfg)
			if r.Status != StatusPass {
				t.Fatalf("status %s, want pass: %s\n%+v", r.Status, r.Summary, r.Violations)
			}
			if len(r.Violations) != 0 || r.Visualization != "" {
				t.Errorf("a pass carries violations or a visualization: %+v", r)
			}
		})
	}
}

// Each way the table can be wrong, minimal, with the words its evidence
// must hold.
func TestLinearizableFails(t *testing.T) {
	cases := []struct {
		name string
		ops  []Op
		key  string   // the partition the evidence is about
		want []string // in the violation's text
		nops int      // operations listed as evidence, at least
	}{
		{"stale read: a grant after another view returned 0 left", []Op{
			view("a", 1, at(0, 10), granted(0), client(0), node(1)),
			view("a", 1, at(20, 30), granted(0), client(1), node(2)),
		}, "image a", []string{"image a (quota 1)", "Stale read", "via node 2", "had returned 0 left"}, 2},
		{"stale refusal: an unauthorized user sees more views than were left", []Op{
			view("a", 2, at(0, 10), granted(1), node(1)),
			view("a", 2, at(20, 30), denied(2), node(3)),
		}, "image a", []string{"Stale read", "refused (not authorized), 2 left"}, 2},
		{"double spend: two concurrent grants leave the same count", []Op{
			view("a", 2, at(0, 20), granted(1), client(0), node(1)),
			view("a", 2, at(10, 30), granted(1), client(1), node(2)),
		}, "image a", []string{"Double spend: 2 views granted each leaving 1", "client 0 via node 1", "client 1 via node 2"}, 2},
		{"over-grant: quota 2, three grants", []Op{
			view("a", 2, at(0, 10), granted(1), node(1)),
			view("a", 2, at(20, 30), granted(0), node(1)),
			view("a", 2, at(40, 50), granted(0), node(2)),
		}, "image a", []string{"Double spend", "Stale read", "none of the 1 that must come next fits"}, 2},
		{"an answer beyond the quota", []Op{
			view("a", 2, at(0, 10), granted(2)),
		}, "image a", []string{"Impossible answer", "a grant leaving 2 needs 3 left before it"}, 1},
		{"unauthorized user granted", []Op{
			view("a", 2, at(0, 10), granted(1), auth(AuthDenied)),
		}, "image a", []string{"not authorized, yet was granted"}, 1},
		{"authorized user refused as unauthorized", []Op{
			view("a", 2, at(0, 10), denied(2), auth(AuthAllowed)),
		}, "image a", []string{"authorized, yet was refused"}, 1},
		{"unknown ops do not hide a stale read", []Op{
			view("a", 1, lost(0)),
			view("a", 1, at(10, 20), granted(0)),
			view("a", 1, at(30, 40), granted(0)),
		}, "image a", []string{"Stale read"}, 2},
		{"discovery: online misses a user registered before it", []Op{
			register("alice", "h1:1", at(0, 10), client(2), node(1)),
			online(nil, at(20, 30), client(3), node(2)),
		}, "discovery user alice", []string{"Missing user", "lacks alice", "register(alice, h1:1) by client 2 via node 1", "online() by client 3 via node 2"}, 2},
		{"discovery: online shows a user nobody registered", []Op{
			online([]string{"mallory@h9:9"}, at(0, 10)),
		}, "discovery user mallory", []string{"Phantom", "mallory@h9:9"}, 1},
		{"discovery: online shows a user after it unregistered", []Op{
			register("bob", "h2:1", at(0, 10)),
			unregister("bob", at(20, 30)),
			online([]string{"bob@h2:1"}, at(40, 50)),
		}, "discovery user bob", []string{"Lingering user", "unregister(bob)"}, 2},
		{"discovery: two onlines see concurrent registers in opposite orders", []Op{
			register("alice", "h1:1", at(0, 100), client(0)),
			register("bob", "h2:1", at(0, 100), client(1)),
			online([]string{"alice@h1:1"}, at(10, 90), client(2)),
			online([]string{"bob@h2:1"}, at(10, 90), client(3)),
		}, "discovery", []string{"discovery: its 4 operations have no linearization", "none of the"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Linearizable(c.ops, testCfg)
			if r.Status != StatusFail {
				t.Fatalf("status %s, want fail: %s", r.Status, r.Summary)
			}
			if len(r.Violations) == 0 {
				t.Fatal("fail without a violation")
			}
			v := r.Violations[0]
			if v.Key != c.key || v.Kind != "not linearizable" {
				t.Errorf("violation about %q (%s), want %q", v.Key, v.Kind, c.key)
			}
			mustContain(t, "violation text", v.Text, c.want...)
			mustContain(t, "summary", r.Summary, c.key)
			if len(v.Ops) < c.nops {
				t.Errorf("%d operations as evidence, want at least %d: %+v", len(v.Ops), c.nops, v.Ops)
			}
			for _, e := range v.Ops {
				if e.Text != c.ops[e.Index].String() || e.Role == "" {
					t.Errorf("evidence %+v does not name op %d", e, e.Index)
				}
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("result does not encode: %v", err)
			}
		})
	}
}

// The smallest failing partition is explained; the others are listed.
func TestLinearizableExplainsSmallestPartition(t *testing.T) {
	ops := []Op{
		view("big", 5, at(0, 10), granted(4)),
		view("big", 5, at(20, 30), granted(3)),
		view("big", 5, at(40, 50), granted(3)),
		view("small", 1, at(0, 10), granted(0)),
		view("small", 1, at(20, 30), granted(0)),
		view("fine", 1, at(0, 10), granted(0)),
	}
	r := Linearizable(ops, testCfg)
	if r.Status != StatusFail || r.Counts["illegal_partitions"] != 2 || r.Counts["partitions"] != 3 {
		t.Fatalf("status %s, counts %v", r.Status, r.Counts)
	}
	if len(r.Violations) != 2 || r.Violations[0].Key != "image small" || r.Violations[1].Key != "image big" {
		t.Fatalf("violations %+v", r.Violations)
	}
	mustContain(t, "first violation", r.Violations[0].Text, "porcupine ordered 1 of them")
	mustContain(t, "second violation", r.Violations[1].Text, "Double spend")
}

func TestLinearizableVisualization(t *testing.T) {
	dir := t.TempDir()
	bad := []Op{
		view("a", 1, at(0, 10), granted(0)),
		view("a", 1, at(20, 30), granted(0)),
		view("b", 1, at(0, 10), granted(0)),
	}
	path := filepath.Join(dir, "fail.html")
	r := Linearizable(bad, LinearizableConfig{Timeout: 20 * time.Second, VisualizationPath: path})
	if r.Status != StatusFail || r.Visualization != path {
		t.Fatalf("status %s, visualization %q", r.Status, r.Visualization)
	}
	html, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "visualization", string(html), "<html", "view(a, alice)")
	if strings.Contains(string(html), "view(b, alice)") {
		t.Error("visualization holds a partition that did not fail")
	}
	mustContain(t, "details", strings.Join(r.Details, "\n"), path)

	ok := filepath.Join(dir, "ok.html")
	if r := Linearizable(bad[:1], LinearizableConfig{VisualizationPath: ok}); r.Status != StatusPass {
		t.Fatalf("status %s", r.Status)
	}
	if _, err := os.Stat(ok); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("visualization written for a pass: %v", err)
	}

	unwritable := filepath.Join(dir, "missing-dir", "x.html")
	r = Linearizable(bad, LinearizableConfig{VisualizationPath: unwritable})
	if r.Status != StatusFail || r.Visualization != "" {
		t.Fatalf("status %s, visualization %q", r.Status, r.Visualization)
	}
	mustContain(t, "details", strings.Join(r.Details, "\n"), "not written")
}

// Porcupine not deciding in time is inconclusive, never a pass.
func TestLinearizableTimeoutIsUnknown(t *testing.T) {
	ops := []Op{view("a", 1, at(0, 10), granted(0))}
	r := Linearizable(ops, LinearizableConfig{Timeout: time.Nanosecond})
	if r.Status != StatusUnknown || r.Counts["undecided_partitions"] != 1 {
		t.Fatalf("status %s, counts %v: %s", r.Status, r.Counts, r.Summary)
	}
	mustContain(t, "summary", r.Summary, "inconclusive", "image a")
}

func TestChecksRefuseInvalidHistories(t *testing.T) {
	ops := []Op{
		view("a", 1, at(0, 10), granted(0)),
		view("a", 2, at(20, 30), granted(1)),
	}
	for _, r := range []Result{Linearizable(ops, testCfg), QuotaSafety(ops)} {
		if r.Status != StatusUnknown {
			t.Errorf("%s: status %s on an inconsistent history", r.Name, r.Status)
		}
		mustContain(t, r.Name+" summary", r.Summary, "quota 1 at op 0 and 2 at op 1")
	}
	if err := Validate(ops); !errors.Is(err, ErrInconsistent) {
		t.Errorf("Validate: %v, want ErrInconsistent", err)
	}
}

// The verdict from the partitions' results: any illegal fails, else any
// undecided is inconclusive (and says whether only the whole discovery table
// was), else pass.
func TestJudge(t *testing.T) {
	part := func(key string, res porcupine.CheckResult) *partition { return &partition{key: key, res: res} }
	cases := []struct {
		name  string
		parts []*partition
		want  Status
		words string
	}{
		{"all decided", []*partition{part("image a", porcupine.Ok), part("discovery", porcupine.Ok)}, StatusPass, "linearizable"},
		{"an illegal one beats an undecided one", []*partition{part("image a", porcupine.Unknown), part("discovery user bob", porcupine.Illegal)}, StatusFail, "discovery user bob"},
		{"an image undecided", []*partition{part("image a", porcupine.Unknown), part("discovery", porcupine.Ok)}, StatusUnknown, "did not decide image a"},
		{"only the whole table undecided", []*partition{part("discovery user bob", porcupine.Ok), part("discovery", porcupine.Unknown)}, StatusUnknown, "each user's discovery entry are linearizable"},
	}
	for _, c := range cases {
		r := Result{Counts: map[string]int{}}
		judge(&r, c.parts)
		if r.Status != c.want {
			t.Errorf("%s: status %s, want %s", c.name, r.Status, c.want)
		}
		mustContain(t, c.name, r.Summary, c.words)
	}
}
