package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/internal/pki"
)

// TestRunTLS runs a short experiment with cluster.tls: true on real node
// processes: a silent fault on the coordinator (resolved by status and
// injected by fail, both control calls over TLS) and a crash and restart.
// While it runs, a plaintext status call is refused and one with the run's
// control certificate answered, which proves the nodes really speak TLS.
// Afterwards the run passes and every node's only refusal is that probe:
// the harness's own connections (load, control, peers) were all accepted.
func TestRunTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	path := filepath.Join(t.TempDir(), "tlsrun.yaml")
	writeFile(t, path, `
name: tlsrun
cluster: {nodes: 3, tls: true}
faults:
  schedule:
    - {at: 1500ms, node: coordinator, kind: silent, for: 1s}
    - {at: 3s, node: 2, kind: crash, for: 1s}
workload:
  clients: 4
  rate: 40/s
  duration: 5s
  timeout: 2s
  retries: 5
  max_duration: 1m
  image: {width: 32, height: 32}
  images: 2
expect:
  success_rate: "== 100%"
`)
	opts := testRunOptions(t)
	opts.NoFigures = true
	probed := make(chan error, 1)
	go func() { probed <- probeTLSNodes(filepath.Join(opts.Results, "tlsrun"), 3) }()
	out, err := RunExperiment(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("RunExperiment(tlsrun): %v", err)
	}
	assertNoChildren(t)
	if err := <-probed; err != nil {
		t.Fatalf("probing the nodes during the run: %v", err)
	}
	r := out.Runs[0]
	if s := r.Summary; !s.Verdict.Pass || s.Faults.Injected != 2 {
		t.Errorf("verdict %+v, faults %+v; want a pass with both faults injected", s.Verdict, s.Faults)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, DirTLS, "node-3.pem")); err != nil {
		t.Errorf("the run's certificates: %v", err)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, DirTLS, pki.CAKeyFile)); !os.IsNotExist(err) {
		t.Errorf("the run's CA key is still on disk (%v): anyone could add a party to the cluster", err)
	}
	for id := 1; id <= 3; id++ {
		refusals, refused := nodeRefusals(t, nodeEventsPath(r.Dir, id))
		if len(refusals) != 1 || !strings.Contains(refusals[0], "tls") || refused != 0 {
			t.Errorf("node %d: protocol errors %q, refused.connections %d; want only the plaintext probe's", id, refusals, refused)
		}
	}
}

