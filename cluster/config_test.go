package cluster

import (
	"errors"
	"flag"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster/table"
)

func TestDefaultConfigIsValidWithAListenAddress(t *testing.T) {
	c := DefaultConfig()
	c.Peers = Peers{1: "127.0.0.1:7001", 2: "127.0.0.1:7002"}
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig with peers: %v", err)
	}
	if got := c.ListenAddr(); got != "127.0.0.1:7001" {
		t.Errorf("ListenAddr() = %q, want node 1's peer address", got)
	}
	if got := c.Others(); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("Others() = %v, want [2]", got)
	}
}

func TestValidateNamesTheBadField(t *testing.T) {
	cases := []struct {
		field string
		edit  func(*Config)
	}{
		{"id", func(c *Config) { c.ID = 0 }},
		{"id", func(c *Config) { c.ID = 256 }},
		{"peers", func(c *Config) { c.Peers[3] = "nohost" }},
		{"listen", func(c *Config) { c.Peers = Peers{2: "127.0.0.1:1"} }},
		{"heartbeat", func(c *Config) { c.Heartbeat = 0 }},
		{"suspect-after", func(c *Config) { c.SuspectAfter = c.Heartbeat }},
		{"election-timeout", func(c *Config) { c.ElectionTimeout = -time.Second }},
		{"reelect-every", func(c *Config) { c.ReelectEvery = -1 }},
		{"election-backoff", func(c *Config) { c.ElectionBackoff = -time.Second }},
		{"election-margin", func(c *Config) { c.ElectionMargin = -0.1 }},
		{"election-margin", func(c *Config) { c.ElectionMargin = math.Inf(1) }},
		{"balancer", func(c *Config) { c.Balancer = "fastest" }},
		{"election", func(c *Config) { c.Election = "paxos" }},
		{"election", func(c *Config) { c.Election, c.StateDir = ElectionRaft, "" }},
		{"suspect-after", func(c *Config) { c.Election, c.StateDir, c.SuspectAfter = ElectionRaft, "s", 10*c.Heartbeat }},
		{"load-base", func(c *Config) { c.LoadBase = -0.1 }},
		{"load-per-request", func(c *Config) { c.LoadPerRequest = math.NaN() }},
		{"service-delay", func(c *Config) { c.ServiceDelay = -1 }},
		{"sync-delay", func(c *Config) { c.SyncDelay = -1 }},
		{"max-concurrent", func(c *Config) { c.MaxConcurrent = -1 }},
		{"max-frame", func(c *Config) { c.MaxFrame = 10 }},
		{"load-sample", func(c *Config) { c.LoadSample = 0 }},
		{"log-level", func(c *Config) { c.LogLevel = "chatty" }},
		{"handshake-timeout", func(c *Config) { c.HandshakeTimeout = 0 }},
		{"request-ttl", func(c *Config) { c.RequestTTL = 0 }},
		{"max-clients", func(c *Config) { c.MaxClients = 0 }},
		{"max-control", func(c *Config) { c.MaxControl = 0 }},
		{"client-idle", func(c *Config) { c.ClientIdle = 0 }},
		{"dedup-window", func(c *Config) { c.DedupWindow = 0 }},
		{"dedup-window", func(c *Config) { c.DedupWindow = table.MaxDedupWindow + 1 }},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Peers = Peers{1: "127.0.0.1:7001", 2: "127.0.0.1:7002"}
			c.edit(&cfg)
			err := cfg.Validate()
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.field+":") {
				t.Errorf("Validate() = %v, want ErrConfig naming %q", err, c.field)
			}
		})
	}
}

func parseArgs(t *testing.T, args []string) Config {
	t.Helper()
	c := DefaultConfig()
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parsing %q: %v", args, err)
	}
	return c
}

func TestArgsRoundTrip(t *testing.T) {
	full := Config{
		ID: 7, Listen: "127.0.0.1:9999", Peers: Peers{7: "127.0.0.1:9999", 8: "127.0.0.1:9998"},
		Events: "/tmp/x y/events.jsonl", Heartbeat: 20 * time.Millisecond, SuspectAfter: 90 * time.Millisecond,
		ElectionTimeout: 33 * time.Millisecond, ReelectEvery: 0, RecoveryElection: false,
		Balancer: BalancerRandom, LoadBase: 0.123456789, LoadPerRequest: 1e-3,
		ServiceDelay: 1500 * time.Microsecond, SyncDelay: 0, MaxConcurrent: 4, MaxFrame: 2048,
		StartRecovering: true, Key: "k.bin", Seed: -5, LoadSample: time.Second, LogLevel: "debug",
		HandshakeTimeout: time.Minute, RequestTTL: 90 * time.Second,
		ElectionMargin: 0.25, ElectionBackoff: 1500 * time.Millisecond, StateDir: "/tmp/state dir",
		TLS: "/etc/stego cloud/tls", MaxClients: 3, MaxControl: 2, ClientIdle: 7 * time.Second,
		DedupWindow: 17, Election: ElectionRaft,
	}
	cases := []struct {
		name string
		cfg  Config
	}{
		{"defaults", func() Config { c := DefaultConfig(); c.Peers = Peers{1: "127.0.0.1:1"}; return c }()},
		{"every field changed", full},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := parseArgs(t, c.cfg.Args())
			if !reflect.DeepEqual(got, c.cfg) {
				t.Errorf("parse(Args()) =\n %+v\nwant\n %+v\nargs %q", got, c.cfg, c.cfg.Args())
			}
		})
	}
}

func TestParsePeers(t *testing.T) {
	cases := []struct {
		in      string
		want    Peers
		wantErr string
	}{
		{"", Peers{}, ""},
		{"1=127.0.0.1:7001, 2=127.0.0.1:7002", Peers{1: "127.0.0.1:7001", 2: "127.0.0.1:7002"}, ""},
		{"1=127.0.0.1", nil, "address"},
		{"x=127.0.0.1:1", nil, "id must be"},
		{"0=127.0.0.1:1", nil, "id must be"},
		{"1=127.0.0.1:1,1=127.0.0.1:2", nil, "twice"},
		{"127.0.0.1:1", nil, "want id=host:port"},
	}
	for _, c := range cases {
		got, err := ParsePeers(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("ParsePeers(%q) error %v, want one mentioning %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParsePeers(%q) = %v, %v, want %v", c.in, got, err, c.want)
		}
	}
}
