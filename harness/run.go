package harness

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/check"
	"stegocloud/harness/compare"
	"stegocloud/harness/experiment"
	"stegocloud/harness/fault"
	"stegocloud/harness/load"
	"stegocloud/harness/record"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
	"stegocloud/stego"
)

// RunOptions configure RunExperiment.
type RunOptions struct {
	Results string // results root; default "results"
	// NodeCommand is the argv prefix that runs one node (`stegocloud node`);
	// default: this executable with "node".
	NodeCommand  []string
	NodeEnv      []string  // extra environment of node processes
	Progress     io.Writer // live progress (a bar on a terminal); nil: none
	ProgressMode ProgressMode
	Log          io.Writer // one line per step of the run; nil: none
	Command      []string  // argv recorded in run.json
	NoFigures    bool      // skip figures (faster tests)

	// NodeEnvOf is extra environment of one node's processes, by id (tests:
	// one misbehaving node, see nodetest.MutateEnv).
	NodeEnvOf map[int][]string
}

// RunOutcome is what RunExperiment did.
type RunOutcome struct {
	Root string      // results/NAME/YYYYMMDD-HHMMSS
	Runs []RunRecord // every run, in run order
	Pass bool        // every run's verdict passed
}

// RunRecord is one run of an experiment (one variant, one repeat).
type RunRecord struct {
	Dir     string
	Label   string
	Repeat  int
	Summary *rundir.Summary
}

// RunExperiment runs every variant and repeat of the experiment file at path
// and writes results/NAME/YYYYMMDD-HHMMSS/: a single run's files directly, or
// rep-N/ subdirectories for repeats, or one subdirectory per matrix variant
// (each a single run or a repeat set) plus sweep.json and sweep.md.
// results/NAME/latest moves to it only once it is complete — every run's
// summary.json (and a sweep's sweep.json) written, nothing interrupted — so
// a run that was interrupted, failed to finish or was killed never hides the
// last complete one.
func RunExperiment(ctx context.Context, path string, opts RunOptions) (*RunOutcome, error) {
	e, err := experiment.Load(path)
	if err != nil {
		return nil, err
	}
	variants, err := experiment.Expand(e)
	if err != nil {
		return nil, err
	}
	if opts.Results == "" {
		opts.Results = "results"
	}
	if len(opts.NodeCommand) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("finding the node binary: %w", err)
		}
		opts.NodeCommand = []string{exe, "node"}
	}
	log := &runLog{w: opts.Log}
	root, err := rundir.NewRoot(opts.Results, e.Name, time.Now())
	if err != nil {
		return nil, err
	}
	out := &RunOutcome{Root: root, Pass: true}
	for i, v := range variants {
		dir := root
		if v.Label != "" {
			dir = filepath.Join(dir, v.Label)
		}
		if e.Repeat > 1 {
			dir = filepath.Join(dir, "rep-"+strconv.Itoa(v.Repeat))
		}
		log.printf("run %d of %d: %s", i+1, len(variants), describeVariant(v))
		s, err := runOne(ctx, v, dir, opts, log)
		if err != nil {
			return out, fmt.Errorf("%s: %w", dir, err)
		}
		out.Runs = append(out.Runs, RunRecord{Dir: dir, Label: v.Label, Repeat: v.Repeat, Summary: s})
		out.Pass = out.Pass && s.Verdict.Pass
		log.printf("%s: %s", dir, verdictLine(s))
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	if len(e.Matrix) > 0 {
		idx, err := rundir.SweepIndexFor(e, variants)
		if err != nil {
			return out, err
		}
		if err := rundir.SaveSweepIndex(root, idx); err != nil {
			return out, err
		}
		sw, err := compare.WriteSweep(root)
		if err != nil {
			return out, err
		}
		for _, w := range sw.Warnings {
			log.printf("sweep: %s", w)
		}
	}
	if err := rundir.PointLatest(root); err != nil {
		return out, err
	}
	if !out.Pass {
		return out, ErrVerdict
	}
	return out, nil
}

func describeVariant(v experiment.Variant) string {
	s := v.Experiment.Name
	if v.Label != "" {
		s += " [" + v.Label + "]"
	}
	return s + fmt.Sprintf(" repeat %d, seed %d", v.Repeat, v.Seed)
}

func verdictLine(s *rundir.Summary) string {
	v := "PASS"
	var found []string
	for _, c := range s.Verdict.Checks {
		if c.Expected && !c.Pass {
			found = append(found, c.Name)
		}
	}
	if !s.Verdict.Pass {
		v = "FAIL"
		for _, c := range s.Verdict.Checks {
			switch {
			case c.AsExpected():
			case c.Expected:
				v += "; " + c.Name + ": expected anomaly not found (" + c.Detail + ")"
			default:
				v += "; " + c.Name + ": " + c.Detail
			}
		}
	}
	if len(found) > 0 {
		v += " (expected anomalies found: " + strings.Join(found, ", ") + ")"
	}
	return s.Headline() + " — " + v
}

