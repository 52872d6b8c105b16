package cluster_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"stegocloud/cluster"
	"stegocloud/internal/nodecmd/nodetest"
	"stegocloud/internal/pki"
	"strings"
	"syscall"
	"testing"
	"time"
)

// procCluster runs nodes as real processes on 127.0.0.1: the test binary
// re-executed into Main (see TestMain).
type procCluster struct {
	t     testing.TB
	dir   string
	peers cluster.Peers
	cfgs  map[int]cluster.Config
	procs map[int]*exec.Cmd
	exits map[int]chan error
	lives map[int]int // incarnation per node, for separate event files
	ctl   cluster.Control
	tls   string           // credentials directory when the nodes run mutual TLS
	ctls  *pki.Credentials // the client identity's, with tls
	env   []string         // extra environment of the node processes
}

func newProcCluster(t testing.TB, n int, tweak func(*cluster.Config)) *procCluster {
	if testing.Short() {
		t.Skip("end-to-end test with real processes")
	}
	pc := &procCluster{t: t, dir: t.TempDir(), peers: cluster.Peers{}, cfgs: map[int]cluster.Config{},
		procs: map[int]*exec.Cmd{}, exits: map[int]chan error{}, lives: map[int]int{}}
	for i, addr := range cluster.FreePorts(t, n) {
		pc.peers[i+1] = addr
	}
	for id := 1; id <= n; id++ {
		cfg := cluster.DefaultConfig()
		cfg.ID, cfg.Peers = id, pc.peers
		cfg.SyncDelay = 100 * time.Millisecond
		cfg.LogLevel = "warn"
		if tweak != nil {
			tweak(&cfg)
		}
		pc.cfgs[id] = cfg
	}
	t.Cleanup(pc.stopAll)
	return pc
}

// useTLS makes the cluster run mutual TLS: credentials for every node, the
// test's clients and its control calls, in pc.tls.
func (pc *procCluster) useTLS() {
	pc.t.Helper()
	pc.tls = filepath.Join(pc.dir, "tls")
	if _, err := pki.Generate(pc.tls, pki.Options{Nodes: len(pc.peers)}); err != nil {
		pc.t.Fatal(err)
	}
	for id, cfg := range pc.cfgs {
		cfg.TLS = pc.tls
		pc.cfgs[id] = cfg
	}
	pc.ctl.TLS = pc.creds(pki.Control(""))
	pc.ctls = pc.creds(pki.Client(""))
}

// creds loads an identity's credentials from pc.tls.
func (pc *procCluster) creds(id pki.Identity) *pki.Credentials {
	pc.t.Helper()
	c, err := pki.Load(pc.tls, id)
	if err != nil {
		pc.t.Fatal(err)
	}
	return c
}

// start launches node id; a restart after a crash starts in Recovering.
func (pc *procCluster) start(id int) {
	pc.t.Helper()
	pc.lives[id]++
	cfg := pc.cfgs[id]
	cfg.Events = filepath.Join(pc.dir, fmt.Sprintf("events-%d-%d.jsonl", id, pc.lives[id]))
	cfg.StartRecovering = pc.lives[id] > 1
	logf, err := os.OpenFile(filepath.Join(pc.dir, fmt.Sprintf("node-%d.log", id)), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		pc.t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], cfg.Args()...)
	cmd.Env = append(append(os.Environ(), nodetest.Env+"=1"), pc.env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		pc.t.Fatalf("starting node %d: %v", id, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); logf.Close() }()
	pc.procs[id], pc.exits[id] = cmd, done
}

func (pc *procCluster) startAll() {
	for _, id := range pc.peers.IDs() {
		pc.start(id)
	}
}

func (pc *procCluster) running(id int) bool { return pc.procs[id] != nil }

// kill SIGKILLs node id and reaps it.
func (pc *procCluster) kill(id int) {
	pc.procs[id].Process.Kill()
	<-pc.exits[id]
	delete(pc.procs, id)
}

func (pc *procCluster) signal(id int, sig syscall.Signal) {
	if err := pc.procs[id].Process.Signal(sig); err != nil {
		pc.t.Fatalf("signal %v to node %d: %v", sig, id, err)
	}
}

