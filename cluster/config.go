package cluster

import (
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"strconv"
	"time"

	"stegocloud/cluster/table"
)

// Config is everything a node needs. Zero is not useful: start from
// DefaultConfig. Durations are wall-clock time.
type Config struct {
	ID     int    // this node's id, 1..255 (epochs keep 8 bits for it)
	Listen string // host:port to accept connections on; empty = Peers[ID]
	Peers  Peers  // every node of the cluster by id; may include this node

	Events string // JSON-lines event file, appended to; empty = no events

	Heartbeat        time.Duration // period of heartbeats to every peer
	SuspectAfter     time.Duration // a peer silent this long is suspected
	ElectionTimeout  time.Duration // an initiator decides with the replies it has after this long
	ReelectEvery     time.Duration // the coordinator re-runs the election this often; 0 = never
	RecoveryElection bool          // a node finishing recovery starts an election
	ElectionMargin   float64       // a challenger's load must be lower than the sitting coordinator's by more than this to take over; 0 = the seed's rule (lowest load wins)
	ElectionBackoff  time.Duration // cap of the randomised backoff before re-electing against a decision naming a coordinator this node cannot hear; 0 = re-elect at once
	Balancer         string        // how the coordinator picks a server: one of Balancers
	Election         string        // who coordinates: ElectionBully (the seed's load-based Bully) or ElectionRaft (the Raft leader; needs StateDir)

	LoadBase       float64 // load of an idle node
	LoadPerRequest float64 // load added per outstanding request

	ServiceDelay  time.Duration // simulated processing time added to every request
	SyncDelay     time.Duration // time spent in Recovering after the state was fetched
	MaxConcurrent int           // requests served at once; 0 = unlimited
	MaxFrame      int           // largest accepted frame in bytes, after the length prefix

	StartRecovering  bool          // start in Recovering (a restarted crashed node)
	StateDir         string        // directory of the node's persistent state (highest epoch); empty = none, see HardState
	Key              string        // file with the seal key passed to stego; empty = unsealed
	Seed             int64         // seeds the random balancer and election jitter
	LoadSample       time.Duration // period of load events
	LogLevel         string        // debug, info, warn or error
	HandshakeTimeout time.Duration // a connection must complete TLS and send its hello frame within this
	RequestTTL       time.Duration // an unfinished request is forgotten after this; done ids are remembered this long

	DedupWindow int // table ops whose results the table remembers for retries; every node must use the same value

	TLS        string        // directory of credentials ('stegocloud certs'): mutual TLS, plaintext refused; empty = plaintext
	MaxClients int           // client connections at once; more are refused
	MaxControl int           // control connections at once; more are refused
	ClientIdle time.Duration // a client or control connection silent this long, with nothing being served for it, is closed
}

// DefaultConfig returns the seed's settings (DESIGN §3) for node 1 with no peers.
func DefaultConfig() Config {
	return Config{
		ID:               1,
		Peers:            Peers{},
		Heartbeat:        50 * time.Millisecond,
		SuspectAfter:     200 * time.Millisecond,
		ElectionTimeout:  100 * time.Millisecond,
		ReelectEvery:     15 * time.Second,
		RecoveryElection: true,
		ElectionBackoff:  5 * time.Second,
		Balancer:         BalancerLowestLoad,
		Election:         ElectionBully,
		LoadBase:         0.5,
		LoadPerRequest:   0.1,
		SyncDelay:        500 * time.Millisecond,
		MaxFrame:         64 << 20,
		Seed:             1,
		LoadSample:       250 * time.Millisecond,
		LogLevel:         "info",
		HandshakeTimeout: 2 * time.Second,
		RequestTTL:       30 * time.Second,
		MaxClients:       256,
		MaxControl:       16,
		ClientIdle:       time.Minute,
		DedupWindow:      table.DefaultDedupWindow,
	}
}

// ListenAddr is Listen, or this node's entry in Peers when Listen is empty.
func (c Config) ListenAddr() string {
	if c.Listen != "" {
		return c.Listen
	}
	return c.Peers[c.ID]
}

// Others returns the ids of the other nodes in increasing order.
func (c Config) Others() []int {
	ids := make([]int, 0, len(c.Peers))
	for _, id := range c.Peers.IDs() {
		if id != c.ID {
			ids = append(ids, id)
		}
	}
	return ids
}

