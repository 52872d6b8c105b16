package experiment

import (
	"time"

	"stegocloud/cluster"
)

// Experiment is one experiment file (experiments/NAME.yaml) after parsing: what
// cluster to build, which faults to inject, what load to drive and what the
// run must achieve. Field documentation for users lives in FieldDocs (it is
// what `stegocloud run --help` prints); the comments here are for the code.
//
// The zero value is not useful: start from DefaultExperiment, or use Parse or
// Load, which decode over the defaults, then fill the remaining defaults
// (Default) and check everything (Validate).
type Experiment struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Seed        int64    `yaml:"seed"`
	Repeat      int      `yaml:"repeat"`
	Cluster     Cluster  `yaml:"cluster"`
	Faults      Faults   `yaml:"faults"`
	Workload    Workload `yaml:"workload"`
	Expect      Expect   `yaml:"expect"`
	Matrix      Matrix   `yaml:"matrix,omitempty"`
}

// Cluster is the system under study: how many nodes, where they run, and the
// parameters each node is started with.
type Cluster struct {
	Nodes            int           `yaml:"nodes"`
	Launch           string        `yaml:"launch"`          // LaunchLocal, LaunchExternal or LaunchNoop
	Addrs            []string      `yaml:"addrs,omitempty"` // external only: node i+1 listens on Addrs[i]
	Heartbeat        time.Duration `yaml:"heartbeat"`
	SuspectAfter     time.Duration `yaml:"suspect_after"`
	ElectionTimeout  time.Duration `yaml:"election_timeout"`
	ReelectEvery     time.Duration `yaml:"reelect_every"` // 0: no periodic election
	RecoveryElection bool          `yaml:"recovery_election"`
	ElectionMargin   float64       `yaml:"election_margin"`  // hysteresis; 0: the seed's rule
	ElectionBackoff  time.Duration `yaml:"election_backoff"` // damping of contested elections; 0: re-elect at once
	Balancer         string        `yaml:"balancer"`         // one of cluster.Balancers
	Load             LoadModel     `yaml:"load"`
	Service          Service       `yaml:"service"`
	// Proxies puts a fault proxy (harness/netfault) on every link: auto
	// turns them on when the experiment has a network fault.
	Proxies Toggle `yaml:"proxies"`
	TLS     bool   `yaml:"tls"`               // mutual TLS on every connection
	TLSDir  string `yaml:"tls_dir,omitempty"` // external only: credentials made by stegocloud certs

	// Election is who coordinates: cluster.ElectionBully (the seed's) or
	// cluster.ElectionRaft (the etcd-io/raft leader, the table replicated
	// through its log in each node's state directory).
	Election string `yaml:"election"`
}

// Launch modes.
const (
	LaunchLocal    = "local"    // the harness starts the nodes as child processes on 127.0.0.1
	LaunchExternal = "external" // the nodes are already running at cluster.addrs
	// LaunchNoop runs no cluster at all: every request is answered at once by
	// a no-op target, so the run measures the harness itself (load driver,
	// recorder, files) — the "is the harness the bottleneck?" experiment.
	LaunchNoop = "noop"
)

// LoadModel is the seed's load metric: base + per_request × outstanding.
type LoadModel struct {
	Base       float64   `yaml:"base"`
	PerRequest float64   `yaml:"per_request"`
	Bases      []float64 `yaml:"bases,omitempty"` // per-node base, node i+1 = Bases[i]; empty: all Base
}

// Service is the work a node does per request on top of the real stego work.
type Service struct {
	Delay         time.Duration `yaml:"delay"`          // simulated processing time
	MaxConcurrent int           `yaml:"max_concurrent"` // 0: unlimited
}

// Faults describes which failures the harness injects. Either the periodic
// models (kind, every, probability, down for node faults; Network for
// network faults) or an explicit Schedule; with a Schedule the periodic
// models are off and Kind only gives the default kind of entries that name
// none.
type Faults struct {
	Kind        string           `yaml:"kind"`
	Every       time.Duration    `yaml:"every"`
	Probability float64          `yaml:"probability"`
	Down        Span             `yaml:"down"`
	SyncDelay   time.Duration    `yaml:"sync_delay"`
	MinAlive    int              `yaml:"min_alive"`
	Network     NetworkModel     `yaml:"network"`
	Schedule    []ScheduledFault `yaml:"schedule,omitempty"`
}

