package reqid

import (
	"fmt"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		id     string
		prefix string
		n      uint64
		ok     bool
	}{
		{"c15.0a1b2c3d4e5f-27", "c15.0a1b2c3d4e5f", 27, true},
		{"a-b-3", "a-b", 3, true},
		{"-0", "", 0, true},
		{"c1", "", 0, false},
		{"c1-", "", 0, false},
		{"c1-+3", "", 0, false},
		{"c1-3x", "", 0, false},
		{"c1-1234567890123456789", "", 0, false},
	} {
		p, n, ok := Split(c.id)
		if p != c.prefix || n != c.n || ok != c.ok {
			t.Errorf("Split(%q) = %q, %d, %v; want %q, %d, %v", c.id, p, n, ok, c.prefix, c.n, c.ok)
		}
	}
}

func TestTableKeepsEveryIDApart(t *testing.T) {
	tab := New[int]()
	ids := []string{"c1-1", "c1-2", "c2-1", "odd", "c1-999999", "c1-" + fmt.Sprint(MaxDense), "c1-0"}
	for i, id := range ids {
		*tab.Slot(id) = i + 1
	}
	// Grow c1's slice until the far id would now fit densely: it must still
	// be found where it was stored.
	for n := 3; n < 999999-MaxGap+10; n += MaxGap / 2 {
		*tab.Slot(fmt.Sprintf("c1-%d", n)) += 0
	}
	*tab.Slot("c1-999999") += 100
	for i, id := range ids {
		want := i + 1
		if id == "c1-999999" {
			want += 100
		}
		if got, ok := tab.Get(id); !ok || got != want {
			t.Errorf("Get(%q) = %d, %v; want %d, true", id, got, ok, want)
		}
	}
	if _, ok := tab.Get("never"); ok {
		t.Error(`Get("never") found a slot`)
	}
	if len(tab.other) != 3 {
		t.Errorf("%d ids in the map, want 3 (odd, the far one and the one beyond MaxDense)", len(tab.other))
	}
}

func FuzzTableSlot(f *testing.F) {
	f.Add("c1-5", "c1-70000")
	f.Add("x", "x-0")
	f.Fuzz(func(t *testing.T, a, b string) {
		tab := New[int]()
		*tab.Slot(a) = 1
		*tab.Slot(b) += 2
		ga, _ := tab.Get(a)
		gb, _ := tab.Get(b)
		if a == b && (ga != 3 || gb != 3) || a != b && (ga != 1 || gb != 2) {
			t.Errorf("ids %q, %q: got %d, %d", a, b, ga, gb)
		}
	})
}
