package experiment

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
)

// TestNodeConfigMapsEveryField walks cluster.Config by reflection: every
// field is either set from the experiment (and changes when the experiment
// field it comes from changes, and only then), set from the run (ids,
// addresses, the seed, the node's files), or deliberately left to cluster's
// default or to the launcher. A field added to cluster.Config fails this
// test until it is put in one of the three lists.
func TestNodeConfigMapsEveryField(t *testing.T) {
	fromExperiment := map[string]func(e *Experiment){
		"Heartbeat":        func(e *Experiment) { e.Cluster.Heartbeat = 70 * time.Millisecond },
		"SuspectAfter":     func(e *Experiment) { e.Cluster.SuspectAfter = time.Second },
		"ElectionTimeout":  func(e *Experiment) { e.Cluster.ElectionTimeout = 300 * time.Millisecond },
		"ReelectEvery":     func(e *Experiment) { e.Cluster.ReelectEvery = 0 },
		"RecoveryElection": func(e *Experiment) { e.Cluster.RecoveryElection = false },
		"Balancer":         func(e *Experiment) { e.Cluster.Balancer = cluster.BalancerRandom },
		"LoadBase":         func(e *Experiment) { e.Cluster.Load.Base = 0.7 },
		"LoadPerRequest":   func(e *Experiment) { e.Cluster.Load.PerRequest = 0.3 },
		"ServiceDelay":     func(e *Experiment) { e.Cluster.Service.Delay = time.Second },
		"MaxConcurrent":    func(e *Experiment) { e.Cluster.Service.MaxConcurrent = 4 },
		"SyncDelay":        func(e *Experiment) { e.Faults.SyncDelay = time.Second },
		"Key":              func(e *Experiment) { e.Workload.Key = "seal.key" },
		"ElectionMargin":   func(e *Experiment) { e.Cluster.ElectionMargin = 1 },
		"ElectionBackoff":  func(e *Experiment) { e.Cluster.ElectionBackoff = 0 },
		"TLS":              func(e *Experiment) { e.Cluster.TLS = true },
		"Election":         func(e *Experiment) { e.Cluster.Election = cluster.ElectionRaft },
		"MaxClients":       func(e *Experiment) { e.Workload.Clients = 1000 },
	}
	fromRun := []string{"ID", "Listen", "Peers", "Seed", "StateDir"}
	leftToClusterOrLauncher := []string{
		"Events", "StartRecovering", // the launcher sets them per process
		"MaxFrame", "LoadSample", "LogLevel", "HandshakeTimeout", "RequestTTL", // cluster's defaults
		"MaxControl", "ClientIdle", "DedupWindow", // cluster's defaults
	}

	peers := cluster.Peers{1: "127.0.0.1:7001", 2: "127.0.0.1:7002"}
	files := NodeFiles{StateDir: "run/nodes/state-2", TLSDir: "run/tls"}
	base := DefaultExperiment().NodeConfig(2, 9, peers, files)
	if base.ID != 2 || base.Listen != peers[2] || !reflect.DeepEqual(base.Peers, peers) || base.Seed != 9002 || base.StateDir != files.StateDir {
		t.Errorf("NodeConfig(2, 9, peers, files): id %d, listen %q, peers %v, seed %d, state dir %q; want 2, %q, the peers, 9002, %q",
			base.ID, base.Listen, base.Peers, base.Seed, base.StateDir, peers[2], files.StateDir)
	}
	def := cluster.DefaultConfig()
	typ := reflect.TypeFor[cluster.Config]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		mutate, mapped := fromExperiment[name]
		switch {
		case mapped:
			e := DefaultExperiment()
			mutate(e)
			got := e.NodeConfig(2, 9, peers, files)
			for j := range typ.NumField() {
				changed := !reflect.DeepEqual(reflect.ValueOf(got).Field(j).Interface(), reflect.ValueOf(base).Field(j).Interface())
				if other := typ.Field(j).Name; changed != (other == name) {
					t.Errorf("changing the experiment field behind %s: %s changed = %v", name, other, changed)
				}
			}
			if !reflect.DeepEqual(reflect.ValueOf(base).Field(i).Interface(), reflect.ValueOf(def).Field(i).Interface()) {
				t.Errorf("%s: the default experiment gives %v, cluster.DefaultConfig %v: the default is not cluster's",
					name, reflect.ValueOf(base).Field(i), reflect.ValueOf(def).Field(i))
			}
		case slices.Contains(fromRun, name):
		case slices.Contains(leftToClusterOrLauncher, name):
			if !reflect.DeepEqual(reflect.ValueOf(base).Field(i).Interface(), reflect.ValueOf(def).Field(i).Interface()) {
				t.Errorf("%s is left to cluster but NodeConfig sets it to %v", name, reflect.ValueOf(base).Field(i))
			}
		default:
			t.Errorf("cluster.Config.%s is neither set from the experiment, from the run, nor deliberately left to cluster: map it in NodeConfig or list it here", name)
		}
	}
}