// runOne runs one variant into dir and returns its summary.
func runOne(ctx context.Context, v experiment.Variant, dir string, opts RunOptions, log *runLog) (*rundir.Summary, error) {
	e := v.Experiment
	nodesDir := filepath.Join(dir, rundir.DirNodes)
	if err := os.MkdirAll(nodesDir, 0o755); err != nil {
		return nil, err
	}
	yml, err := e.YAML()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, rundir.FileExperiment), yml, 0o644); err != nil {
		return nil, err
	}
	info := rundir.NewInfo(e.Name, filepath.Base(dir), opts.Command, v.Seed, v.Repeat)
	info.Started = time.Now()
	if err := rundir.WriteJSON(filepath.Join(dir, rundir.FileRunInfo), info); err != nil {
		return nil, err
	}

	pool, err := load.ImagesFor(e, v.Seed)
	if err != nil {
		return nil, err
	}
	planned, err := fault.Schedule(e, fault.Horizon(e), v.Seed)
	if err != nil {
		return nil, err
	}
	if err := saveSchedule(filepath.Join(dir, rundir.FileSchedule), planned); err != nil {
		return nil, err
	}

	hf, err := os.Create(filepath.Join(nodesDir, rundir.FileHarnessEvents))
	if err != nil {
		return nil, err
	}
	defer hf.Close()
	r := &run{e: e, seed: v.Seed, dir: dir, opts: opts, log: log, pool: pool, planned: planned,
		events: cluster.NewEventLog(hf, nil), nodes: &nodeSet{addrs: cluster.Peers{}}}
	if e.Cluster.Launch != experiment.LaunchNoop {
		sec, err := setupTLS(e, dir)
		if err != nil {
			return nil, err
		}
		if r.nodes, err = startNodes(ctx, e, v.Seed, nodesDir, sec, opts, r.events, log); err != nil {
			return nil, err
		}
	}
	defer r.nodes.closeNetwork() // after the nodes have stopped (defers run last first)
	defer r.stopNodes(0)

	if err := r.drive(ctx); err != nil {
		return nil, err
	}
	s, events, err := r.summarize()
	if err != nil {
		return nil, err
	}
	info.Ended = time.Now()
	if err := rundir.WriteJSON(filepath.Join(dir, rundir.FileRunInfo), info); err != nil {
		return nil, err
	}
	if _, err := report.RunDigested(dir, !opts.NoFigures, events); err != nil {
		return s, fmt.Errorf("writing the report: %w", err)
	}
	return s, nil
}

// run is one run of an experiment — one variant, one repeat — as it goes:
// what runOne gives it and starts for it, then what drive records, which
// summarize turns into the run's files.
type run struct {
	e       *experiment.Experiment
	seed    int64
	dir     string
	opts    RunOptions
	log     *runLog
	pool    *load.ImagePool
	planned []fault.Fault     // the schedule as planned
	events  *cluster.EventLog // the harness's own events (nodes/harness.events.jsonl)
	nodes   *nodeSet
	stopped bool // the nodes were stopped

	// Recorded by drive.
	start       time.Time // the load start
	rec         *record.Recorder
	stats       load.Stats
	executed    []fault.Fault // the schedule as executed
	final       map[int]cluster.NodeStatus
	clients     cluster.ClientStats
	bound       time.Duration // the agreement bound
	interrupted error         // the context's cause when the run was interrupted, else nil
	leftDown    []fault.Fault // faults in progress at the interruption: their nodes stayed down
	proxies     *rundir.ProxySummary

	table     *tableTarget  // workload.mix with table operations: the load's target
	tableHist *tableHistory // and its history.jsonl
}

// stopNodes stops the node processes once, the coordinator last.
func (r *run) stopNodes(coordinator int) {
	if !r.stopped && r.nodes.procs != nil {
		r.stopped = true
		r.nodes.procs.Close(5*time.Second, coordinator)
	}
}

func saveSchedule(path string, faults []fault.Fault) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fault.WriteSchedule(f, faults); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// startNodes launches the local cluster (or addresses the external one) and
// waits until every node is Active and they agree on a coordinator.
func startNodes(ctx context.Context, e *experiment.Experiment, seed int64, nodesDir string, sec *runTLS, opts RunOptions, hev *cluster.EventLog, log *runLog) (*nodeSet, error) {
	ns := &nodeSet{addrs: cluster.Peers{}, tls: sec, ctl: sec.controller()}
	if e.Cluster.Launch == experiment.LaunchExternal {
		for i, a := range e.Cluster.Addrs {
			ns.addrs[i+1] = a
		}
	} else if err := ns.launch(e, seed, nodesDir, sec, opts, hev, log); err != nil {
		ns.closeNetwork()
		return nil, err
	}
	coord, err := ns.waitAgreed(ctx, len(ns.addrs), 15*time.Second)
	if err != nil {
		if ns.procs != nil {
			ns.procs.Close(2*time.Second, 0)
		}
		ns.closeNetwork()
		return nil, fmt.Errorf("starting the cluster: %w (node logs: %s)", err, nodesDir)
	}
	log.printf("cluster ready: %d nodes, coordinator node %d", len(ns.addrs), coord)
	return ns, nil
}

