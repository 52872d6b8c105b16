package harness

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"stegocloud/cluster"
	"stegocloud/cluster/client"
	"stegocloud/harness/check"
	"stegocloud/harness/experiment"
	"stegocloud/harness/history"
	"stegocloud/harness/load"
	"stegocloud/harness/rundir"
)

// tableTarget serves a workload mix: each request's operation is drawn
// from workload.mix (seeded by its sequence number); encrypts go through the
// cluster target and make their image viewable; views, register, unregister
// and online() go to the table through the same clients, are verified, and
// are recorded in history.jsonl with their call and return on the harness's
// clock (since the load start).
type tableTarget struct {
	enc     *clusterTarget
	picker  load.OpPicker
	catalog *load.Catalog
	start   time.Time // the load start; set before the load runs

	invalid atomic.Int64 // answers VerifyView or VerifyOnline rejected

	mu      sync.Mutex
	hist    *history.Writer
	err     error // the first operation the history refused (an answer it cannot hold)
	refused int   // how many it refused
}

func newTableTarget(enc *clusterTarget, e *experiment.Experiment, seed int64, hist *history.Writer) *tableTarget {
	return &tableTarget{enc: enc, picker: load.NewOpPicker(e.Workload.Mix, seed), catalog: &load.Catalog{}, hist: hist}
}

// Do runs request req's operation. A view drawn before any image is
// viewable (or while every image has its most views in flight) is sent as
// an encrypt instead, which makes one viewable.
func (t *tableTarget) Do(ctx context.Context, req *load.Request) load.Response {
	r := t.picker.Rand(req.Seq)
	switch op := t.picker.Pick(r); op {
	case experiment.OpView:
		if img, ok := t.catalog.Acquire(r); ok {
			return t.view(ctx, req, r, &img)
		}
	case experiment.OpRegister, experiment.OpUnregister, experiment.OpOnline:
		return t.discovery(ctx, req, r, op)
	}
	return t.encrypt(ctx, req)
}

func (t *tableTarget) encrypt(ctx context.Context, req *load.Request) load.Response {
	cl := t.enc.clients[req.Client%len(t.enc.clients)]
	rep, err := cl.Encrypt(ctx, req.Image, req.Meta)
	if err == nil {
		t.catalog.Add(load.ViewImage{ID: rep.Meta.ID, Image: rep.Image, Users: rep.Meta.Usernames, Quota: rep.Meta.Quota})
	}
	return t.enc.response(rep, err)
}

func (t *tableTarget) view(ctx context.Context, req *load.Request, r *rand.Rand, img *load.ViewImage) load.Response {
	user, authorized := load.ViewUser(r, img)
	cl := t.enc.clients[req.Client%len(t.enc.clients)]
	op := history.Op{Client: req.Client, Kind: history.View,
		Input: history.Input{Image: img.ID, User: user, Quota: img.Quota, Authorized: history.AuthDenied}}
	if authorized {
		op.Input.Authorized = history.AuthAllowed
	}
	op.Call = time.Since(t.start)
	v, err := cl.View(ctx, img.Image, user)
	op.Return = time.Since(t.start)
	t.catalog.Release(img.ID, err == nil, v.Remaining)
	op.Output = history.Output{Granted: v.Granted, Remaining: v.Remaining, Reason: v.Reason}
	var verr error
	if err == nil {
		verr = load.VerifyView(img, authorized, v.Granted, v.Remaining, v.Reason)
	}
	return t.finish(&op, v.Outcome, err, verr, len(img.Image))
}

func (t *tableTarget) discovery(ctx context.Context, req *load.Request, r *rand.Rand, kind string) load.Response {
	cl := t.enc.clients[req.Client%len(t.enc.clients)]
	op := history.Op{Client: req.Client, Kind: history.Kind(kind)}
	var out cluster.Outcome
	var err, verr error
	op.Call = time.Since(t.start)
	switch kind {
	case experiment.OpRegister:
		op.Input = history.Input{User: load.DiscoveryUser(r), Addr: load.DiscoveryAddr(req.Seq)}
		var res cluster.ChangeResult
		res, err = cl.Register(ctx, op.Input.User, op.Input.Addr)
		out = res.Outcome
	case experiment.OpUnregister:
		op.Input = history.Input{User: load.DiscoveryUser(r)}
		var res cluster.ChangeResult
		res, err = cl.Unregister(ctx, op.Input.User)
		out = res.Outcome
	default:
		var res cluster.OnlineResult
		res, err = cl.Online(ctx)
		out = res.Outcome
		op.Output.Online = make([]history.Peer, len(res.Peers))
		for i, p := range res.Peers {
			op.Output.Online[i] = history.Peer{User: p.User, Addr: p.Addr}
		}
		if err == nil {
			verr = load.VerifyOnline(op.Output.Online)
		}
	}
	op.Return = time.Since(t.start)
	return t.finish(&op, out, err, verr, 0)
}

