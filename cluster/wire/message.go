package wire

import (
	"time"

	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// MsgType names a message on the wire.
type MsgType string

// Messages between nodes, from clients, and from the harness's control client.
const (
	MsgHello       MsgType = "hello"              // first frame on every connection: Role, From
	MsgHeartbeat   MsgType = "heartbeat"          // node → node every heartbeat: view, load, piggy-backed Done ids
	MsgElection    MsgType = "election"           // initiator → all: Epoch of the new election
	MsgOK          MsgType = "ok"                 // reply to election: Epoch, Load, State
	MsgCoordinator MsgType = "coordinator"        // initiator → all: CoordEpoch, Coordinator, Loads
	MsgRequest     MsgType = "request"            // client → every node: ID, Attempt, Kind; encrypt: Meta, body = cover; view: User, body = image; register: User, Addr; unregister: User
	MsgAssign      MsgType = "assign"             // coordinator → all: ID → Assignee, Loads at decision
	MsgDone        MsgType = "done"               // assignee → coordinator: Done ids finished
	MsgMissing     MsgType = "request_missing"    // assignee → coordinator: assigned ID never arrived here
	MsgUnassigned  MsgType = "request_unassigned" // holder → coordinator: I hold ID (Attempt) and it has no live assignee here (Assignee: the suspected one, or 0)
	MsgResponse    MsgType = "response"           // assignee → client: ID, body = stego image, or Result, Applier, Table; or Error+Code
	MsgSyncReq     MsgType = "sync_req"           // recovering or stalled node → all: send me your view (WantTable: and the table)
	MsgSyncResp    MsgType = "sync_resp"          // active node → asker: Epoch, coordinator, Loads, Suspects, States; with WantTable: Table, body = table snapshot
	MsgTableOp     MsgType = "table_op"           // assignee → coordinator: ID, Op to apply
	MsgTableUpdate MsgType = "table_update"       // coordinator → all: ID, Op, Result, CoordEpoch, Table (its position), Prev
	MsgTableResult MsgType = "table_result"       // coordinator → the assignee of a read: ID, Result, Table
	MsgTableSync   MsgType = "table_sync"         // follower → coordinator: my copy is out of step, send the table
	MsgTableCopy   MsgType = "table_copy"         // coordinator → follower: CoordEpoch, Table, body = table snapshot
	MsgRaft        MsgType = "raft"               // node → node (election raft): body = one marshalled raftpb.Message for the receiver's raft store
	MsgCtlFail     MsgType = "ctl_fail"           // control → node: fail silently for Duration
	MsgCtlStatus   MsgType = "ctl_status"         // control → node: report NodeStatus
	MsgCtlShutdown MsgType = "ctl_shutdown"
	MsgCtlReply    MsgType = "ctl_result" // node → control: Status or Error
)

// Request kinds (Message.Kind of a request): the table ops a client asks
// for. The empty kind is an encrypt request.
const (
	KindEncrypt    = ""
	KindView       = table.KindView
	KindRegister   = table.KindRegister
	KindUnregister = table.KindUnregister
	KindOnline     = table.KindOnline
)

// Connection roles, announced by the hello frame.
const (
	RolePeer    = "peer"
	RoleClient  = "client"
	RoleControl = "control"
)

// Response codes: why a node answered a request with an error.
const (
	CodeRejected    = "rejected"    // the request itself is bad; do not retry
	CodeUnavailable = "unavailable" // the node could not serve it now; another may
)

// Limits on header contents, so that a hostile header cannot make a node hold
// unbounded state.
const (
	MaxIDLen  = 200 // bytes of a request id
	MaxNodeID = 255 // node ids are 1..MaxNodeID: epochs reserve 8 bits for the initiator id
)

// Frame layout: a frame length, then a header length, both uint32 big-endian.
const (
	frameLenBytes  = 4
	headerLenBytes = 4
)

// Message is one frame: a JSON header and an optional raw body. One flat
// struct serves every type (like raftpb.Message); fields that do not apply
// are left zero and omitted on the wire.
type Message struct {
	Type        MsgType         `json:"type"`
	From        int             `json:"from,omitempty"`
	To          int             `json:"to,omitempty"`
	Role        string          `json:"role,omitempty"`
	Epoch       uint64          `json:"epoch,omitempty"`       // sender's term: the highest epoch it has seen
	CoordEpoch  uint64          `json:"coord_epoch,omitempty"` // epoch of the coordinator decision carried
	Coordinator int             `json:"coord,omitempty"`
	State       NodeState       `json:"state,omitempty"`
	Load        float64         `json:"load,omitempty"`
	Base        float64         `json:"base,omitempty"`
	PerRequest  float64         `json:"per,omitempty"`
	ID          string          `json:"id,omitempty"` // request id
	Attempt     int             `json:"attempt,omitempty"`
	Assignee    int             `json:"assignee,omitempty"`
	Loads       map[int]float64 `json:"loads,omitempty"`
	Meta        *stego.Metadata `json:"meta,omitempty"`
	Done        []string        `json:"done,omitempty"`
	Suspects    []int           `json:"suspects,omitempty"`
	States      map[int]string  `json:"states,omitempty"`
	Duration    time.Duration   `json:"dur,omitempty"`
	Error       string          `json:"error,omitempty"`
	Code        string          `json:"code,omitempty"`
	Status      *NodeStatus     `json:"status,omitempty"`
	MaxFrame    int64           `json:"max_frame,omitempty"` // hello from a client: the largest response frame it accepts

	// The table (Phase 2).
	Kind      string        `json:"kind,omitempty"`       // request: one of the Kind constants
	User      string        `json:"user,omitempty"`       // request: who views (view), registers or unregisters
	Addr      string        `json:"addr,omitempty"`       // request: register's address
	Op        *table.Op     `json:"op,omitempty"`         // table_op, table_update: the op, its ID the request's table id
	Result    *table.Result `json:"result,omitempty"`     // table_update, table_result, response to a table request
	Applier   int           `json:"applier,omitempty"`    // response: the node whose table applied (or read) the op
	Table     *Pos          `json:"table,omitempty"`      // position: of the coordinator (heartbeat), of an update or answer, of a copy, of a voter (ok)
	Prev      uint64        `json:"prev,omitempty"`       // table_update: the epoch of the update before it (at Table.Seq−1)
	Holder    int           `json:"holder,omitempty"`     // coordinator: the voter with the newest copy of the table (Table: its position)
	WantTable bool          `json:"want_table,omitempty"` // sync_req: a recovering node asks for the table too

	// Body is the raw payload after the header (images); never base64'd.
	Body []byte `json:"-"`
}

// Pos is a position in a coordinator's stream of table updates: the update
// numbered Seq, applied by the coordinator of Epoch. Updates are numbered
// 1, 2, … across coordinators (a new one continues from its copy), and each
// epoch has one coordinator, so a Pos names one update, and two tables at
// the same Pos applied the same updates (see package cluster, Table).
type Pos struct {
	Epoch uint64 `json:"epoch"`
	Seq   uint64 `json:"seq"`
}

// NodeStatus is a node's answer to a status request (ctl_result's Status).
type NodeStatus struct {
	ID            int              `json:"id"`
	State         NodeState        `json:"state"`
	Epoch         uint64           `json:"epoch"`       // highest epoch seen
	CoordEpoch    uint64           `json:"coord_epoch"` // epoch of the coordinator followed
	Coordinator   int              `json:"coordinator"` // 0: none known
	IsCoordinator bool             `json:"is_coordinator"`
	Load          float64          `json:"load"`
	Outstanding   int              `json:"outstanding"` // requests this node must serve and has not finished
	Serving       int              `json:"serving"`     // of those, running now
	Pending       int              `json:"pending"`     // requests known and not done, on any node
	Processed     int64            `json:"processed"`   // requests served successfully since start
	Suspects      []int            `json:"suspects"`
	Table         Pos              `json:"table"` // position of this node's copy of the table
	Counters      map[string]int64 `json:"counters,omitempty"`
}