// probeTLSNodes waits for want nodes of the one run under root to log their
// listen address, then checks each refuses a plaintext control call and
// answers one with the run's control certificate.
func probeTLSNodes(root string, want int) error {
	listen := regexp.MustCompile(`msg="node started" .*listen=(\S+)`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		// Not root/*/: root/latest points at the same run.
		logs, _ := filepath.Glob(filepath.Join(root, "[0-9]*", "nodes", "*.log"))
		var addrs []string
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			if m := listen.FindSubmatch(b); m != nil {
				addrs = append(addrs, string(m[1]))
			}
		}
		if len(addrs) == want {
			runDir := filepath.Dir(filepath.Dir(logs[0]))
			creds, err := pki.LoadControl(filepath.Join(runDir, DirTLS))
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			for _, a := range addrs {
				if _, err := cluster.Status(ctx, a); err == nil {
					return errors.New(a + ": a plaintext status call was answered")
				}
				if _, err := (cluster.Control{TLS: creds}).Status(ctx, a); err != nil {
					return fmt.Errorf("%s: status with the run's control certificate: %w", a, err)
				}
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d nodes logged their address within 20s", len(addrs), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// nodeRefusals reads node id's event file in runDir: the reasons of its
// protocol_error events and the largest refused.connections counter. A
// handshake that timed out (a starved machine: the node's 2 s handshake
// timeout) is not a refusal of the harness's credentials and is left out,
// so that a busy CI machine cannot fail the test.
func nodeRefusals(t *testing.T, eventsPath string) (reasons []string, refused int64) {
	t.Helper()
	for _, e := range readEvents(t, eventsPath) {
		if e.Type == cluster.EvProtocolError && !strings.Contains(e.Reason, "i/o timeout") {
			reasons = append(reasons, e.Reason)
		}
		refused = max(refused, e.Counters["refused.connections"])
	}
	return reasons, refused
}

// nodeEventsPath is node id's raw event file in runDir.
func nodeEventsPath(runDir string, id int) string {
	return filepath.Join(runDir, "nodes", strconv.Itoa(id)+".events.jsonl")
}

// readEvents reads a node's raw event file.
func readEvents(t *testing.T, path string) []cluster.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []cluster.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e cluster.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRunStateDirPersistsEpoch crashes the only node of a one-node cluster
// and restarts it: with no peer to sync from, only its state directory
// (nodes/state-1, the same across the restart) tells it which epochs it has
// used. Its first election after the restart must be above every epoch it
// used before the crash; without the state directory it decides epoch 257
// again (issue 12, defect 6).
func TestRunStateDirPersistsEpoch(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	path := filepath.Join(t.TempDir(), "restart.yaml")
	writeFile(t, path, `
name: restart
cluster: {nodes: 1}
faults:
  min_alive: 0
  schedule: [{at: 1s, node: 1, kind: crash, for: 1s}]
workload:
  clients: 2
  rate: 10/s
  duration: 4s
  timeout: 1s
  retries: 5
  max_duration: 1m
  image: {width: 32, height: 32}
  images: 1
`)
	opts := testRunOptions(t)
	opts.NoFigures = true
	out, err := RunExperiment(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("RunExperiment(restart): %v", err)
	}
	assertNoChildren(t)
	dir := out.Runs[0].Dir
	if _, err := os.Stat(filepath.Join(dir, "nodes", "state-1", "node-1.state.json")); err != nil {
		t.Errorf("node 1's persistent state: %v", err)
	}
	before, after, starts := epochsAroundRestart(readEvents(t, nodeEventsPath(dir, 1)))
	if starts != 2 || before == 0 || after == 0 {
		t.Fatalf("node 1: %d starts, highest epoch before the restart %d, first election after %d; want 2 starts and an election on each side", starts, before, after)
	}
	if after <= before {
		t.Errorf("node 1 elected epoch %d after its restart, not above the %d it had used before: the persisted epoch was not used", after, before)
	}
}

// epochsAroundRestart splits a node's events at its second start: the
// highest epoch any event carried before, and the epoch of its first
// election after.
func epochsAroundRestart(events []cluster.Event) (before, after uint64, starts int) {
	for _, e := range events {
		switch {
		case e.Type == cluster.EvStart:
			starts++
		case starts == 1:
			before = max(before, e.Epoch)
		case starts == 2 && e.Type == cluster.EvElectionStart && after == 0:
			after = e.Epoch
		}
	}
	return before, after, starts
}

// TestRunExternalTLS runs against nodes the test started itself with
// credentials made as `stegocloud certs` makes them (cluster.tls_dir): the
// harness's status and fail calls and its load all go through them.
func TestRunExternalTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	certs := filepath.Join(t.TempDir(), "certs")
	if _, err := pki.Generate(certs, pki.Options{Nodes: 2}); err != nil {
		t.Fatal(err)
	}
	addrs, err := FreePorts(2)
	if err != nil {
		t.Fatal(err)
	}
	peers := cluster.Peers{1: addrs[0], 2: addrs[1]}
	var cfgs []cluster.Config
	for id := 1; id <= 2; id++ {
		c := cluster.DefaultConfig()
		c.ID, c.Peers, c.TLS = id, peers, certs
		cfgs = append(cfgs, c)
	}
	opts := testRunOptions(t)
	opts.NoFigures = true
	procs, err := NewProcesses(opts.NodeCommand, opts.NodeEnv, t.TempDir(), cfgs, cluster.NewEventLog(io.Discard, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer procs.Close(5*time.Second, 0)
	if err := procs.StartAll(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ext.yaml")
	writeFile(t, path, `
name: ext
cluster:
  launch: external
  nodes: 2
  addrs: [`+addrs[0]+`, `+addrs[1]+`]
  tls: true
  tls_dir: `+certs+`
faults:
  schedule: [{at: 1s, node: 2, kind: silent, for: 1s}]
workload:
  clients: 2
  rate: 20/s
  duration: 3s
  retries: 5
  max_duration: 1m
  image: {width: 32, height: 32}
  images: 1
expect:
  success_rate: "== 100%"
`)
	out, err := RunExperiment(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("RunExperiment(ext): %v", err)
	}
	if s := out.Runs[0].Summary; s.Faults.Injected != 1 || s.Requests.OK == 0 {
		t.Errorf("faults %+v, requests %+v; want the silent fault injected over TLS and requests served", s.Faults, s.Requests)
	}
	procs.Close(5*time.Second, 0)
	for id := 1; id <= 2; id++ {
		if refusals, refused := nodeRefusals(t, procs.EventsPath(id)); len(refusals) != 0 || refused != 0 {
			t.Errorf("node %d: protocol errors %q, refused.connections %d; want none", id, refusals, refused)
		}
	}
}

// TestSetupTLSRefusesMissingCredentials: an external cluster's tls_dir
// without the client and control certificates is an error before any
// connection is made, naming what is missing.
func TestSetupTLSRefusesMissingCredentials(t *testing.T) {
	e := experiment.DefaultExperiment()
	e.Cluster.Launch, e.Cluster.TLS, e.Cluster.TLSDir = experiment.LaunchExternal, true, t.TempDir()
	_, err := setupTLS(e, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "cluster.tls") || !strings.Contains(err.Error(), pki.CAFile) {
		t.Errorf("setupTLS with an empty tls_dir: %v, want an error naming cluster.tls and %s", err, pki.CAFile)
	}
	e.Cluster.TLS = false
	if sec, err := setupTLS(e, t.TempDir()); sec != nil || err != nil {
		t.Errorf("setupTLS without tls: %v, %v; want nothing", sec, err)
	}
}