// launch starts the local nodes on free ports, through fault proxies when
// the experiment has them.
func (ns *nodeSet) launch(e *experiment.Experiment, seed int64, nodesDir string, sec *runTLS, opts RunOptions, hev *cluster.EventLog, log *runLog) error {
	// The nodes' ports stay bound while the proxies pick theirs, so that
	// no proxy is given a port a node is about to listen on.
	addrs, release, err := holdFreePorts(e.Cluster.Nodes)
	if err != nil {
		return err
	}
	for i, a := range addrs {
		ns.addrs[i+1] = a
	}
	how := ""
	if e.Proxied() {
		ns.net, err = newNetwork(e, seed, ns.addrs)
		how = ", every peer link through a fault proxy (clients direct: no fault places them)"
		if clientLinks(e) {
			how = fmt.Sprintf(", every link through a fault proxy (%d client groups)", e.Workload.ClientGroups)
		}
	}
	release()
	if err != nil {
		return err
	}
	var cfgs []cluster.Config
	for id := 1; id <= e.Cluster.Nodes; id++ {
		peers, err := ns.peersOf(id)
		if err != nil {
			return err
		}
		cfgs = append(cfgs, e.NodeConfig(id, seed, peers, nodeFiles(nodesDir, id, sec)))
	}
	procs, err := NewProcesses(opts.NodeCommand, opts.NodeEnv, nodesDir, cfgs, hev)
	if err != nil {
		return err
	}
	procs.EnvOf = opts.NodeEnvOf
	ns.procs = procs
	log.printf("starting %d nodes on %v%s", e.Cluster.Nodes, ns.addrs, how)
	if err := procs.StartAll(); err != nil {
		procs.Close(2*time.Second, 0)
		return err
	}
	return nil
}

// drive runs the load and the fault schedule against the nodes, lets the
// cluster settle, reads every node's final status and stops the cluster,
// recording all of it in r; summarize writes it out.
func (r *run) drive(ctx context.Context) error {
	target, clients, err := newRunTarget(r.e, r.nodes)
	if err != nil {
		return err
	}
	if clients != nil {
		defer clients.Close()
	}
	if target, err = r.wrapTable(target, clients); err != nil {
		return err
	}
	defer r.closeTable() // on an early return; after the load it is closed already
	csvf, err := os.Create(filepath.Join(r.dir, rundir.FileRequestsCSV))
	if err != nil {
		return err
	}
	defer csvf.Close()
	csvw := bufio.NewWriterSize(csvf, 256<<10)
	gobf, err := os.Create(filepath.Join(r.dir, rundir.FileResultsGob))
	if err != nil {
		return err
	}
	defer gobf.Close()

	plan := load.PlanFor(r.e)
	r.start = time.Now()
	if r.table != nil {
		r.table.start = r.start
	}
	if r.rec, err = record.New(recorderConfig(r.e, plan, r.start, r.planned, csvw)); err != nil {
		return err
	}
	var prog *Progress
	if r.opts.Progress != nil {
		prog = NewProgress(ProgressConfig{Out: r.opts.Progress, Mode: r.opts.ProgressMode,
			Total: plan.Requests, Duration: plan.Duration})
		// Log lines written under a live bar would be erased by its redraw.
		defer r.log.redirect(prog.Above(r.opts.Log))()
	}
	drv := &load.Driver{Plan: plan, Target: target, Source: r.pool, Results: gobf,
		OnResult: func(res load.Result) {
			r.rec.Add(res)
			if prog != nil {
				prog.Add(res)
			}
		}}
	loadErr := r.runLoad(ctx, drv, prog)
	if err := r.closeTable(); err != nil && loadErr == nil {
		loadErr = err
	}
	r.settle(ctx, clients)
	if err := r.events.Flush(); err != nil {
		return err
	}
	if loadErr != nil {
		return loadErr
	}
	if err := csvw.Flush(); err != nil {
		return err
	}
	if err := saveSchedule(filepath.Join(r.dir, rundir.FileSchedule), r.executed); err != nil {
		return err
	}
	if ctx.Err() != nil {
		r.interrupted = context.Cause(ctx)
	}
	return nil
}