// Validate reports the first bad field by its flag name.
func (c Config) Validate() error {
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrConfig, field, fmt.Sprintf(format, a...))
	}
	if c.ID < 1 || c.ID > maxNodeID {
		return bad("id", "must be in 1..%d, got %d", maxNodeID, c.ID)
	}
	for id, addr := range c.Peers {
		if id < 1 || id > maxNodeID {
			return bad("peers", "id must be in 1..%d, got %d", maxNodeID, id)
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return bad("peers", "node %d address %q: %v", id, addr, err)
		}
	}
	if _, _, err := net.SplitHostPort(c.ListenAddr()); err != nil {
		return bad("listen", "need host:port (or an entry for id %d in peers), got %q", c.ID, c.ListenAddr())
	}
	positive := []struct {
		name string
		d    time.Duration
	}{
		{"heartbeat", c.Heartbeat}, {"election-timeout", c.ElectionTimeout},
		{"load-sample", c.LoadSample}, {"handshake-timeout", c.HandshakeTimeout},
		{"request-ttl", c.RequestTTL}, {"client-idle", c.ClientIdle},
	}
	for _, p := range positive {
		if p.d <= 0 {
			return bad(p.name, "must be positive, got %v", p.d)
		}
	}
	if c.SuspectAfter <= c.Heartbeat {
		return bad("suspect-after", "must exceed heartbeat (%v), got %v", c.Heartbeat, c.SuspectAfter)
	}
	nonNegative := []struct {
		name string
		d    time.Duration
	}{
		{"reelect-every", c.ReelectEvery}, {"service-delay", c.ServiceDelay}, {"sync-delay", c.SyncDelay},
		{"election-backoff", c.ElectionBackoff},
	}
	for _, p := range nonNegative {
		if p.d < 0 {
			return bad(p.name, "must not be negative, got %v", p.d)
		}
	}
	switch {
	case c.Election != ElectionBully && c.Election != ElectionRaft:
		return bad("election", "%q is not %s or %s", c.Election, ElectionBully, ElectionRaft)
	case c.Election == ElectionRaft && c.StateDir == "":
		return bad("election", "raft keeps its log in a subdirectory of --state-dir, which is empty")
	case c.Election == ElectionRaft && c.SuspectAfter >= raftElectionTicks*c.Heartbeat:
		return bad("suspect-after", "with election raft must be below Raft's election timeout, %d heartbeats (%v), got %v",
			raftElectionTicks, raftElectionTicks*c.Heartbeat, c.SuspectAfter)
	}
	if !validBalancer(c.Balancer) {
		return bad("balancer", "%q is not one of %v", c.Balancer, Balancers)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"load-base", c.LoadBase}, {"load-per-request", c.LoadPerRequest}, {"election-margin", c.ElectionMargin}} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return bad(f.name, "must be a finite number ≥ 0, got %v", f.v)
		}
	}
	if c.MaxClients < 1 {
		return bad("max-clients", "must be at least 1, got %d", c.MaxClients)
	}
	if c.MaxControl < 1 {
		return bad("max-control", "must be at least 1, got %d", c.MaxControl)
	}
	if c.DedupWindow < 1 || c.DedupWindow > table.MaxDedupWindow {
		return bad("dedup-window", "must be in 1..%d, got %d", table.MaxDedupWindow, c.DedupWindow)
	}
	if c.MaxConcurrent < 0 {
		return bad("max-concurrent", "must not be negative, got %d", c.MaxConcurrent)
	}
	if c.MaxFrame < 1024 || int64(c.MaxFrame) > math.MaxUint32 {
		return bad("max-frame", "must be in 1024..%d bytes, got %d", uint32(math.MaxUint32), c.MaxFrame)
	}
	if _, err := ParseLogLevel(c.LogLevel); err != nil {
		return bad("log-level", "%v", err)
	}
	return nil
}

// ParseLogLevel reads a --log-level value: debug, info, warn or error.
func ParseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("want debug, info, warn or error, got %q", s)
	}
	return l, nil
}

