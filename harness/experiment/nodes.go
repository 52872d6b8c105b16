package experiment

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"stegocloud/cluster"
)

// Node parameters have one source of truth, the cluster package: their
// defaults (cluster.DefaultConfig, in DefaultExperiment), the balancer names
// (cluster.Balancers) and the rules a valid node configuration follows
// (cluster.Config.Validate). The experiment only maps its fields onto a
// node's configuration (NodeConfig) and reports cluster's verdict under the
// experiment field it concerns.

// NodeFiles are where a run keeps a node's files. The harness chooses them
// per run; they are not experiment fields, and NodeConfig only puts them in
// place.
type NodeFiles struct {
	// StateDir holds the node's persistent state (its highest epoch): one
	// directory per node, the same across its restarts; "" keeps none.
	StateDir string
	// TLSDir holds the run's credentials (pki.Generate's layout); used only
	// when cluster.tls is set.
	TLSDir string
}

// ClientHeadroom is how many client connections a node accepts per
// simulated client: the load opens one connection per client to every
// node, and after a fault a client may redial before the node has noticed
// that the old connection is gone.
const ClientHeadroom = 2

// NodeConfig is the configuration of node id in experiment e:
// cluster.DefaultConfig with every node parameter the experiment sets, for
// the cluster peers (node id listens on peers[id]), with the run's files.
// seed is the run's seed; each node draws from its own seed derived from it.
// Which cluster.Config fields the experiment sets, which the run sets, and
// which it leaves to cluster or to the launcher, is pinned by
// TestNodeConfigMapsEveryField.
func (e *Experiment) NodeConfig(id int, seed int64, peers cluster.Peers, files NodeFiles) cluster.Config {
	c := cluster.DefaultConfig()
	cl := e.Cluster
	c.ID, c.Peers, c.Listen = id, peers, peers[id]
	c.Heartbeat, c.SuspectAfter, c.ElectionTimeout = cl.Heartbeat, cl.SuspectAfter, cl.ElectionTimeout
	c.ReelectEvery, c.RecoveryElection, c.Balancer = cl.ReelectEvery, cl.RecoveryElection, cl.Balancer
	c.ElectionMargin, c.ElectionBackoff = cl.ElectionMargin, cl.ElectionBackoff
	c.Election = cl.Election
	c.LoadBase, c.LoadPerRequest = cl.Load.BaseOf(id), cl.Load.PerRequest
	c.ServiceDelay, c.MaxConcurrent = cl.Service.Delay, cl.Service.MaxConcurrent
	c.SyncDelay = e.Faults.SyncDelay
	c.Key = e.Workload.Key
	// cluster's cap is the floor: a small workload keeps the node's default.
	c.MaxClients = max(c.MaxClients, ClientHeadroom*e.Workload.Clients)
	c.StateDir = files.StateDir
	if cl.TLS {
		c.TLS = files.TLSDir
	}
	c.Seed = seed*1000 + int64(id)
	return c
}

// nodeFieldPaths names the experiment field behind each node flag that
// cluster.Config.Validate may complain about; the others are the harness's
// own business (ids, addresses, event files, the cluster's defaults).
var nodeFieldPaths = map[string]string{
	"heartbeat":        "cluster.heartbeat",
	"suspect-after":    "cluster.suspect_after",
	"election-timeout": "cluster.election_timeout",
	"reelect-every":    "cluster.reelect_every",
	"election-margin":  "cluster.election_margin",
	"election-backoff": "cluster.election_backoff",
	"balancer":         "cluster.balancer",
	"election":         "cluster.election",
	"load-base":        "cluster.load.base",
	"load-per-request": "cluster.load.per_request",
	"service-delay":    "cluster.service.delay",
	"max-concurrent":   "cluster.service.max_concurrent",
	"sync-delay":       "faults.sync_delay",
	"max-clients":      "workload.clients",
}

// validateNodes checks every node's configuration by cluster's rules and
// reports each problem once, under the experiment field it comes from.
func (e *Experiment) validateNodes(fe *fieldErrors) {
	n := e.Cluster.Nodes
	if n < 1 || n > maxNodes {
		n = 1 // cluster.nodes is reported on its own; check the shared parameters
	}
	peers := cluster.Peers{}
	for id := 1; id <= n; id++ {
		peers[id] = "127.0.0.1:" + strconv.Itoa(7000+id)
	}
	var seen []string
	for id := 1; id <= n; id++ {
		// The run gives every node a state directory (raft needs one).
		err := e.NodeConfig(id, e.Seed, peers, NodeFiles{StateDir: "state"}).Validate()
		if err == nil {
			continue
		}
		path, msg := nodeProblem(err)
		if path == "cluster.load.base" && len(e.Cluster.Load.Bases) > 0 {
			path = "cluster.load.bases[" + strconv.Itoa(id-1) + "]"
		}
		if !slices.Contains(seen, path) {
			seen = append(seen, path)
			fe.addf(path, "%s", msg)
		}
	}
}

// nodeProblem splits cluster's "invalid configuration: FLAG: MESSAGE" into
// the experiment field behind FLAG and the message.
func nodeProblem(err error) (path, msg string) {
	rest := strings.TrimPrefix(err.Error(), cluster.ErrConfig.Error()+": ")
	flag, msg, ok := strings.Cut(rest, ": ")
	if !errors.Is(err, cluster.ErrConfig) || !ok {
		return "cluster", err.Error()
	}
	if path, ok := nodeFieldPaths[flag]; ok {
		return path, msg
	}
	return "cluster", flag + ": " + msg
}
