package rundir

import (
	"fmt"
	"time"

	"stegocloud/harness/fault"
)

// Summary is everything one run measured; it is written as summary.json and is
// what report, compare and the design-document report read. Every metric is
// defined in harness/doc.go ("Metrics"). Latencies are in milliseconds,
// durations in seconds, rates per second, fractions in 0..1.
type Summary struct {
	Experiment string    `json:"experiment"` // experiment name
	Run        string    `json:"run"`        // run directory name
	Mode       string    `json:"mode"`       // "closed" or "open"
	Start      time.Time `json:"start"`      // first request due
	End        time.Time `json:"end"`        // last request ended
	DurationS  float64   `json:"duration_s"`

	Requests      Counts  `json:"requests"`
	SuccessRate   float64 `json:"success_rate"`
	ThroughputRPS float64 `json:"throughput_rps"` // successful requests per second
	OfferedRPS    float64 `json:"offered_rps"`    // requests started per second
	Bound         *Bound  `json:"bound,omitempty"`

	Latency          Latency `json:"latency"`           // every request that ended, to its end
	LatencyInFaults  Latency `json:"latency_in_faults"` // requests that overlapped a fault window
	LatencyOutFaults Latency `json:"latency_out_faults"`

	Nodes   []NodeSummary `json:"nodes"`
	Balance Balance       `json:"balance"`

	Faults             FaultSummary    `json:"faults"`
	Elections          ElectionSummary `json:"elections"`
	MessagesPerRequest float64         `json:"messages_per_request"` // request-path messages / Requests.Total
	Messages           MessageCounts   `json:"messages"`             // every message of the run, by class
	// Replication is what keeping the coordinator's state on the other
	// nodes cost: messages and fsyncs (harness/doc.go, "Replication cost").
	Replication ReplicationCost `json:"replication"`

	// Interrupted is set when the run was cut short (Ctrl-C, SIGTERM).
	Interrupted *Interruption `json:"interrupted,omitempty"`

	// Proxies is what the fault proxies carried (runs with cluster.proxies
	// on only).
	Proxies *ProxySummary `json:"proxies,omitempty"`

	// Table counts the table operations (runs whose workload.mix has them
	// only) and says what checking them cost.
	Table *TableSummary `json:"table,omitempty"`

	Verdict  Verdict  `json:"verdict"`
	Warnings []string `json:"warnings,omitempty"`

	// Histograms holds the HDR histograms (µs) in their compressed base64 form
	// ("HISTF…"), keyed "all", "in_faults", "out_faults", "node/N", so that
	// figures and comparisons can be rebuilt from summary.json alone.
	Histograms map[string]string `json:"histograms"`
}

// Counts accounts for every request: Total = OK + Failed + TimedOut are the
// requests sent; Unsent were issued after the load stopped and never sent.
type Counts struct {
	Total      int `json:"total"`
	OK         int `json:"ok"`
	Failed     int `json:"failed"`
	TimedOut   int `json:"timed_out"`
	Retried    int `json:"retried"`    // requests that needed more than one attempt
	Duplicates int `json:"duplicates"` // requests served more than once, by the clients' or the nodes' account (each once)
	Reassigned int `json:"reassigned"` // requests the coordinator moved to another node (events)
	Lost       int `json:"lost"`       // requests that never got a valid response (Failed + TimedOut)

	// Unsent were issued after the load stopped (Ctrl-C, max_duration) and
	// never sent: in no other count.
	Unsent int `json:"unsent,omitempty"`

	DuplicatesClient int `json:"duplicates_client"` // requests that got another response with an image after their valid one
	DuplicatesNodes  int `json:"duplicates_nodes"`  // requests the nodes' logs show completed without error more than once
	LateResponses    int `json:"late_responses"`    // responses that reached a client after its call had ended
	Invalid          int `json:"invalid"`           // responses rejected by verification (wrong metadata), summed
}

// Bound is the physical limit the configuration puts on throughput, stated next
// to what was measured (closed loop: clients / per-request service time).
type Bound struct {
	RPS      float64 `json:"rps"`
	Formula  string  `json:"formula"`  // e.g. "50 clients / 0.5 s service delay"
	Achieved float64 `json:"achieved"` // ThroughputRPS / RPS
}

// Latency summarises one HDR histogram.
type Latency struct {
	Count    int64   `json:"count"`
	MeanMs   float64 `json:"mean_ms"`
	StdDevMs float64 `json:"stddev_ms"`
	MinMs    float64 `json:"min_ms"`
	P50Ms    float64 `json:"p50_ms"`
	P90Ms    float64 `json:"p90_ms"`
	P95Ms    float64 `json:"p95_ms"`
	P99Ms    float64 `json:"p99_ms"`
	P999Ms   float64 `json:"p999_ms"`
	MaxMs    float64 `json:"max_ms"`
}

