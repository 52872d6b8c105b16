package raftstore

import (
	"fmt"
	"slices"

	"go.etcd.io/raft/v3"

	"stegocloud/cluster/table"
)

// Config configures a Store. Times are in ticks: the driver calls Tick once
// per node heartbeat period, so with the node's 50 ms heartbeat the election
// timeout is 10 ticks = 500 ms (randomised by Raft to 10–20 ticks).
type Config struct {
	ID    uint64   // this node's Raft id, ≥ 1 (the cluster's node id)
	Peers []uint64 // every voter's id, ID included; fixed for the cluster's life
	Dir   string   // data directory (created if missing); required

	// NoSync skips every fsync: the store keeps working but a machine
	// crash can lose acknowledged writes. For benchmarks and tests only.
	NoSync bool

	ElectionTick  int // ticks without a leader before a campaign (default 10)
	HeartbeatTick int // ticks between leader heartbeats (default 1)

	// RequestTimeout is how many ticks a proposal or read waits for its
	// answer before it ends with ErrTimeout (default 2 × ElectionTick).
	RequestTimeout int

	// SnapshotEvery is how many applied entries trigger a snapshot of the
	// table, after which the in-memory log and the WAL are compacted
	// (default 10,000).
	SnapshotEvery uint64
	// CatchUpEntries is how many entries before a snapshot stay in memory
	// so that a slightly lagging follower catches up from the log rather
	// than by a snapshot (default 5,000; at most SnapshotEvery).
	CatchUpEntries uint64

	// DedupWindow is the table's retry memory (table.New); every replica
	// must use the same value (default table.DefaultDedupWindow).
	DedupWindow int

	MaxSizePerMsg       uint64 // bytes of entries per append message (default 1 MiB)
	MaxInflightMsgs     int    // append messages in flight per follower (default 256)
	MaxUncommittedBytes uint64 // proposals refused (ErrNoLeader) beyond this (default 64 MiB)
	MaxMessageBytes     int    // Step refuses larger messages (default 64 MiB)

	// Logger receives Raft's own log lines; nil discards them.
	Logger raft.Logger
}

// DefaultConfig returns the defaults for node id among peers, data in dir.
func DefaultConfig(id uint64, peers []uint64, dir string) Config {
	c := Config{ID: id, Peers: peers, Dir: dir}
	c.fill()
	return c
}

func (c *Config) fill() {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&c.ElectionTick, 10)
	def(&c.HeartbeatTick, 1)
	def(&c.RequestTimeout, 2*c.ElectionTick)
	def(&c.MaxInflightMsgs, 256)
	def(&c.MaxMessageBytes, 64<<20)
	def(&c.DedupWindow, table.DefaultDedupWindow)
	if c.SnapshotEvery == 0 {
		c.SnapshotEvery = 10_000
	}
	if c.CatchUpEntries == 0 {
		c.CatchUpEntries = min(5_000, c.SnapshotEvery)
	}
	if c.MaxSizePerMsg == 0 {
		c.MaxSizePerMsg = 1 << 20
	}
	if c.MaxUncommittedBytes == 0 {
		c.MaxUncommittedBytes = 64 << 20
	}
}

// Validate fills the defaults and reports the first bad field.
func (c *Config) Validate() error {
	c.fill()
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrConfig, field, fmt.Sprintf(format, args...))
	}
	switch {
	case c.ID == 0:
		return bad("ID", "must be ≥ 1")
	case !slices.Contains(c.Peers, c.ID):
		return bad("Peers", "%v does not contain ID %d", c.Peers, c.ID)
	case slices.Contains(c.Peers, 0):
		return bad("Peers", "ids must be ≥ 1, got %v", c.Peers)
	case len(c.Peers) != len(uniq(c.Peers)):
		return bad("Peers", "duplicate ids in %v", c.Peers)
	case c.Dir == "":
		return bad("Dir", "required")
	case c.HeartbeatTick < 1:
		return bad("HeartbeatTick", "must be ≥ 1, got %d", c.HeartbeatTick)
	case c.ElectionTick <= c.HeartbeatTick:
		return bad("ElectionTick", "must exceed HeartbeatTick (%d), got %d", c.HeartbeatTick, c.ElectionTick)
	case c.RequestTimeout < 1:
		return bad("RequestTimeout", "must be ≥ 1 tick, got %d", c.RequestTimeout)
	case c.CatchUpEntries > c.SnapshotEvery:
		return bad("CatchUpEntries", "%d exceeds SnapshotEvery %d", c.CatchUpEntries, c.SnapshotEvery)
	case c.DedupWindow < 1 || c.DedupWindow > table.MaxDedupWindow:
		return bad("DedupWindow", "must be in [1, %d], got %d", table.MaxDedupWindow, c.DedupWindow)
	case c.MaxInflightMsgs < 1:
		return bad("MaxInflightMsgs", "must be ≥ 1, got %d", c.MaxInflightMsgs)
	case c.MaxMessageBytes < 1<<10:
		return bad("MaxMessageBytes", "must be ≥ 1 KiB, got %d", c.MaxMessageBytes)
	}
	return nil
}

func uniq(ids []uint64) []uint64 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}

// quietLogger discards Raft's log lines except panics, which it re-raises.
type quietLogger struct{}

func (quietLogger) Debug(...any)            {}
func (quietLogger) Debugf(string, ...any)   {}
func (quietLogger) Error(...any)            {}
func (quietLogger) Errorf(string, ...any)   {}
func (quietLogger) Info(...any)             {}
func (quietLogger) Infof(string, ...any)    {}
func (quietLogger) Warning(...any)          {}
func (quietLogger) Warningf(string, ...any) {}
func (quietLogger) Fatal(v ...any)          { panic(fmt.Sprint(v...)) }
func (quietLogger) Fatalf(f string, v ...any) {
	panic(fmt.Sprintf(f, v...))
}
func (quietLogger) Panic(v ...any)            { panic(fmt.Sprint(v...)) }
func (quietLogger) Panicf(f string, v ...any) { panic(fmt.Sprintf(f, v...)) }