// stopAll asks every node to shut down (flushing events), killing any that
// does not within 5s.
func (pc *procCluster) stopAll() {
	for id, cmd := range pc.procs {
		cmd.Process.Signal(syscall.SIGCONT)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := pc.ctl.Shutdown(ctx, pc.peers[id])
		cancel()
		select {
		case <-pc.exits[id]:
		case <-time.After(5 * time.Second):
			pc.t.Errorf("node %d did not stop within 5s of shutdown (%v); killing it", id, err)
			cmd.Process.Kill()
			<-pc.exits[id]
		}
		delete(pc.procs, id)
	}
	if pc.t.Failed() {
		for _, id := range pc.peers.IDs() {
			b, _ := os.ReadFile(filepath.Join(pc.dir, fmt.Sprintf("node-%d.log", id)))
			pc.t.Logf("node %d log (tail):\n%s", id, tail(b, 60000))
		}
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func (pc *procCluster) status(id int) (cluster.NodeStatus, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return pc.ctl.Status(ctx, pc.peers[id])
}

// statuses asks every running node; nodes that do not answer are left out.
func (pc *procCluster) statuses() map[int]cluster.NodeStatus {
	out := map[int]cluster.NodeStatus{}
	for id := range pc.procs {
		if st, err := pc.status(id); err == nil {
			out[id] = st
		}
	}
	return out
}

// waitAgree polls until every running node answers, is Active (unless
// allowed otherwise) and follows the same running coordinator.
func (pc *procCluster) waitAgree(within time.Duration, exclude ...int) int {
	pc.t.Helper()
	deadline := time.Now().Add(within)
	var last map[int]cluster.NodeStatus
	for time.Now().Before(deadline) {
		last = pc.statuses()
		want := 0
		for id := range pc.procs {
			if !slices.Contains(exclude, id) {
				want++
			}
		}
		ok := true
		for id, st := range last {
			if slices.Contains(exclude, id) {
				delete(last, id)
			} else if st.State != cluster.StateActive {
				ok = false
			}
		}
		ok = ok && len(last) == want
		if c, agree := cluster.Agreement(last); ok && agree && pc.running(c) && !slices.Contains(exclude, c) {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
	for id, cmd := range pc.procs {
		if _, ok := last[id]; !ok && !slices.Contains(exclude, id) {
			cmd.Process.Signal(syscall.SIGQUIT) // a stack dump of the node that did not answer
			<-pc.exits[id]
			delete(pc.procs, id)
			pc.t.Logf("node %d did not answer; its goroutines are in its log", id)
		}
	}
	pc.t.Fatalf("no agreement within %v: %+v", within, last)
	return 0
}

// events reads every event file written so far, merged by time, after
// waiting out the nodes' 100ms flush period.
func (pc *procCluster) events() []cluster.Event {
	pc.t.Helper()
	time.Sleep(250 * time.Millisecond)
	files, _ := filepath.Glob(filepath.Join(pc.dir, "events-*.jsonl"))
	var all []cluster.Event
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			pc.t.Fatal(err)
		}
		if _, err := cluster.ReadEvents(bytes.NewReader(b), func(e cluster.Event) error { all = append(all, e); return nil }); err != nil {
			pc.t.Fatalf("%s: %v", f, err)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time < all[j].Time })
	return all
}

// checkOneCoordinatorPerEpoch is the harness's safety check: every
// coordinator event of an epoch names the same node (one naming none, 0:
// a raft node that knows no leader, names nobody, as in harness/analyze).
func checkOneCoordinatorPerEpoch(t testing.TB, evs []cluster.Event) int {
	t.Helper()
	seen := map[uint64]int{}
	for _, e := range evs {
		if e.Type != cluster.EvCoordinator || e.Coordinator == 0 {
			continue
		}
		if c, ok := seen[e.Epoch]; ok && c != e.Coordinator {
			t.Errorf("epoch %d has two coordinators: %d and %d (event from node %d)", e.Epoch, c, e.Coordinator, e.Node)
		}
		seen[e.Epoch] = e.Coordinator
	}
	return len(seen)
}

// agreedAt replays coordinator events after t0 and returns the first time
// every node in live follows one and the same coordinator that is not dead.
func agreedAt(evs []cluster.Event, t0 time.Time, live []int, dead int) (time.Time, int, bool) {
	cur := map[int]cluster.Event{}
	for _, e := range evs {
		if e.Type != cluster.EvCoordinator || !slices.Contains(live, e.Node) {
			continue
		}
		if prev, ok := cur[e.Node]; !ok || e.Epoch > prev.Epoch {
			cur[e.Node] = e
		}
		if e.Time < t0.UnixNano() {
			continue
		}
		first, all := cur[live[0]], true
		for _, id := range live {
			c, ok := cur[id]
			all = all && ok && c.Epoch == first.Epoch && c.Coordinator == first.Coordinator && c.Time >= t0.UnixNano()
		}
		if all && first.Coordinator != dead {
			return time.Unix(0, e.Time), first.Coordinator, true
		}
	}
	return time.Time{}, 0, false
}

// percentile of a sorted sample, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func others(ids []int, not int) []int {
	var out []int
	for _, id := range ids {
		if id != not {
			out = append(out, id)
		}
	}
	return out
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}