// runLoad runs drv with the fault schedule beside it: no new fault starts
// once the load has ended, faults in progress run to their end, and Ctrl-C
// (ctx) ends them at once, leaving their nodes down.
func (r *run) runLoad(ctx context.Context, drv *load.Driver, prog *Progress) error {
	loadDone, endLoad := context.WithCancel(ctx)
	defer endLoad()
	exec := &faultExecutor{act: r.nodes, events: r.events, start: r.start, nodes: r.e.Cluster.Nodes, logf: r.log.printf}
	faultsDone := make(chan struct{})
	go func() {
		defer close(faultsDone)
		exec.run(loadDone, ctx, r.planned)
	}()

	r.events.Emit(cluster.Event{Type: cluster.EvLoadStart, Time: r.start.UnixNano()})
	stats, loadErr := drv.Run(ctx)
	r.events.Emit(cluster.Event{Type: cluster.EvLoadStop})
	if prog != nil {
		prog.Close(loadErr == nil && stats.Stopped == load.StopComplete)
	}
	endLoad()
	r.log.printf("load ended (%s): %d requests in %v; waiting for faults in progress to end", stats.Stopped, stats.Requests, time.Since(r.start).Round(time.Millisecond))
	<-faultsDone
	r.stats, r.executed, r.leftDown = stats, exec.result(), exec.stillDown()
	return loadErr
}

// settle gives the cluster the agreement bound to settle after the load,
// reads every node's final status and stops the nodes, the coordinator last.
func (r *run) settle(ctx context.Context, clients *clusterTarget) {
	e, ns := r.e, r.nodes
	r.bound = check.AgreementBound(e.Cluster.SuspectAfter, e.Faults.SyncDelay, e.Cluster.ElectionTimeout)
	if ctx.Err() == nil && len(ns.addrs) > 0 {
		if _, err := ns.waitAgreed(ctx, len(ns.addrs), r.bound+2*time.Second); err != nil {
			r.log.printf("after the load: %v", err)
		}
	}
	r.final = ns.statuses(context.Background(), time.Second)
	coord, _ := check.AgreedCoordinator(r.final)
	if ns.net != nil {
		// Before the shutdown: its redials to stopped nodes are not the run's.
		r.proxies = proxySummary(ns.net.Stats())
	}
	r.stopNodes(coord)
	if clients != nil {
		r.clients = clients.Stats()
		// No node runs any more: every late answer has arrived.
		for _, l := range clients.late.Requests() {
			r.rec.AddLate(l)
		}
	}
}

// newRunTarget is what the load is sent to: one cluster client per simulated
// client (clients is nil for launch: noop, whose target answers at once).
func newRunTarget(e *experiment.Experiment, ns *nodeSet) (t load.Target, clients *clusterTarget, err error) {
	if e.Cluster.Launch == experiment.LaunchNoop {
		return load.NopTarget{}, nil, nil
	}
	var key []byte
	if e.Workload.Key != "" {
		if key, err = stego.LoadKey(e.Workload.Key); err != nil {
			return nil, nil, err
		}
	}
	clients, err = newClusterTarget(e.Workload.Clients, cluster.ClientConfig{
		Timeout: e.Workload.Timeout, Retries: e.Workload.Retries,
		Backoff: e.Workload.Backoff, Key: key, TLS: ns.tls.clientCredentials(),
	}, ns.clientNodes)
	if err != nil {
		return nil, nil, err
	}
	return clients, clients, nil
}

// recorderConfig records a run of e that starts at start. The closed-loop
// throughput bound (clients / service time) applies only with a service delay.
func recorderConfig(e *experiment.Experiment, plan load.Plan, start time.Time, planned []fault.Fault, csv io.Writer) record.Config {
	c := record.Config{Start: start, Nodes: e.Cluster.Nodes, Faults: fault.Injected(planned),
		MaxLatency: plan.RequestTimeout, Expected: int(plan.Requests), CSV: csv}
	if plan.Mode() == experiment.ModeClosed && e.Cluster.Service.Delay > 0 {
		c.Clients, c.ServiceTime = e.Workload.Clients, e.Cluster.Service.Delay
	}
	return c
}

// runLog prints the run's progress lines ("15:04:05 fault: node 2 crash for
// 2s"); while a progress bar is drawn they go above it.
type runLog struct {
	mu sync.Mutex
	w  io.Writer // nil: quiet
}

func (l *runLog) printf(format string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w != nil {
		fmt.Fprintf(l.w, time.Now().Format("15:04:05 ")+format+"\n", a...)
	}
}

// redirect sends lines to w until the returned function restores the writer.
func (l *runLog) redirect(w io.Writer) (restore func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.w
	if old == nil {
		return func() {}
	}
	l.w = w
	return func() {
		l.mu.Lock()
		l.w = old
		l.mu.Unlock()
	}
}