// Fault kinds: node faults act on one node's process.
const (
	FaultNone   = "none"   // no faults
	FaultSilent = "silent" // the node drops everything it receives and sends nothing
	FaultCrash  = "crash"  // SIGKILL, restarted with the same id and port after the down time
	FaultPause  = "pause"  // SIGSTOP, SIGCONT after the down time
)

// Network fault kinds act on the links between processes, through the fault
// proxies (DESIGN §8).
const (
	FaultPartition = "partition" // groups cut from each other both ways
	FaultBridge    = "bridge"    // two nodes cut from each other, both reach a third
	FaultOneWay    = "one-way"   // from → to held, to → from flows
	FaultLatency   = "latency"   // delay ± jitter (and a bandwidth cap) on peer links
	FaultReset     = "reset"     // the connections of peer links reset at once
)

// NetworkKinds lists the network fault kinds in the order the random model
// draws them.
var NetworkKinds = []string{FaultPartition, FaultBridge, FaultOneWay, FaultLatency, FaultReset}

// IsNetworkKind reports whether kind is a network fault kind.
func IsNetworkKind(kind string) bool {
	switch kind {
	case FaultPartition, FaultBridge, FaultOneWay, FaultLatency, FaultReset:
		return true
	}
	return false
}

// ScheduledFault is one entry of an explicit fault schedule: a node fault
// (Node, Kind silent | crash | pause) or a network fault (Kind partition:
// Groups, Clients; bridge: Nodes, Via; one-way: From, To; latency: Delay,
// Jitter, Bandwidth, Links; reset: Links). validateEntry says which fields
// each kind takes.
type ScheduledFault struct {
	At   time.Duration `yaml:"at"`
	Node NodeSelector  `yaml:"node,omitempty"`
	Kind string        `yaml:"kind,omitempty"` // empty: faults.kind
	For  time.Duration `yaml:"for"`

	Groups    [][]NodeSelector `yaml:"groups,omitempty"`
	Clients   [][]int          `yaml:"clients,omitempty"`
	Nodes     []NodeSelector   `yaml:"nodes,omitempty"`
	Via       NodeSelector     `yaml:"via,omitempty"`
	From      NodeSelector     `yaml:"from,omitempty"`
	To        NodeSelector     `yaml:"to,omitempty"`
	Delay     time.Duration    `yaml:"delay,omitempty"`
	Jitter    time.Duration    `yaml:"jitter,omitempty"`
	Bandwidth Bandwidth        `yaml:"bandwidth,omitempty"`
	Links     Links            `yaml:"links,omitempty"`
}

// NetworkModel is the random model of network faults: at every `every` from
// the load start one draw decides whether a network fault starts, and of
// which kind (Kinds holds each kind's chance per round); it lasts a time
// drawn from For. Rounds that come while a drawn fault is still active are
// skipped, so the model's faults never overlap.
type NetworkModel struct {
	Every  time.Duration  `yaml:"every"`
	Kinds  NetworkChances `yaml:"kinds"`
	For    Span           `yaml:"for"`
	Delay  time.Duration  `yaml:"delay"`  // latency faults
	Jitter time.Duration  `yaml:"jitter"` // latency faults
}

// NetworkChances is each network kind's chance per round, 0..1, summing to
// at most 1.
type NetworkChances struct {
	Partition float64 `yaml:"partition"`
	Bridge    float64 `yaml:"bridge"`
	OneWay    float64 `yaml:"one-way"`
	Latency   float64 `yaml:"latency"`
	Reset     float64 `yaml:"reset"`
}

