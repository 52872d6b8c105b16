package history

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
)

// DefaultTimeout is LinearizableConfig.Timeout's default.
const DefaultTimeout = 60 * time.Second

// LinearizableConfig configures Linearizable.
type LinearizableConfig struct {
	// Timeout bounds porcupine's search over all partitions together; the
	// explanation of a failure gets as much again. 0 means DefaultTimeout. A
	// partition not decided in time makes the result unknown, never pass.
	Timeout time.Duration
	// VisualizationPath is where porcupine's HTML page of the failing
	// partition is written when the check fails; "" writes nothing.
	VisualizationPath string
}

// partition is one independently checked part of a history.
type partition struct {
	key   string // "image img-7", "discovery", "discovery user alice"
	image string // the image id of a view partition
	user  string // the user of a discovery projection
	model porcupine.Model
	ops   []porcupine.Operation
	res   porcupine.CheckResult
}

var (
	viewPorcupine      = viewModel.ToModel()
	discoveryPorcupine = discoveryModel.ToModel()
	userPorcupine      = userModel.ToModel()
)

// Linearizable checks with porcupine that the table operations in ops are
// linearizable: views per image, discovery as one table (doc.go gives the
// exact definition). It is a pure function of ops, except that porcupine's
// search is bounded by wall-clock time and a failure writes the
// visualization to cfg.VisualizationPath.
func Linearizable(ops []Op, cfg LinearizableConfig) Result {
	start := time.Now()
	timeout := cmp.Or(cfg.Timeout, DefaultTimeout)
	if err := Validate(ops); err != nil {
		return invalid("linearizable", err)
	}
	parts, counts := split(ops)
	r := Result{Name: "linearizable", Counts: counts}
	checkAll(parts, time.Now().Add(timeout))

	// The whole discovery table is exact but may be too big to decide in time;
	// its projections per user are small, and any of them failing proves the
	// whole table failed (doc.go). They also make smaller evidence.
	explainBy := time.Now().Add(timeout)
	if d := find(parts, "discovery"); d != nil && d.res != porcupine.Ok {
		users := perUser(ops)
		checkAll(users, explainBy)
		parts = append(parts, users...)
	}
	judge(&r, parts)
	if r.Status == StatusFail {
		explainFailure(&r, ops, parts, time.Until(explainBy), cfg.VisualizationPath)
	}
	r.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	return r
}

// split partitions the history: a partition per image for views, one for
// the discovery table. Failed operations never happened and are left out;
// so are unknown operations that cannot change the state (an online() with
// no answer, a view by a user the client knows to be unauthorized).
func split(ops []Op) ([]*partition, map[string]int) {
	counts := map[string]int{"ops": len(ops)}
	images := make(map[string]*partition)
	var keys []string
	disc := &partition{key: "discovery", model: discoveryPorcupine}
	for i := range ops {
		op := &ops[i]
		counts[string(op.Outcome)]++
		switch {
		case op.Outcome == Fail,
			op.Outcome == Unknown && op.Kind == Online,
			op.Outcome == Unknown && op.Kind == View && op.Input.Authorized == AuthDenied:
			counts["left_out"]++
			continue
		case op.Kind != View:
			disc.ops = append(disc.ops, operation(ops, i, ""))
			continue
		}
		p := images[op.Input.Image]
		if p == nil {
			p = &partition{key: "image " + op.Input.Image, image: op.Input.Image, model: viewPorcupine}
			images[op.Input.Image] = p
			keys = append(keys, op.Input.Image)
		}
		p.ops = append(p.ops, operation(ops, i, ""))
	}
	slices.Sort(keys)
	parts := make([]*partition, 0, len(keys)+1)
	for _, k := range keys {
		parts = append(parts, images[k])
	}
	counts["images"] = len(keys)
	if len(disc.ops) > 0 {
		parts = append(parts, disc)
	}
	counts["discovery_ops"] = len(disc.ops)
	return parts, counts
}

