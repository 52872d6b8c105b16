package load

import (
	"errors"
	"math/rand/v2"
	"testing"

	"stegocloud/harness/experiment"
	"stegocloud/harness/history"
)

func TestOpPickerIsSeededAndFollowsTheMix(t *testing.T) {
	mix := experiment.Mix{Encrypt: 0.2, View: 0.7, Register: 0.05, Online: 0.05}
	p, q := NewOpPicker(mix, 7), NewOpPicker(mix, 7)
	count := map[string]int{}
	const n = 20000
	for seq := range uint64(n) {
		a, b := p.Pick(p.Rand(seq)), q.Pick(q.Rand(seq))
		if a != b {
			t.Fatalf("seq %d: %s then %s from the same seed", seq, a, b)
		}
		count[a]++
	}
	for _, op := range experiment.MixOps {
		if got, want := float64(count[op])/n, mix.Of(op); got < want-0.02 || got > want+0.02 {
			t.Errorf("%s: share %.3f, want %.2f ± 0.02", op, got, want)
		}
	}
}

func TestCatalogBoundsViewsInFlightAndPrefersLiveImages(t *testing.T) {
	var c Catalog
	c.MaxInFlight = 2
	r := rand.New(rand.NewPCG(1, 2))
	if _, ok := c.Acquire(r); ok {
		t.Fatal("an empty catalog gave an image")
	}
	c.Add(ViewImage{ID: "a", Quota: 1})
	c.Add(ViewImage{ID: "a", Quota: 1}) // the same image again: kept once
	if c.Len() != 1 {
		t.Fatalf("Len = %d, want 1", c.Len())
	}
	for range 2 {
		if img, ok := c.Acquire(r); !ok || img.ID != "a" {
			t.Fatalf("Acquire = %+v, %v; want a", img, ok)
		}
	}
	if img, ok := c.Acquire(r); ok {
		t.Fatalf("a third view of a in flight: %+v", img)
	}
	c.Release("a", true, 0) // a ran out
	c.Release("a", false, 0)
	// Only an exhausted image: its views are the stale ones.
	if img, ok := c.Acquire(r); !ok || img.ID != "a" {
		t.Fatalf("Acquire with only exhausted images = %+v, %v; want a", img, ok)
	}
	c.Release("a", true, 0)
	c.Add(ViewImage{ID: "b", Quota: 1})
	stale := 0
	for range 1000 {
		img, ok := c.Acquire(r)
		if !ok {
			t.Fatal("no image, with b free")
		}
		if img.ID == "a" {
			stale++
		}
		c.Release(img.ID, false, 0)
	}
	if stale == 0 || stale > 200 {
		t.Errorf("%d of 1000 views went to the exhausted image, want about %v", stale, 1000*StaleShare/2)
	}
}

func TestCatalogKeepsAtMostMaxImages(t *testing.T) {
	c := Catalog{MaxImages: 2}
	for _, id := range []string{"a", "b", "c"} {
		c.Add(ViewImage{ID: id})
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
}

func TestViewUser(t *testing.T) {
	img := &ViewImage{ID: "a", Users: []string{"alice", "bob"}}
	r := rand.New(rand.NewPCG(3, 4))
	denied := 0
	for range 4000 {
		u, ok := ViewUser(r, img)
		switch {
		case ok && u != "alice" && u != "bob":
			t.Fatalf("authorized user %q is not one of the image's", u)
		case !ok && (u == "alice" || u == "bob"):
			t.Fatalf("unauthorized user %q is one of the image's", u)
		case !ok:
			denied++
		}
	}
	if share := float64(denied) / 4000; share < experiment.UnauthorizedShare-0.03 || share > experiment.UnauthorizedShare+0.03 {
		t.Errorf("unauthorized share %.3f, want %v", share, experiment.UnauthorizedShare)
	}
}

func TestVerifyView(t *testing.T) {
	img := &ViewImage{ID: "a", Quota: 2}
	for _, c := range []struct {
		name       string
		authorized bool
		granted    bool
		remaining  int
		reason     string
		ok         bool
	}{
		{"grant", true, true, 1, "", true},
		{"last grant", true, true, 0, "", true},
		{"exhausted", true, false, 0, history.ReasonQuotaExhausted, true},
		{"not authorized", false, false, 2, history.ReasonNotAuthorized, true},
		{"granted to an intruder", false, true, 1, "", false},
		{"granted beyond the quota", true, true, 2, "", false},
		{"more left than the quota", true, false, 3, history.ReasonQuotaExhausted, false},
		{"negative", true, false, -1, history.ReasonQuotaExhausted, false},
		{"exhausted with views left", true, false, 1, history.ReasonQuotaExhausted, false},
		{"exhausted to an intruder", false, false, 0, history.ReasonQuotaExhausted, false},
		{"authorized user refused as not authorized", true, false, 1, history.ReasonNotAuthorized, false},
		{"unknown reason", true, false, 1, "busy", false},
		{"grant with a reason", true, true, 1, "why", false},
	} {
		err := VerifyView(img, c.authorized, c.granted, c.remaining, c.reason)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrInconsistentAnswer)) {
			t.Errorf("%s: VerifyView = %v, want ok %v", c.name, err, c.ok)
		}
	}
}

func TestVerifyOnline(t *testing.T) {
	good := []history.Peer{{User: "a", Addr: "x"}, {User: "b", Addr: "y"}}
	if err := VerifyOnline(good); err != nil || VerifyOnline(nil) != nil {
		t.Errorf("VerifyOnline(sorted) = %v", err)
	}
	for _, bad := range [][]history.Peer{
		{{User: "b", Addr: "y"}, {User: "a", Addr: "x"}},
		{{User: "a", Addr: "x"}, {User: "a", Addr: "y"}},
		{{User: "a", Addr: ""}},
	} {
		if err := VerifyOnline(bad); !errors.Is(err, ErrInconsistentAnswer) {
			t.Errorf("VerifyOnline(%v) = %v, want ErrInconsistentAnswer", bad, err)
		}
	}
}