// NodeSummary is one node's part in the run.
type NodeSummary struct {
	ID          int     `json:"id"`
	Served      int     `json:"served"` // successful requests this node served (client's view)
	Share       float64 `json:"share"`  // Served / all successful requests
	Latency     Latency `json:"latency"`
	Completions int     `json:"completions"` // complete events the node logged (includes duplicates)
	FaultsDown  float64 `json:"faults_down_s"`
	FinalState  string  `json:"final_state"`
	FinalLoad   float64 `json:"final_load"`
	Processed   int     `json:"processed"` // the node's own count at the end
	Coordinator bool    `json:"coordinator"`
}

// Balance is the spread of Served across nodes.
type Balance struct {
	MaxMinRatio float64 `json:"max_min_ratio"` // max share / min share (0 when a node served nothing)
	CV          float64 `json:"cv"`            // coefficient of variation of shares
}

// FaultSummary is the fault-tolerance table.
type FaultSummary struct {
	Injected   int            `json:"injected"` // node and network faults
	ByKind     map[string]int `json:"by_kind,omitempty"`
	MeanDownS  float64        `json:"mean_down_s"` // node faults only
	FailoverMs Stats          `json:"failover_ms"` // coordinator lost → every live node follows the same new one
	RecoveryMs Stats          `json:"recovery_ms"` // node due back → Active again
	// Failovers that did not yield a sample: masked (the coordinator came back
	// before any node reacted) and unresolved (the live nodes never agreed).
	FailoverMasked     int `json:"failover_masked"`
	FailoverUnresolved int `json:"failover_unresolved"`
	RecoveryUnresolved int `json:"recovery_unresolved"` // faults after which the node logged no state → Active
	// Network lists every network fault injected, in order of start.
	Network []NetFaultRecord `json:"network,omitempty"`
}

// NetFaultRecord is one network fault as executed: when, how long, and what
// it cut (resolved node ids), from schedule.json.
type NetFaultRecord struct {
	Kind string     `json:"kind"`
	AtS  float64    `json:"at_s"`  // since the load start
	ForS float64    `json:"for_s"` // 0 for a one-shot reset
	What string     `json:"what"`  // in words: "partition [2] | [1 3]"
	Net  *fault.Net `json:"net"`
}

// ProxySummary totals what the fault proxies (harness/netfault) carried
// over the run, and lists every link.
type ProxySummary struct {
	Links        int   `json:"links"`
	Accepted     int64 `json:"accepted"`      // connections
	Refused      int64 `json:"refused"`       // connections reset on arrival during a reset fault
	Resets       int64 `json:"resets"`        // open connections reset by a reset fault
	DialFailures int64 `json:"dial_failures"` // connections reset because the node could not be dialled (it was down)
	Bytes        int64 `json:"bytes"`         // delivered, both directions
	HeldChunks   int64 `json:"held_chunks"`   // chunks that waited for a partition (or cut) to end
	// MaxBuffered is the most bytes one direction of one link held at once.
	MaxBuffered int64       `json:"max_buffered_bytes"`
	ByLink      []ProxyLink `json:"by_link"`
}

// ProxyLink is one proxy: From ⇢ node To. Up is what From sent, Down what
// the node answered on the same connections.
type ProxyLink struct {
	Link         string    `json:"link"` // "node 1 ⇢ node 2", "client 1 ⇢ node 3"
	Accepted     int64     `json:"accepted"`
	Refused      int64     `json:"refused"`
	Resets       int64     `json:"resets"`
	DialFailures int64     `json:"dial_failures"`
	Up           ProxyFlow `json:"up"`
	Down         ProxyFlow `json:"down"`
}

// ProxyFlow counts one direction of a link.
type ProxyFlow struct {
	Bytes       int64 `json:"bytes"`
	HeldChunks  int64 `json:"held_chunks"`
	MaxBuffered int64 `json:"max_buffered_bytes"`
}

// ElectionSummary counts elections and coordinator changes.
type ElectionSummary struct {
	Total              int            `json:"total"`
	ByCause            map[string]int `json:"by_cause,omitempty"`
	CoordinatorChanges int            `json:"coordinator_changes"`
	MaxEpoch           uint64         `json:"max_epoch"`
	// Overlaps counts pairs of reigns of different nodes that overlapped in
	// time (any length, handovers within the tolerance included); the
	// longest lasted OverlapMaxMs.
	Overlaps     int     `json:"coordinator_overlaps"`
	OverlapMaxMs float64 `json:"coordinator_overlap_max_ms"`
}

