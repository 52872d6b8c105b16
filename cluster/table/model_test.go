package table

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
)

// model is a deliberately naive reference table: plain maps and a full list
// of every remembered op, scanned backwards over the last window entries.
type model struct {
	window    int
	remaining map[string]int
	online    map[string]string
	memory    []memo
}

type memo struct {
	id     string
	op     Op // without its id
	result Result
}

func newModel(window int) *model {
	return &model{window: window, remaining: map[string]int{}, online: map[string]string{}}
}

func (m *model) apply(op Op) Result {
	if op.Validate() != nil {
		return Result{Error: op.Validate().Error()}
	}
	if op.Online != nil {
		var ps []Peer
		for u, a := range m.online {
			ps = append(ps, Peer{u, a})
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].User < ps[j].User })
		return Result{Peers: ps}
	}
	bare := op
	bare.ID = ""
	if op.ID != "" {
		for i := len(m.memory) - 1; i >= 0 && i >= len(m.memory)-m.window; i-- {
			if m.memory[i].id != op.ID {
				continue
			}
			if !reflect.DeepEqual(m.memory[i].op, bare) {
				return Result{Error: fmt.Sprintf("request id reused for a different op: %q", op.ID)}
			}
			return m.memory[i].result
		}
	}
	var r Result
	switch {
	case op.View != nil:
		v := op.View
		left, seen := m.remaining[v.Image]
		if !seen {
			left = v.Quota
		}
		if !v.Authorized {
			r = refused(left, ReasonNotAuthorized)
		} else if left == 0 {
			m.remaining[v.Image] = 0
			r = refused(0, ReasonExhausted)
		} else {
			m.remaining[v.Image] = left - 1
			r = granted(left - 1)
		}
	case op.Register != nil:
		old, ok := m.online[op.Register.User]
		m.online[op.Register.User] = op.Register.Addr
		r = Result{Changed: !ok || old != op.Register.Addr}
	case op.Unregister != nil:
		_, ok := m.online[op.Unregister.User]
		delete(m.online, op.Unregister.User)
		r = Result{Changed: ok}
	}
	if op.ID != "" {
		m.memory = append(m.memory, memo{op.ID, bare, r})
	}
	return r
}

// randomOp draws from small domains so that images run out, users collide
// and ids repeat (retries) or get reused for other ops.
func randomOp(rng *rand.Rand, ids *[]string) Op {
	var op Op
	images := []string{"i1", "i2", "i3"}
	users := []string{"alice", "bob", "carol"}
	switch k := rng.IntN(10); {
	case k < 6:
		op.View = &View{Image: images[rng.IntN(3)], User: users[rng.IntN(3)], Quota: rng.IntN(4), Authorized: rng.IntN(4) != 0}
	case k < 8:
		op.Register = &Register{User: users[rng.IntN(3)], Addr: fmt.Sprintf("h:%d", rng.IntN(2))}
	case k < 9:
		op.Unregister = &Unregister{User: users[rng.IntN(3)]}
	default:
		op.Online = &Online{}
	}
	switch k := rng.IntN(10); {
	case k < 3 && len(*ids) > 0: // a retry (maybe of a different op: reuse)
		op.ID = (*ids)[rng.IntN(len(*ids))]
	case k < 8:
		op.ID = fmt.Sprintf("r%d", len(*ids))
		*ids = append(*ids, op.ID)
	}
	if rng.IntN(50) == 0 {
		op.View, op.Register = nil, nil // sometimes invalid
	}
	return op
}

// TestAgainstModel runs many seeded random op sequences through Table and
// the model, comparing every result; every so often the table is replaced
// by a restore of its own snapshot. It also checks the quota invariant:
// granted views of an image never exceed the quota it was first seen with.
func TestAgainstModel(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		window := 1 + rng.IntN(20)
		tb, m := New(window), newModel(window)
		var ids []string
		// Fresh grants of an image report distinct remaining values
		// quota−1, quota−2, …; a retry repeats one. So the set of granted
		// remaining values counts the views really spent.
		spent, quota := map[string]map[int]bool{}, map[string]int{}
		for i := range 300 {
			op := randomOp(rng, &ids)
			got, want := tb.Apply(op), m.apply(op)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d step %d: Apply(%s) = %s, model %s", seed, i, js(op), js(got), js(want))
			}
			if op.View != nil && got.View != nil {
				img := op.View.Image
				if _, ok := quota[img]; !ok {
					if _, seen := tb.Remaining(img); seen {
						quota[img] = op.View.Quota
					}
				}
				if got.View.Granted {
					if spent[img] == nil {
						spent[img] = map[int]bool{}
					}
					spent[img][got.View.Remaining] = true
				}
			}
			if rng.IntN(40) == 0 {
				nt := New(0)
				if err := nt.Restore(tb.Snapshot()); err != nil {
					t.Fatalf("seed %d step %d: Restore: %v", seed, i, err)
				}
				tb = nt
			}
		}
		for img, set := range spent {
			left, _ := tb.Remaining(img)
			if len(set) > quota[img] || left != quota[img]-len(set) {
				t.Fatalf("seed %d: image %s: %d views spent, quota %d, remaining %d", seed, img, len(set), quota[img], left)
			}
			for r := range set {
				if r < 0 || r >= quota[img] {
					t.Fatalf("seed %d: image %s: granted with remaining %d, quota %d", seed, img, r, quota[img])
				}
			}
		}
	}
}
