package cluster

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestBalancers(t *testing.T) {
	three := []Candidate{{1, 0.7}, {2, 0.5}, {3, 0.5}}
	cases := []struct {
		name     string
		balancer string
		rounds   [][]Candidate
		self     int
		want     []int
	}{
		{"lowest load, first tie to lower id", BalancerLowestLoad, [][]Candidate{three}, 1, []int{2}},
		{"lowest load, ties take turns", BalancerLowestLoad, [][]Candidate{three, three, three}, 1, []int{2, 3, 2}},
		{"lowest load, a clear minimum beats the turn", BalancerLowestLoad,
			[][]Candidate{three, {{1, 0.7}, {2, 0.4}, {3, 0.5}}}, 1, []int{2, 2}},
		{"lowest load, single", BalancerLowestLoad, [][]Candidate{{{4, 9}}}, 1, []int{4}},
		{"round robin cycles", BalancerRoundRobin, [][]Candidate{three, three, three, three}, 1, []int{1, 2, 3, 1}},
		{"round robin skips a missing node", BalancerRoundRobin,
			[][]Candidate{three, {{1, 0}, {3, 0}}, {{1, 0}, {3, 0}}}, 1, []int{1, 3, 1}},
		{"coordinator serves itself", BalancerCoordinator, [][]Candidate{three, three}, 3, []int{3, 3}},
		{"coordinator excluded falls back to lowest", BalancerCoordinator, [][]Candidate{{{1, 0.9}, {2, 0.4}}}, 3, []int{2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := NewBalancer(c.balancer, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			for i, cands := range c.rounds {
				if got := b.Pick(cands, c.self); got != c.want[i] {
					t.Errorf("round %d: Pick(%v, self %d) = %d, want %d", i, cands, c.self, got, c.want[i])
				}
			}
		})
	}
}

func TestRandomBalancerIsSeededAndCoversAll(t *testing.T) {
	pick := func(seed uint64) []int {
		b, _ := NewBalancer(BalancerRandom, rand.New(rand.NewPCG(seed, 0)))
		var out []int
		for range 300 {
			out = append(out, b.Pick([]Candidate{{1, 0}, {2, 0}, {3, 0}}, 1))
		}
		return out
	}
	a, b := pick(42), pick(42)
	counts := map[int]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different pick %d: %d vs %d", i, a[i], b[i])
		}
		counts[a[i]]++
	}
	for id := 1; id <= 3; id++ {
		if counts[id] < 60 {
			t.Errorf("node %d picked %d of 300 times, want roughly 100", id, counts[id])
		}
	}
}

func TestUnknownBalancer(t *testing.T) {
	if _, err := NewBalancer("fastest", nil); !errors.Is(err, ErrUnknownBalancer) {
		t.Errorf("NewBalancer(fastest) error %v, want ErrUnknownBalancer", err)
	}
}