// Of is kind's chance; 0 for a kind that is not a network kind.
func (c NetworkChances) Of(kind string) float64 {
	switch kind {
	case FaultPartition:
		return c.Partition
	case FaultBridge:
		return c.Bridge
	case FaultOneWay:
		return c.OneWay
	case FaultLatency:
		return c.Latency
	case FaultReset:
		return c.Reset
	}
	return 0
}

// Total is the chance that a round starts a network fault.
func (c NetworkChances) Total() float64 {
	return c.Partition + c.Bridge + c.OneWay + c.Latency + c.Reset
}

// Workload is the load the clients offer. Closed loop: Clients workers each
// send RequestsPerClient requests back to back. Open loop: requests are due on
// the schedule of a vegeta pacer (Rate is the constant-rate shorthand, Pacer
// the general form) for Duration, with at most Clients in flight.
type Workload struct {
	Clients           int           `yaml:"clients"`
	RequestsPerClient int           `yaml:"requests_per_client,omitempty"`
	Rate              Rate          `yaml:"rate,omitempty"`
	Pacer             PacerSpec     `yaml:"pacer,omitempty"`
	Duration          time.Duration `yaml:"duration,omitempty"`
	Timeout           time.Duration `yaml:"timeout"`
	Retries           int           `yaml:"retries"`
	Backoff           time.Duration `yaml:"backoff"`
	MaxDuration       time.Duration `yaml:"max_duration"`
	Image             ImageSpec     `yaml:"image"`
	Images            int           `yaml:"images"`
	Usernames         int           `yaml:"usernames"`
	Quota             int           `yaml:"quota"`
	Key               string        `yaml:"key,omitempty"`
	// ClientGroups splits the clients round-robin into groups 1..K, the
	// client ids a partition's `clients:` places on its sides; with proxies
	// each group reaches the nodes through its own proxies.
	ClientGroups int `yaml:"client_groups"`

	// Mix is each operation's share of the requests (views, discovery);
	// zero, the default: every request is an encrypt.
	Mix Mix `yaml:"mix,omitempty"`
}

// Load modes, as Summary.Mode spells them.
const (
	ModeClosed = "closed"
	ModeOpen   = "open"
)

// PacerSpec is an open-loop arrival schedule, mapped onto vegeta's pacers.
type PacerSpec struct {
	Kind    string        `yaml:"kind"`               // PacerConstant, PacerLinear or PacerSine
	Rate    Rate          `yaml:"rate"`               // constant: the rate; linear: the rate at 0; sine: the mean
	Slope   float64       `yaml:"slope,omitempty"`    // linear: requests/s added per second
	Amp     Rate          `yaml:"amp,omitempty"`      // sine: amplitude
	Period  time.Duration `yaml:"period,omitempty"`   // sine: period
	StartAt string        `yaml:"start_at,omitempty"` // sine: where on the wave the run starts
}

// Pacer kinds.
const (
	PacerConstant = "constant"
	PacerLinear   = "linear"
	PacerSine     = "sine"
)

// ImageSpec says where request images come from: generated (Width × Height,
// seeded) unless Dir is set, in which case the PNG/JPEG files in Dir are used
// and Width and Height are ignored.
type ImageSpec struct {
	Width  int    `yaml:"width"`
	Height int    `yaml:"height"`
	Dir    string `yaml:"dir,omitempty"`
}

// Expect holds the run's pass/fail thresholds as written ("< 1s", ">= 99.9%");
// Thresholds parses them. Empty fields set no threshold. Anomalies names the
// checks the run is expected to fail (AnomalyChecks).
type Expect struct {
	SuccessRate   string `yaml:"success_rate,omitempty"`
	Throughput    string `yaml:"throughput,omitempty"`
	BoundAchieved string `yaml:"bound_achieved,omitempty"`
	Mean          string `yaml:"mean,omitempty"`
	P50           string `yaml:"p50,omitempty"`
	P90           string `yaml:"p90,omitempty"`
	P95           string `yaml:"p95,omitempty"`
	P99           string `yaml:"p99,omitempty"`
	P999          string `yaml:"p999,omitempty"`
	Max           string `yaml:"max,omitempty"`
	Lost          string `yaml:"lost,omitempty"`
	FailoverP50   string `yaml:"failover_p50,omitempty"`
	FailoverMax   string `yaml:"failover_max,omitempty"`

	Anomalies []string `yaml:"anomalies,omitempty"`
	// AnomaliesWhen adds expected anomalies to the variants of a sweep
	// whose matrix sets a field to a value: "cluster.election=bully" →
	// [single_coordinator]. Expand merges them into each variant's
	// Anomalies, so a variant's experiment.yaml carries only its own.
	AnomaliesWhen map[string][]string `yaml:"anomalies_when,omitempty"`
}

