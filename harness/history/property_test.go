package history

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// Histories generated from the reference table are linearizable and
// quota-safe by construction, whatever the concurrency and however many
// outcomes are lost: the checks must pass every one of them.
func TestPropertyGeneratedHistoriesPass(t *testing.T) {
	configs := []genConfig{
		{ops: 60, images: 2, clients: 4, users: 3, views: 0.7, unregisters: 1.0 / 3, unknown: 0.1, fail: 0.05, quotaMax: 3},
		{ops: 200, images: 5, clients: 20, users: 6, views: 0.8, unregisters: 1.0 / 3, unknown: 0.2, fail: 0.05, quotaMax: 5},
		{ops: 200, images: 1, clients: 8, users: 4, views: 1, unregisters: 1.0 / 3, unknown: 0.3, quotaMax: 8},
		{ops: 150, images: 3, clients: 10, users: 5, views: 0.2, unregisters: 1.0 / 3, unknown: 0.15, fail: 0.1, quotaMax: 2},
	}
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	seen := make(map[string]int)
	for ci, c := range configs {
		c.latency, c.timeout = 5*time.Millisecond, 50*time.Millisecond
		for seed := range seeds {
			rng := rand.New(rand.NewPCG(uint64(ci), uint64(seed)))
			ops := genHistory(rng, c)
			tally(seen, ops)
			if r := Linearizable(ops, testCfg); r.Status != StatusPass {
				t.Fatalf("config %d seed %d: linearizable %s: %s\n%s", ci, seed, r.Status, r.Summary, violationsText(r))
			}
			if r := QuotaSafety(ops); r.Status != StatusPass {
				t.Fatalf("config %d seed %d: quota_safety %s: %s\n%s", ci, seed, r.Status, r.Summary, violationsText(r))
			}
		}
	}
	// The generator must exercise what the checks judge.
	for _, k := range []string{"granted", ReasonQuotaExhausted, ReasonNotAuthorized, "unknown view", "unknown register",
		"unknown unregister", "failed", "online with users", "unregister"} {
		if seen[k] < 10 {
			t.Errorf("generated histories hold %d × %s", seen[k], k)
		}
	}
}

func tally(seen map[string]int, ops []Op) {
	for _, op := range ops {
		switch {
		case op.Outcome == Unknown:
			seen["unknown "+string(op.Kind)]++
		case op.Outcome == Fail:
			seen["failed"]++
		case op.Kind == View && op.Output.Granted:
			seen["granted"]++
		case op.Kind == View:
			seen[op.Output.Reason]++
		case op.Kind == Online && len(op.Output.Online) > 0:
			seen["online with users"]++
		default:
			seen[string(op.Kind)]++
		}
	}
}

// The same histories with one anomaly injected must fail: a view granted
// after an image's views ran out, leaving what an earlier grant left.
func TestPropertyInjectedGrantFails(t *testing.T) {
	c := genConfig{ops: 200, images: 4, clients: 10, users: 4, views: 0.9, unregisters: 1.0 / 3, unknown: 0.1, fail: 0.05, quotaMax: 3,
		latency: 5 * time.Millisecond, timeout: 50 * time.Millisecond}
	tested := 0
	for seed := range 30 {
		rng := rand.New(rand.NewPCG(7, uint64(seed)))
		ops := genHistory(rng, c)
		bad, img, ok := injectLateGrant(ops)
		if !ok {
			continue
		}
		tested++
		r := Linearizable(bad, testCfg)
		if r.Status != StatusFail {
			t.Fatalf("seed %d: linearizable %s after injecting a grant on %s", seed, r.Status, img)
		}
		q := QuotaSafety(bad)
		if q.Status != StatusFail || q.Violations[0].Key != "image "+img {
			t.Fatalf("seed %d: quota_safety %s (%+v) after injecting a grant on %s", seed, q.Status, q.Violations, img)
		}
	}
	if tested < 10 {
		t.Fatalf("only %d histories had an image whose quota ran out", tested)
	}
}

// injectLateGrant finds an image whose answered grants spent its whole
// quota and adds one more grant, called after every other operation on it
// ended, leaving 0.
func injectLateGrant(ops []Op) ([]Op, string, bool) {
	grants := make(map[string]int)
	last := make(map[string]time.Duration)
	for _, op := range ops {
		if op.Kind != View {
			continue
		}
		if op.Outcome == OK && op.Output.Granted {
			grants[op.Input.Image]++
		}
		last[op.Input.Image] = max(last[op.Input.Image], op.Call, op.Return)
	}
	for _, op := range ops {
		if op.Kind == View && grants[op.Input.Image] == op.Input.Quota && op.Input.Quota > 0 {
			extra := op
			extra.Client, extra.Node, extra.Request, extra.Error = 99, 3, "injected", ""
			extra.Input.Authorized = AuthAllowed
			extra.Outcome, extra.Output = OK, Output{Granted: true, Remaining: 0}
			extra.Call, extra.Return = last[op.Input.Image]+time.Millisecond, last[op.Input.Image]+2*time.Millisecond
			return append(append([]Op(nil), ops...), extra), op.Input.Image, true
		}
	}
	return nil, "", false
}

func violationsText(r Result) string {
	s := ""
	for _, v := range r.Violations {
		s += fmt.Sprintf("%s %s: %s\n", v.Kind, v.Key, v.Text)
	}
	return s
}