// TestNodeParametersFollowCluster: a node parameter is invalid exactly when
// cluster.Config.Validate says so, and the error names the experiment field.
func TestNodeParametersFollowCluster(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"cluster: {heartbeat: 0s}", "x.yaml:2: cluster.heartbeat: must be positive"},
		{"cluster: {suspect_after: 50ms}", "x.yaml:2: cluster.suspect_after: must exceed heartbeat"},
		{"cluster: {election_timeout: 0s}", "x.yaml:2: cluster.election_timeout: must be positive"},
		{"cluster: {reelect_every: -1s}", "x.yaml:2: cluster.reelect_every: must not be negative"},
		{"cluster: {balancer: fastest}", `x.yaml:2: cluster.balancer: "fastest" is not one of`},
		{"cluster: {load: {base: -1}}", "x.yaml:2: cluster.load.base: must be a finite number ≥ 0"},
		{"cluster: {load: {per_request: -1}}", "x.yaml:2: cluster.load.per_request: must be a finite number ≥ 0"},
		{"cluster: {load: {bases: [0.5, -2, 0.5]}}", "x.yaml:2: cluster.load.bases[1]: must be a finite number ≥ 0"},
		{"cluster: {service: {delay: -1s}}", "x.yaml:2: cluster.service.delay: must not be negative"},
		{"cluster: {service: {max_concurrent: -1}}", "x.yaml:2: cluster.service.max_concurrent: must not be negative"},
		{"faults: {sync_delay: -1s}", "x.yaml:2: faults.sync_delay: must not be negative"},
		{"cluster: {election_margin: -0.5}", "x.yaml:2: cluster.election_margin: must be a finite number ≥ 0"},
		{"cluster: {election_margin: .nan}", "x.yaml:2: cluster.election_margin: must be a finite number ≥ 0"},
		{"cluster: {election_backoff: -1s}", "x.yaml:2: cluster.election_backoff: must not be negative"},
		{"cluster: {election_backoff: 5}", "x.yaml:2: cluster.election_backoff: 5 is a bare number"},
		{"cluster: {election: paxos}", `x.yaml:2: cluster.election: "paxos" is not bully or raft`},
	}
	for _, tc := range tests {
		_, err := Parse("x.yaml", []byte("workload: {requests_per_client: 10}\n"+tc.yaml+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.yaml, err, tc.want)
		}
	}
	for _, b := range cluster.Balancers {
		if _, err := Parse("x.yaml", []byte("workload: {requests_per_client: 10}\ncluster: {balancer: "+b+"}\n")); err != nil {
			t.Errorf("balancer %s, one of cluster.Balancers: %v", b, err)
		}
	}
}

// TestNodeConfigRunFiles: the run's files land where the node reads them,
// TLS only when the experiment asks for it, and the client cap follows the
// load's connection count, never below cluster's own.
func TestNodeConfigRunFiles(t *testing.T) {
	peers := cluster.Peers{1: "127.0.0.1:7001"}
	files := NodeFiles{StateDir: "r/nodes/state-1", TLSDir: "r/tls"}
	e := DefaultExperiment()
	if c := e.NodeConfig(1, 1, peers, files); c.TLS != "" || c.StateDir != files.StateDir {
		t.Errorf("tls off: TLS %q, StateDir %q; want \"\", %q", c.TLS, c.StateDir, files.StateDir)
	}
	e.Cluster.TLS = true
	if c := e.NodeConfig(1, 1, peers, files); c.TLS != files.TLSDir {
		t.Errorf("tls on: TLS %q, want %q", c.TLS, files.TLSDir)
	}
	def := cluster.DefaultConfig().MaxClients
	for _, tc := range []struct{ clients, want int }{{1, def}, {def / ClientHeadroom, def}, {1000, 1000 * ClientHeadroom}} {
		e.Workload.Clients = tc.clients
		if got := e.NodeConfig(1, 1, peers, files).MaxClients; got != tc.want {
			t.Errorf("%d clients: MaxClients %d, want %d", tc.clients, got, tc.want)
		}
	}
}

// TestTLSFields: TLS needs nodes, an external cluster needs the user's
// credentials, and tls_dir means nothing elsewhere; each named with its line.
func TestTLSFields(t *testing.T) {
	ext := "cluster:\n  launch: external\n  nodes: 1\n  addrs: ['127.0.0.1:9']\n"
	tests := []struct{ yaml, want string }{
		{"cluster:\n  launch: noop\n  tls: true\n", "x.yaml:4: cluster.tls: launch: noop runs no nodes"},
		{"cluster:\n  tls_dir: certs\n  tls: true\n", "x.yaml:3: cluster.tls_dir: only used with launch: external"},
		{ext + "  tls_dir: certs\n", "x.yaml:6: cluster.tls_dir: given without tls: true"},
		{ext + "  tls: true\n", "x.yaml:2: cluster.tls_dir: launch: external with tls needs"},
		{"cluster:\n  tls: maybe\n", "x.yaml:3: cluster.tls:"},
	}
	for _, tc := range tests {
		_, err := Parse("x.yaml", []byte("workload: {requests_per_client: 10}\n"+tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.yaml, err, tc.want)
		}
	}
	for _, ok := range []string{
		"cluster: {tls: true}\n",
		ext + "  tls: true\n  tls_dir: certs\n",
		"cluster: {tls: false}\nmatrix: {cluster.tls: [false, true]}\n",
	} {
		if _, err := Parse("x.yaml", []byte("workload: {requests_per_client: 10}\n"+ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
