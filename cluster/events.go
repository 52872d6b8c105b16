package cluster

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"stegocloud/cluster/table"
	"stegocloud/internal/nonblock"
)

// EventType names what happened. The set is closed: the harness relies on it.
type EventType string

// Events written by nodes.
const (
	EvStart           EventType = "start"            // process started: State
	EvState           EventType = "state"            // state change: From → State
	EvSuspect         EventType = "suspect"          // Peer went silent
	EvAlive           EventType = "alive"            // a suspected Peer was heard again
	EvElectionStart   EventType = "election_start"   // this node initiated an election: Epoch, Cause
	EvElectionResult  EventType = "election_result"  // initiator decided: Epoch, Coordinator (winner), Loads
	EvCoordinator     EventType = "coordinator"      // this node now follows Coordinator at Epoch
	EvAssign          EventType = "assign"           // coordinator assigned Request to Assignee with Loads
	EvReassign        EventType = "reassign"         // coordinator moved Request to Assignee; Reason
	EvComplete        EventType = "complete"         // this node served Request in Duration
	EvLoad            EventType = "load"             // periodic sample of this node's Load and Outstanding
	EvProtocolError   EventType = "protocol_error"   // a connection was closed: Peer (0 if unknown), Reason
	EvStop            EventType = "stop"             // clean shutdown
	EvSync            EventType = "sync"             // a recovering node copied Peer's view (Epoch, Coordinator); Reason if nobody answered
	EvReject          EventType = "reject"           // a message or decision was refused: Peer, Epoch, Coordinator, Reason
	EvStall           EventType = "stall"            // this process was not running for Duration; fenced until its peers answer
	EvFenced          EventType = "fenced"           // an assign of Request to Assignee from Peer's superseded Epoch was refused
	EvElectionBackoff EventType = "election_backoff" // a contested decision (Epoch, Coordinator) is followed for Duration before re-electing
	EvTableApply      EventType = "table_apply"      // the coordinator applied (or read) Request's op: Kind, Image, User, Result, Epoch, Seq
	EvTableUpdate     EventType = "table_update"     // a follower applied the update of Peer (the coordinator): Request, Kind, Image, User, Result, Epoch, Seq
	EvTableSync       EventType = "table_sync"       // this node replaced its copy of the table with Peer's, at Epoch, Seq; Reason
	EvTableAnswer     EventType = "table_answer"     // this node answered the client of Request with Result, applied by Coordinator at Epoch, Seq

	// Election raft only (raftstore's events): Epoch is the Raft term.
	EvRaftRecover  EventType = "raft_recover"   // the raft store opened its directory: Epoch, Seq (last log index), Reason (commit and snapshot index, torn bytes cut)
	EvRaftLeader   EventType = "raft_leader"    // the known leader or this node's role changed: Epoch, Coordinator (0: none known), State (follower, candidate, pre-candidate, leader)
	EvRaftSnapshot EventType = "raft_snapshot"  // the table was snapshotted (Reason created) or installed from the leader (received): Epoch, Seq (index)
	EvRaftBadEntry EventType = "raft_bad_entry" // a committed entry was not a valid op and was skipped everywhere: Seq, Reason
)

// Events written by the harness (Node is the node the event is about, 0 for the
// whole cluster).
const (
	EvFaultStart EventType = "fault_start" // Kind, Duration
	EvFaultEnd   EventType = "fault_end"   // Kind
	EvLoadStart  EventType = "load_start"
	EvLoadStop   EventType = "load_stop"
	EvNodeExit   EventType = "node_exit" // the process ended: Reason
	// Network faults (Node 0): Kind, Duration, Net (the resolved nodes),
	// Reason (the fault in words).
	EvNetFaultStart EventType = "net_fault_start"
	EvNetFaultEnd   EventType = "net_fault_end"
)

// Event is one line of an events.jsonl file. Fields that do not apply to a type
// are omitted. Time is wall-clock Unix nanoseconds so that the files of several
// processes on one machine merge into one timeline.
type Event struct {
	Time        int64           `json:"t"`
	Node        int             `json:"node"`
	Type        EventType       `json:"type"`
	Epoch       uint64          `json:"epoch,omitempty"`
	State       string          `json:"state,omitempty"`
	From        string          `json:"from,omitempty"`
	Peer        int             `json:"peer,omitempty"`
	Coordinator int             `json:"coordinator,omitempty"`
	Cause       string          `json:"cause,omitempty"`
	Loads       map[int]float64 `json:"loads,omitempty"`
	Load        float64         `json:"load,omitempty"`
	Outstanding int             `json:"outstanding,omitempty"`
	Request     string          `json:"req,omitempty"`
	Assignee    int             `json:"assignee,omitempty"`
	Duration    time.Duration   `json:"dur,omitempty"`  // nanoseconds
	Kind        string          `json:"kind,omitempty"` // fault kind; table op kind (view, register, unregister, online)
	Reason      string          `json:"reason,omitempty"`
	Image       string          `json:"image,omitempty"`  // table op: the image id of a view
	User        string          `json:"user,omitempty"`   // table op: the user of a view, register or unregister
	Result      *table.Result   `json:"result,omitempty"` // table op: the coordinator's result
	Seq         uint64          `json:"seq,omitempty"`    // table op: the number of its update in the coordinator's stream
	// Counters are cumulative message counts by message type, sent and
	// received ("sent.heartbeat", "recv.request", …), carried by load and stop
	// events so that messages per request can be computed from the log.
	Counters map[string]int64 `json:"counters,omitempty"`
	// Net is the network fault of a net_fault_start or net_fault_end.
	Net *NetFault `json:"net,omitempty"`
}

