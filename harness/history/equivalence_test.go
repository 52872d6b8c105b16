package history

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

// Linearizable simplifies before it asks porcupine: unknown operations are
// left out, resolved or given horizons (unknown.go), unknown views are
// ranked, discovery is also checked per user. Each step claims to change no
// verdict. This test holds it to that: on small random histories, half of
// them mutated into anomalies, its verdict must equal that of plain
// porcupine with naive models written here, where every unknown operation
// is pending forever and discovery is one partition.
func TestSimplificationsKeepVerdicts(t *testing.T) {
	c := genConfig{ops: 24, images: 2, clients: 5, users: 3, views: 0.5, unregisters: 1.0 / 3,
		unknown: 0.25, fail: 0.05, quotaMax: 3, latency: 5 * time.Millisecond, timeout: 20 * time.Millisecond}
	runs := 600
	if testing.Short() {
		runs = 100
	}
	verdicts := map[bool]int{}
	for seed := range runs {
		rng := rand.New(rand.NewPCG(99, uint64(seed)))
		ops := genHistory(rng, c)
		if seed%2 == 1 {
			mutate(rng, ops)
		}
		want := naiveLinearizable(ops)
		r := Linearizable(ops, testCfg)
		if r.Status == StatusUnknown || (r.Status == StatusPass) != want {
			var b strings.Builder
			for i, op := range ops {
				fmt.Fprintf(&b, "%d: %s\n", i, op)
			}
			t.Fatalf("seed %d: Linearizable says %s, plain porcupine says linearizable=%t\n%s%s", seed, r.Status, want, b.String(), violationsText(r))
		}
		verdicts[want]++
	}
	if verdicts[true] < runs/4 || verdicts[false] < runs/4 {
		t.Fatalf("verdicts not mixed enough to test anything: %v", verdicts)
	}
}

// mutate changes one answered operation's output.
func mutate(rng *rand.Rand, ops []Op) {
	var answered []int
	for i := range ops {
		if ops[i].Outcome == OK && ops[i].Kind != Register && ops[i].Kind != Unregister {
			answered = append(answered, i)
		}
	}
	if len(answered) == 0 {
		return
	}
	op := &ops[answered[rng.IntN(len(answered))]]
	switch {
	case op.Kind == View && op.Output.Granted:
		op.Output.Remaining += 1 - 2*rng.IntN(2)
		op.Output.Remaining = max(op.Output.Remaining, 0)
	case op.Kind == View:
		op.Output = Output{Granted: true, Remaining: max(op.Output.Remaining-1, 0)}
	case len(op.Output.Online) > 0 && rng.IntN(2) == 0:
		op.Output.Online = op.Output.Online[1:]
	default:
		op.Output.Online = append(slices.Clone(op.Output.Online), Peer{User: "user00", Addr: "10.0.0.0:7000"})
		slices.SortFunc(op.Output.Online, func(a, b Peer) int { return cmp.Compare(a.User, b.User) })
	}
}

// naiveLinearizable: porcupine on views per image (state: views left) and
// all discovery as one partition (state: the table as sorted text), unknown
// operations pending forever with both outcomes possible.
func naiveLinearizable(ops []Op) bool {
	byKey := make(map[string][]porcupine.Operation)
	for i := range ops {
		op := &ops[i]
		if op.Outcome == Fail {
			continue
		}
		key := "discovery"
		if op.Kind == View {
			key = "image " + op.Input.Image
		}
		ret := int64(op.Return)
		if op.Outcome == Unknown {
			ret = math.MaxInt64
		}
		byKey[key] = append(byKey[key], porcupine.Operation{ClientId: op.Client, Input: op, Call: int64(op.Call), Return: ret})
	}
	for key, part := range byKey {
		m := naiveViews
		if key == "discovery" {
			m = naiveDiscovery
		}
		if porcupine.CheckOperationsTimeout(m.ToModel(), part, time.Minute) != porcupine.Ok {
			return false
		}
	}
	return true
}

var naiveViews = porcupine.NondeterministicModel{
	Init: func() []any { return []any{-1} },
	Step: func(state, input, _ any) []any {
		op := input.(*Op)
		left := state.(int)
		if left < 0 {
			left = op.Input.Quota
		}
		var can []Output // every answer the table may give
		if op.Input.Authorized != AuthAllowed {
			can = append(can, Output{Reason: ReasonNotAuthorized, Remaining: left})
		}
		if op.Input.Authorized != AuthDenied && left == 0 {
			can = append(can, Output{Reason: ReasonQuotaExhausted})
		}
		if op.Input.Authorized != AuthDenied && left > 0 {
			can = append(can, Output{Granted: true, Remaining: left - 1})
		}
		var next []any
		if op.Outcome == Unknown {
			next = append(next, left)
		}
		for _, out := range can {
			if op.Outcome == Unknown || out.Granted == op.Output.Granted && out.Remaining == op.Output.Remaining && out.Reason == op.Output.Reason {
				if out.Granted {
					next = append(next, left-1)
				} else {
					next = append(next, left)
				}
			}
		}
		return next
	},
}

var naiveDiscovery = porcupine.NondeterministicModel{
	Init: func() []any { return []any{""} },
	Step: func(state, input, _ any) []any {
		op := input.(*Op)
		peers := map[string]string{}
		for _, line := range strings.Split(state.(string), "\n") {
			if u, a, ok := strings.Cut(line, " "); ok {
				peers[u] = a
			}
		}
		text := func(ps map[string]string) string {
			var lines []string
			for u, a := range ps {
				lines = append(lines, u+" "+a)
			}
			slices.Sort(lines)
			return strings.Join(lines, "\n")
		}
		switch op.Kind {
		case Online:
			if op.Outcome == Unknown {
				return []any{state}
			}
			got := map[string]string{}
			for _, p := range op.Output.Online {
				if _, dup := got[p.User]; dup {
					return nil
				}
				got[p.User] = p.Addr
			}
			if text(got) == state.(string) {
				return []any{state}
			}
			return nil
		case Register:
			peers[op.Input.User] = op.Input.Addr
		case Unregister:
			delete(peers, op.Input.User)
		}
		if op.Outcome == Unknown {
			return []any{state, text(peers)}
		}
		return []any{text(peers)}
	},
}