// perUser projects the discovery operations on each user that appears in
// them: that user's register and unregister calls and every answered
// online().
func perUser(ops []Op) []*partition {
	byUser := make(map[string]*partition)
	var users []string
	get := func(u string) *partition {
		p := byUser[u]
		if p == nil {
			p = &partition{key: "discovery user " + u, user: u, model: userPorcupine}
			byUser[u] = p
			users = append(users, u)
		}
		return p
	}
	var onlines []int
	for i := range ops {
		op := &ops[i]
		switch {
		case op.Outcome == Fail || op.Kind == View:
		case op.Kind == Online && op.Outcome == OK:
			onlines = append(onlines, i)
			for _, p := range op.Output.Online {
				get(p.User)
			}
		case op.Kind == Register || op.Kind == Unregister:
			get(op.Input.User)
		}
	}
	slices.Sort(users)
	parts := make([]*partition, len(users))
	for k, u := range users {
		p := byUser[u]
		for i := range ops {
			if op := &ops[i]; (op.Kind == Register || op.Kind == Unregister) && op.Input.User == u && op.Outcome != Fail {
				p.ops = append(p.ops, operation(ops, i, u))
			}
		}
		for _, i := range onlines {
			p.ops = append(p.ops, operation(ops, i, u))
		}
		parts[k] = p
	}
	return parts
}

// operation converts ops[i] for porcupine. An unknown operation stays
// pending forever (Return = MaxInt64): it may take effect at any time after
// its call, which is the truth; a finite return would claim it took effect
// by then, or not at all, and give false failures.
func operation(ops []Op, i int, user string) porcupine.Operation {
	op := &ops[i]
	ret := int64(op.Return)
	if op.Outcome == Unknown {
		ret = math.MaxInt64
	}
	meta := fmt.Sprintf("op %d, client %d", i, op.Client)
	if op.Node > 0 {
		meta += fmt.Sprintf(", node %d", op.Node)
	}
	if op.Request != "" {
		meta += ", request " + op.Request
	}
	return porcupine.Operation{
		ClientId: op.Client,
		Input:    &call{op: op, index: i, user: user},
		Call:     int64(op.Call),
		Return:   ret,
		Metadata: meta,
	}
}

// checkAll decides every partition before the deadline, smallest first, on
// as many goroutines as there are CPUs. A partition not decided in time is
// Unknown.
func checkAll(parts []*partition, deadline time.Time) {
	order := make([]*partition, len(parts))
	copy(order, parts)
	slices.SortStableFunc(order, func(a, b *partition) int { return cmp.Compare(len(a.ops), len(b.ops)) })
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(order) {
					return
				}
				p := order[i]
				p.res = porcupine.Unknown
				if left := time.Until(deadline); left > 0 { // never 0: porcupine reads 0 as no limit
					p.res = porcupine.CheckOperationsTimeout(p.model, p.ops, left)
				}
			}
		}()
	}
	wg.Wait()
}

func find(parts []*partition, key string) *partition {
	for _, p := range parts {
		if p.key == key {
			return p
		}
	}
	return nil
}

// judge sets the status and counts: fail if any partition is illegal, else
// unknown if any was not decided, else pass.
func judge(r *Result, parts []*partition) {
	var illegal, undecided []string
	for _, p := range parts {
		switch {
		case p.res == porcupine.Illegal:
			illegal = append(illegal, p.key)
		case p.res == porcupine.Unknown:
			undecided = append(undecided, p.key)
		}
	}
	r.Counts["partitions"] = len(parts)
	r.Counts["illegal_partitions"] = len(illegal)
	r.Counts["undecided_partitions"] = len(undecided)
	n := r.Counts["ops"] - r.Counts["left_out"]
	switch {
	case len(illegal) > 0:
		r.Status = StatusFail
		r.Summary = fmt.Sprintf("not linearizable: %s", listSome(illegal, 3))
		r.Details = append(r.Details, "not linearizable: "+listSome(illegal, MaxViolations))
	case len(undecided) > 0:
		r.Status = StatusUnknown
		r.Summary = fmt.Sprintf("inconclusive: porcupine did not decide %s in time", listSome(undecided, 3))
	default:
		r.Status = StatusPass
		r.Summary = fmt.Sprintf("%d operations linearizable (%d images, %d discovery operations, %d unknown outcomes)",
			n, r.Counts["images"], r.Counts["discovery_ops"], r.Counts[string(Unknown)])
	}
	if len(undecided) > 0 {
		r.Details = append(r.Details, "not decided in time: "+listSome(undecided, MaxViolations))
	}
}

// listSome lists up to n keys and says how many more there are.
func listSome(keys []string, n int) string {
	if len(keys) <= n {
		return strings.Join(keys, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(keys[:n], ", "), len(keys)-n)
}