// RegisterFlags binds every field to a flag on fs, with c's current values as
// the defaults shown by --help.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	if c.Peers == nil {
		c.Peers = Peers{}
	}
	fs.IntVar(&c.ID, "id", c.ID, "this node's id, 1..255")
	fs.StringVar(&c.Listen, "listen", c.Listen, "host:port to accept connections on (default: this id's entry in --peers)")
	fs.Var(c.Peers.Flag(), "peers", "every node of the cluster, id=host:port,… (may include this node)")
	fs.StringVar(&c.Events, "events", c.Events, "JSON-lines event file, appended to (empty: no events)")
	fs.DurationVar(&c.Heartbeat, "heartbeat", c.Heartbeat, "period of heartbeats to every peer")
	fs.DurationVar(&c.SuspectAfter, "suspect-after", c.SuspectAfter, "a peer silent this long is suspected")
	fs.DurationVar(&c.ElectionTimeout, "election-timeout", c.ElectionTimeout, "an initiator decides with the replies it has after this long")
	fs.DurationVar(&c.ReelectEvery, "reelect-every", c.ReelectEvery, "the coordinator re-runs the election this often (0: never)")
	fs.BoolVar(&c.RecoveryElection, "recovery-election", c.RecoveryElection, "a node finishing recovery starts an election")
	fs.Float64Var(&c.ElectionMargin, "election-margin", c.ElectionMargin, "hysteresis: a challenger's load must be lower than the sitting coordinator's by more than this to take over (0: lowest load wins, the seed's rule)")
	fs.DurationVar(&c.ElectionBackoff, "election-backoff", c.ElectionBackoff, "cap of the randomised, exponential backoff before re-electing against a decision naming a coordinator this node cannot hear (0: at once)")
	fs.StringVar(&c.Election, "election", c.Election, "who coordinates: bully (the seed's load-based Bully election) or raft (the etcd-io/raft leader; the table is replicated through its log in --state-dir/raft-<id>)")
	fs.StringVar(&c.Balancer, "balancer", c.Balancer, "how the coordinator picks the server: lowest-load, round-robin, random or coordinator")
	fs.Float64Var(&c.LoadBase, "load-base", c.LoadBase, "load of an idle node")
	fs.Float64Var(&c.LoadPerRequest, "load-per-request", c.LoadPerRequest, "load added per outstanding request")
	fs.DurationVar(&c.ServiceDelay, "service-delay", c.ServiceDelay, "simulated processing time added to every request")
	fs.DurationVar(&c.SyncDelay, "sync-delay", c.SyncDelay, "time spent in Recovering after fetching the state")
	fs.IntVar(&c.MaxConcurrent, "max-concurrent", c.MaxConcurrent, "requests served at once (0: unlimited)")
	fs.IntVar(&c.MaxFrame, "max-frame", c.MaxFrame, "largest accepted frame in bytes")
	fs.BoolVar(&c.StartRecovering, "start-recovering", c.StartRecovering, "start in Recovering (a restarted crashed node)")
	fs.StringVar(&c.StateDir, "state-dir", c.StateDir, "directory for the node's persistent state, the highest epoch (empty: none; a restarted node may then reuse an epoch)")
	fs.StringVar(&c.Key, "key", c.Key, "file holding the seal key: the metadata this node hides is sealed with it, and views of sealed images need it (empty: unsealed)")
	fs.Int64Var(&c.Seed, "seed", c.Seed, "seed of the random balancer and election jitter")
	fs.DurationVar(&c.LoadSample, "load-sample", c.LoadSample, "period of load events")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	fs.DurationVar(&c.HandshakeTimeout, "handshake-timeout", c.HandshakeTimeout, "a connection that sends no hello within this is closed")
	fs.DurationVar(&c.RequestTTL, "request-ttl", c.RequestTTL, "an unfinished request is forgotten after this")
	fs.StringVar(&c.TLS, "tls", c.TLS, "directory of credentials made by 'stegocloud certs': every connection is mutual TLS, plaintext is refused (empty: plaintext)")
	fs.IntVar(&c.MaxClients, "max-clients", c.MaxClients, "client connections at once; more are refused")
	fs.IntVar(&c.MaxControl, "max-control", c.MaxControl, "control connections at once; more are refused")
	fs.IntVar(&c.DedupWindow, "dedup-window", c.DedupWindow, "table ops whose results are remembered, so that a retried op is applied once (every node must use the same value)")
	fs.DurationVar(&c.ClientIdle, "client-idle", c.ClientIdle, "a client or control connection silent this long, with nothing being served for it, is closed")
}

// Args is the inverse of RegisterFlags: the command-line arguments that
// reproduce c. Every flag is written, so a changed default cannot change a
// launched node.
func (c Config) Args() []string {
	d := func(v time.Duration) string { return v.String() }
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	kv := [][2]string{
		{"id", strconv.Itoa(c.ID)},
		{"listen", c.Listen},
		{"peers", c.Peers.String()},
		{"events", c.Events},
		{"heartbeat", d(c.Heartbeat)},
		{"suspect-after", d(c.SuspectAfter)},
		{"election-timeout", d(c.ElectionTimeout)},
		{"reelect-every", d(c.ReelectEvery)},
		{"recovery-election", strconv.FormatBool(c.RecoveryElection)},
		{"election-margin", f(c.ElectionMargin)},
		{"election-backoff", d(c.ElectionBackoff)},
		{"election", c.Election},
		{"balancer", c.Balancer},
		{"load-base", f(c.LoadBase)},
		{"load-per-request", f(c.LoadPerRequest)},
		{"service-delay", d(c.ServiceDelay)},
		{"sync-delay", d(c.SyncDelay)},
		{"max-concurrent", strconv.Itoa(c.MaxConcurrent)},
		{"max-frame", strconv.Itoa(c.MaxFrame)},
		{"start-recovering", strconv.FormatBool(c.StartRecovering)},
		{"state-dir", c.StateDir},
		{"key", c.Key},
		{"seed", strconv.FormatInt(c.Seed, 10)},
		{"load-sample", d(c.LoadSample)},
		{"log-level", c.LogLevel},
		{"handshake-timeout", d(c.HandshakeTimeout)},
		{"request-ttl", d(c.RequestTTL)},
		{"tls", c.TLS},
		{"max-clients", strconv.Itoa(c.MaxClients)},
		{"max-control", strconv.Itoa(c.MaxControl)},
		{"client-idle", d(c.ClientIdle)},
		{"dedup-window", strconv.Itoa(c.DedupWindow)},
	}
	args := make([]string, 0, len(kv))
	for _, p := range kv {
		args = append(args, "--"+p[0]+"="+p[1])
	}
	return args
}
