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
// addresses, the seed), or deliberately left to cluster's default or to the
// launcher. A field added to cluster.Config fails this test until it is put
// in one of the three lists.
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
	}
	fromRun := []string{"ID", "Listen", "Peers", "Seed"}
	leftToClusterOrLauncher := []string{
		"Events", "StartRecovering", // the launcher sets them per process
		"MaxFrame", "LoadSample", "LogLevel", "HandshakeTimeout", "RequestTTL", // cluster's defaults
		"MaxControl", "ClientIdle", // cluster's defaults
		// PENDING (issue 12, harness side): not yet mapped; the integration maps them and empties this line.
		"ElectionMargin", "ElectionBackoff", "StateDir", "TLS", "MaxClients",
	}

	peers := cluster.Peers{1: "127.0.0.1:7001", 2: "127.0.0.1:7002"}
	base := DefaultExperiment().NodeConfig(2, 9, peers)
	if base.ID != 2 || base.Listen != peers[2] || !reflect.DeepEqual(base.Peers, peers) || base.Seed != 9002 {
		t.Errorf("NodeConfig(2, 9, peers): id %d, listen %q, peers %v, seed %d; want 2, %q, the peers, 9002",
			base.ID, base.Listen, base.Peers, base.Seed, peers[2])
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
			got := e.NodeConfig(2, 9, peers)
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