// finish records op in the history and says how the request went: answered
// (and, if verr, inconsistent), certainly not applied (history: fail), or
// not known (history: unknown).
func (t *tableTarget) finish(op *history.Op, out cluster.Outcome, err, verr error, bytesOut int) load.Response {
	resp := load.Response{ID: out.ID, Node: out.Node, Attempts: out.Attempts, BytesOut: max(bytesOut, 1)}
	op.Request, op.Node = out.ID, out.Node
	switch {
	case err == nil:
		op.Outcome, op.Applier, op.Epoch = history.OK, out.Applier, out.Epoch
		resp.Outcome, resp.Verified = load.OK, verr == nil
		if verr != nil {
			t.invalid.Add(1)
			resp.Invalid, resp.InvalidFrom = 1, []int{out.Node}
		}
	case client.NotApplied(err):
		op.Outcome, op.Output, op.Error = history.Fail, history.Output{}, err.Error()
		resp.Outcome, resp.Reason = load.Failed, err.Error()
	default:
		op.Outcome, op.Output, op.Return, op.Error = history.Unknown, history.Output{}, 0, err.Error()
		resp.Outcome, resp.Reason = load.Failed, err.Error()
		if errors.Is(err, cluster.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
			resp.Outcome = load.TimedOut
		}
	}
	if op.Request == "" {
		op.Node = 0 // not sent: no id, no node
	}
	t.record(op)
	return resp
}

func (t *tableTarget) record(op *history.Op) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.hist.Add(*op); err != nil {
		t.refused++
		if t.err == nil {
			t.err = fmt.Errorf("recording %s: %w", rundir.FileHistory, err)
		}
	}
}

// tableHistory is a run's history.jsonl while the load runs.
type tableHistory struct {
	f *os.File
	w *history.Writer
}

func createHistory(dir string) (*tableHistory, error) {
	f, err := os.Create(filepath.Join(dir, rundir.FileHistory))
	if err != nil {
		return nil, err
	}
	return &tableHistory{f: f, w: history.NewWriter(f)}, nil
}

func (h *tableHistory) Close() error {
	err := h.w.Close()
	if cerr := h.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkTable reads the run's history.jsonl back (as any later reader
// would) and judges it.
func checkTable(dir string) ([]rundir.Check, *rundir.TableSummary, error) {
	f, err := os.Open(filepath.Join(dir, rundir.FileHistory))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	ops, err := history.ReadAll(f)
	if err != nil {
		return nil, nil, err
	}
	checks, sum := check.TableChecks(ops, check.TableConfig{Dir: dir})
	return checks, sum, nil
}

// wrapTable wraps the load's target in a tableTarget when the
// experiment's mix has table operations, and opens history.jsonl; otherwise
// it returns target as it is.
func (r *run) wrapTable(target load.Target, clients *clusterTarget) (load.Target, error) {
	if !r.e.Workload.Mix.TableOps() || clients == nil {
		return target, nil
	}
	h, err := createHistory(r.dir)
	if err != nil {
		return nil, err
	}
	r.tableHist, r.table = h, newTableTarget(clients, r.e, r.seed, h.w)
	return r.table, nil
}

// closeTable flushes history.jsonl once the load has ended.
func (r *run) closeTable() error {
	if r.tableHist == nil {
		return nil
	}
	err := r.tableHist.Close()
	r.tableHist = nil
	return err
}

// judgeTable runs the table checks when the run made table operations and
// puts their counts and cost in s.Table.
func (r *run) judgeTable(s *rundir.Summary) ([]rundir.Check, error) {
	if r.table == nil {
		return nil, nil
	}
	checks, sum, err := checkTable(r.dir)
	if err != nil {
		return nil, err
	}
	sum.Invalid = int(r.table.invalid.Load())
	s.Table = sum
	if n := r.table.refused; n > 0 {
		// An op missing from the history could hide an anomaly: the checks
		// cannot pass on what is left.
		for i := range checks {
			checks[i].Pass = false
			checks[i].Detail = fmt.Sprintf("history incomplete: %d operations could not be recorded (%v); %s", n, r.table.err, checks[i].Detail)
		}
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d table operations could not be recorded in %s: %v", n, rundir.FileHistory, r.table.err))
	}
	r.log.printf("table: %d operations, %d views granted; linearizable %s in %.0f ms, quota_safety %s",
		sum.Ops, sum.Granted, passWord(checks[0].Pass), sum.LinearizableMS, passWord(checks[1].Pass))
	return checks, nil
}

func passWord(pass bool) string {
	if pass {
		return "passed"
	}
	return "FAILED"
}
