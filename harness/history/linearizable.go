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
// linearizable: views per image, the discovery table both per user and as a
// whole (doc.go gives the exact definition). It is a pure function of ops,
// except that porcupine's search is bounded by wall-clock time and a failure
// writes the visualization to cfg.VisualizationPath.
func Linearizable(ops []Op, cfg LinearizableConfig) Result {
	start := time.Now()
	timeout := cmp.Or(cfg.Timeout, DefaultTimeout)
	if err := Validate(ops); err != nil {
		return invalid("linearizable", err)
	}
	counts := map[string]int{"ops": len(ops)}
	for i := range ops {
		counts[string(ops[i].Outcome)]++
	}
	parts := append(viewPartitions(ops, counts), discoveryPartitions(ops, counts)...)
	r := Result{Name: "linearizable", Counts: counts}
	checkAll(parts, time.Now().Add(timeout))
	judge(&r, parts)
	if r.Status == StatusFail {
		explainFailure(&r, ops, parts, timeout, cfg.VisualizationPath)
	}
	r.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	return r
}

// viewPartitions makes a partition per image. Failed views never happened
// and are left out; so are unknown views by a user the client knows to be
// unauthorized, which cannot change anything; other unknown views are
// simplified where that changes no verdict (resolveViews).
func viewPartitions(ops []Op, counts map[string]int) []*partition {
	images := make(map[string]*partition)
	var keys []string
	var idx []int
	for i := range ops {
		op := &ops[i]
		if op.Kind != View {
			continue
		}
		counts["views"]++
		if op.Outcome == Fail || op.Outcome == Unknown && op.Input.Authorized == AuthDenied {
			counts["left_out"]++
			continue
		}
		idx = append(idx, i)
	}
	u := resolveViews(ops, idx)
	u.count(counts)
	for _, i := range u.keep {
		op := &ops[i]
		p := images[op.Input.Image]
		if p == nil {
			p = &partition{key: "image " + op.Input.Image, image: op.Input.Image, model: viewPorcupine}
			images[op.Input.Image] = p
			keys = append(keys, op.Input.Image)
		}
		p.ops = append(p.ops, u.operation(ops, i, ""))
	}
	slices.Sort(keys)
	parts := make([]*partition, len(keys))
	for k, key := range keys {
		parts[k] = images[key]
		rankUnknown(parts[k].ops)
	}
	counts["images"] = len(keys)
	return parts
}

// rankUnknown numbers a view partition's unknown views in call order (then
// history order) for the view model.
func rankUnknown(part []porcupine.Operation) {
	var unknown []*call
	for _, o := range part {
		if c := o.Input.(*call); c.op.Outcome == Unknown {
			unknown = append(unknown, c)
		}
	}
	slices.SortStableFunc(unknown, func(a, b *call) int { return cmp.Compare(a.op.Call, b.op.Call) })
	for i, c := range unknown {
		c.rank = i
	}
}

// operation converts op (ops[i], or a resolved copy) for porcupine. An
// unknown operation stays pending forever (Return = MaxInt64): it may take
// effect at any time after its call, which is the truth; a finite return
// would claim it took effect by then, or not at all, and give false
// failures — unless horizon (≥ 0) is a time after which taking effect is the
// same as not taking effect (unknown.go).
func operation(op *Op, i int, user string, horizon time.Duration) porcupine.Operation {
	ret := int64(op.Return)
	switch {
	case op.Outcome == Unknown && horizon >= 0:
		ret = int64(horizon)
	case op.Outcome == Unknown:
		ret = math.MaxInt64
	}
	meta := fmt.Sprintf("op %d, client %d", i, op.Client)
	if op.Node > 0 {
		meta += fmt.Sprintf(", node %d", op.Node)
	}
	if op.Request != "" {
		meta += ", request " + op.Request
	}
	c := &call{op: op, index: i, user: user}
	if op.Kind == Online && op.Outcome == OK && user == "" {
		c.online = newTable(op.Output.Online)
	}
	return porcupine.Operation{
		ClientId: op.Client,
		Input:    c,
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
	switch {
	case len(illegal) > 0:
		r.Status = StatusFail
		r.Summary = fmt.Sprintf("not linearizable: %s", listSome(illegal, 3))
		r.Details = append(r.Details, "not linearizable: "+listSome(illegal, MaxViolations))
	case len(undecided) == 1 && undecided[0] == "discovery":
		r.Status = StatusUnknown
		r.Summary = "inconclusive: views and each user's discovery entry are linearizable, " +
			"but porcupine did not decide in time whether online() answers are snapshots of one table"
	case len(undecided) > 0:
		r.Status = StatusUnknown
		r.Summary = fmt.Sprintf("inconclusive: porcupine did not decide %s in time", listSome(undecided, 3))
	default:
		r.Status = StatusPass
		r.Summary = fmt.Sprintf("linearizable: %d views of %d images, %d discovery operations (%d outcomes unknown)",
			r.Counts["views"], r.Counts["images"], r.Counts["discovery_ops"], r.Counts[string(Unknown)])
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