// DefaultExperiment returns an experiment with every constant default filled.
// Parse decodes a file over it, so a key that is absent keeps its default and a
// key that is present — even with a zero value such as `retries: 0` — wins.
// The load mode (requests_per_client, rate or pacer) has no default: a file
// must choose one.
func DefaultExperiment() *Experiment {
	node := cluster.DefaultConfig() // the node parameters' defaults live with the node
	return &Experiment{
		Seed:   1,
		Repeat: 1,
		Cluster: Cluster{
			Nodes:            3,
			Launch:           LaunchLocal,
			Heartbeat:        node.Heartbeat,
			SuspectAfter:     node.SuspectAfter,
			ElectionTimeout:  node.ElectionTimeout,
			ReelectEvery:     node.ReelectEvery,
			RecoveryElection: node.RecoveryElection,
			ElectionMargin:   node.ElectionMargin,
			ElectionBackoff:  node.ElectionBackoff,
			Balancer:         node.Balancer,
			Election:         node.Election,
			Load:             LoadModel{Base: node.LoadBase, PerRequest: node.LoadPerRequest},
			Service:          Service{Delay: node.ServiceDelay, MaxConcurrent: node.MaxConcurrent},
		},
		Faults: Faults{
			Kind:        FaultNone,
			Every:       30 * time.Second,
			Probability: 0.2,
			Down:        Span{Min: 10 * time.Second, Max: 20 * time.Second},
			SyncDelay:   node.SyncDelay,
			MinAlive:    1,
			Network: NetworkModel{
				Every: 30 * time.Second,
				For:   Span{Min: 2 * time.Second, Max: 5 * time.Second},
				Delay: 100 * time.Millisecond, Jitter: 50 * time.Millisecond,
			},
		},
		Workload: Workload{
			Clients:      10,
			Timeout:      3 * time.Second,
			Retries:      3,
			Backoff:      100 * time.Millisecond,
			MaxDuration:  30 * time.Minute,
			Image:        ImageSpec{Width: 128, Height: 128},
			Images:       16,
			Usernames:    3,
			Quota:        5,
			ClientGroups: 1,
		},
	}
}

// Mode is ModeOpen when the workload has a rate or a pacer, else ModeClosed.
func (w *Workload) Mode() string {
	if !w.Rate.IsZero() || w.Pacer.Kind != "" {
		return ModeOpen
	}
	return ModeClosed
}

// TotalRequests is the exact number of requests a closed-loop run sends; 0 for
// open loop, whose count follows from the pacer.
func (w *Workload) TotalRequests() uint64 {
	if w.Mode() != ModeClosed {
		return 0
	}
	return uint64(w.Clients) * uint64(w.RequestsPerClient)
}

// RequestBudget is the longest one request may take from its first send to its
// last answer: every attempt timing out, with the backoff doubling before each
// retry (Backoff, 2×Backoff, 4×Backoff, …).
func (w *Workload) RequestBudget() time.Duration {
	attempts := time.Duration(w.Retries + 1)
	backoff := time.Duration(0)
	for i := range w.Retries {
		backoff += w.Backoff << min(i, 20)
	}
	return attempts*w.Timeout + backoff
}

// BaseOf is node id's load base: its override if one is set, else Base.
func (l *LoadModel) BaseOf(id int) float64 {
	if id >= 1 && id <= len(l.Bases) {
		return l.Bases[id-1]
	}
	return l.Base
}