// NetFault is a network fault as the harness logs it, its nodes resolved
// to ids. Which fields are set depends on the Event's Kind: partition
// (Groups, Clients), bridge (Groups: the two cut sides, Via), one-way
// (Groups: [from, to]), latency (Links, Delay, Jitter, Bandwidth), reset
// (Links). Empty Links mean every peer link.
type NetFault struct {
	ID        int           `json:"id"` // pairs a start with its end
	Groups    [][]int       `json:"groups,omitempty"`
	Clients   [][]int       `json:"clients,omitempty"`
	Via       int           `json:"via,omitempty"`
	Links     [][2]int      `json:"links,omitempty"`
	Delay     time.Duration `json:"delay,omitempty"`
	Jitter    time.Duration `json:"jitter,omitempty"`
	Bandwidth int64         `json:"bandwidth,omitempty"` // bytes per second per connection
}

// EventLog writes events as JSON lines. It is safe for concurrent use and
// never makes its caller wait: lines are queued (up to eventBudget bytes) and
// written by a goroutine, so a slow disk cannot stall a node's loop; a line
// that does not fit is dropped and counted (Dropped). Each line reaches the
// writer whole. A nil *EventLog discards everything, so callers need no
// checks.
type EventLog struct {
	mu   sync.Mutex
	line bytes.Buffer
	enc  *json.Encoder
	out  *nonblock.Writer
	now  func() time.Time
}

// eventBudget bounds the events waiting for the disk: at ~300 bytes a line,
// some 13,000 events, seconds of a busy node's log.
const eventBudget = 4 << 20

// flushTimeout bounds how long Flush waits for the disk.
const flushTimeout = 5 * time.Second

// NewEventLog writes to w; now stamps events whose Time is zero (nil: time.Now).
func NewEventLog(w io.Writer, now func() time.Time) *EventLog {
	return newEventLog(w, now, eventBudget)
}

func newEventLog(w io.Writer, now func() time.Time, budget int) *EventLog {
	if now == nil {
		now = time.Now
	}
	l := &EventLog{out: nonblock.New(w, budget), now: now}
	l.enc = json.NewEncoder(&l.line)
	return l
}

// Emit queues one event. Errors are deliberately dropped: losing an event
// must never stop a node; Dropped counts the lines lost, Flush reports the
// writer's error.
func (l *EventLog) Emit(e Event) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Time == 0 {
		e.Time = l.now().UnixNano()
	}
	l.line.Reset()
	if l.enc.Encode(&e) == nil {
		l.out.Write(l.line.Bytes())
	}
	if l.line.Cap() > 64<<10 {
		l.line = bytes.Buffer{} // an unusually large event: do not keep its buffer
		l.enc = json.NewEncoder(&l.line)
	}
}

// Flush waits (up to 5s) until every event emitted so far has been handed
// to the writer, and returns the writer's first error.
func (l *EventLog) Flush() error {
	if l == nil {
		return nil
	}
	return l.out.Flush(flushTimeout)
}

// Dropped is the number of events lost because the writer fell behind.
func (l *EventLog) Dropped() int64 {
	if l == nil {
		return 0
	}
	return l.out.Dropped()
}

// ReadEvents calls fn for every event in r. A line that is not a valid event is
// an error naming its line number; a truncated last line (a killed process) is
// skipped and reported through the returned count of skipped lines.
func ReadEvents(r io.Reader, fn func(Event) error) (skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	line := 0
	var pending error
	for sc.Scan() {
		line++
		if pending != nil {
			return skipped, pending
		}
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var e Event
		if err := json.Unmarshal(b, &e); err != nil {
			// Only the last line may be torn; decide when we know it was last.
			pending = fmt.Errorf("events line %d: %w", line, err)
			skipped++
			continue
		}
		if err := fn(e); err != nil {
			return skipped, err
		}
	}
	if err := sc.Err(); err != nil {
		return skipped, fmt.Errorf("reading events: %w", err)
	}
	return skipped, nil
}