// MessageCounts counts the messages of a run by class (see harness/doc.go, "Messages
// per request"): Total = Request + Heartbeat + Election + Replication + Other.
type MessageCounts struct {
	Total     int64 `json:"total"`
	Request   int64 `json:"request"`   // the request path: request, assign, response, done, …
	Heartbeat int64 `json:"heartbeat"` // failure-detection overhead
	Election  int64 `json:"election"`  // election, coordinator and state-sync overhead
	// Replication: the table's frames (Bully) or every Raft frame (Raft).
	Replication int64            `json:"replication"`
	Other       int64            `json:"other"` // control and anything unclassified
	ByType      map[string]int64 `json:"by_type,omitempty"`
}

// ReplicationCost compares the election modes' cost per request and per
// second (harness/doc.go, "Replication cost"). Fsyncs are Raft's WAL
// fsyncs (the nodes' "raft.fsyncs" counters, summed over processes); Bully's
// persisted epoch (--state-dir) is not counted, so they are 0 with Bully.
type ReplicationCost struct {
	MessagesPerRequest    float64 `json:"messages_per_request"`     // replication-class messages / Requests.Total
	AllMessagesPerRequest float64 `json:"all_messages_per_request"` // every message / Requests.Total
	Fsyncs                int64   `json:"fsyncs"`
	FsyncsPerS            float64 `json:"fsyncs_per_s"`        // Fsyncs / DurationS
	Readies               int64   `json:"readies,omitempty"`   // Raft Ready batches (each at most one WAL write)
	WALBytes              int64   `json:"wal_bytes,omitempty"` // bytes written to Raft's WALs
}

// Stats summarises a small sample (failover or recovery times).
type Stats struct {
	N    int       `json:"n"`
	Mean float64   `json:"mean"`
	P50  float64   `json:"p50"`
	Max  float64   `json:"max"`
	All  []float64 `json:"all,omitempty"`
}

// Interruption says that a run was cut short and what it left as it was:
// its numbers cover only the part that ran.
type Interruption struct {
	Cause string  `json:"cause"` // e.g. "interrupt signal received"
	AtS   float64 `json:"at_s"`  // when the load stopped, seconds after the load start
	// Down are the nodes a fault held down when the run was interrupted:
	// they were not brought back, and their final state says so.
	Down []NodeDown `json:"down,omitempty"`
}

// NodeDown is a node a fault of Kind held down at the end of a run.
type NodeDown struct {
	Node int    `json:"node"`
	Kind string `json:"kind"`
}

// Verdict is the checker's judgement; a run passes only if every check passes.
type Verdict struct {
	Pass   bool    `json:"pass"`
	Checks []Check `json:"checks"`
}

// Check is one named assertion about the run. Pass is its raw status; a
// check the experiment declared an expected anomaly (Expected) counts
// toward the verdict when it fails (AsExpected).
type Check struct {
	Name   string `json:"name"`
	Pass   bool   `json:"pass"`
	Detail string `json:"detail"`

	Expected bool       `json:"expected_anomaly,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"` // what a failed check found: the report's words, the timeline's marks
}

// AsExpected reports whether the check came out as the experiment wants:
// passed, or failed when it was declared an expected anomaly.
func (c Check) AsExpected() bool { return c.Pass != c.Expected }

// Headline is the one-line account of a run printed when it ends.
func (s *Summary) Headline() string {
	h := fmt.Sprintf("%d requests, %.2f%% ok, %.1f req/s, p50 %s, p99 %s",
		s.Requests.Total, 100*s.SuccessRate, s.ThroughputRPS, roughMs(s.Latency.P50Ms), roughMs(s.Latency.P99Ms))
	if in := s.Interrupted; in != nil {
		h = fmt.Sprintf("interrupted at %.1fs (%s): %s", in.AtS, in.Cause, h)
		if s.Requests.Unsent > 0 {
			h += fmt.Sprintf(", %d not sent", s.Requests.Unsent)
		}
	}
	return h
}

// roughMs prints a latency in milliseconds with a sensible precision for its
// size: "7µs", "1.62ms", "502.3ms", "1.204s".
func roughMs(ms float64) string {
	d := time.Duration(ms * float64(time.Millisecond))
	switch {
	case d < time.Millisecond:
		d = d.Round(time.Microsecond)
	case d < 10*time.Millisecond:
		d = d.Round(10 * time.Microsecond)
	case d < time.Second:
		d = d.Round(100 * time.Microsecond)
	default:
		d = d.Round(time.Millisecond)
	}
	return d.String()
}
