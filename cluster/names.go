package cluster

import (
	"io"

	"stegocloud/cluster/client"
	"stegocloud/cluster/wire"
)

// The wire protocol (package wire) and the client (package client) live in
// packages of their own; these are their names as package cluster has
// always offered them, so that the node's code and its users need not care
// where each piece lives.

// Messages and frames.
type (
	Message     = wire.Message
	MsgType     = wire.MsgType
	NodeState   = wire.NodeState
	NodeStatus  = wire.NodeStatus
	FrameReader = wire.FrameReader
	Pos         = wire.Pos
	Peers       = wire.Peers
	Transport   = wire.Transport

	TCPTransport = wire.TCPTransport
	InmemNetwork = wire.InmemNetwork
)

// Message types, roles, codes, request kinds and node states.
const (
	MsgHello       = wire.MsgHello
	MsgHeartbeat   = wire.MsgHeartbeat
	MsgElection    = wire.MsgElection
	MsgOK          = wire.MsgOK
	MsgCoordinator = wire.MsgCoordinator
	MsgRequest     = wire.MsgRequest
	MsgAssign      = wire.MsgAssign
	MsgDone        = wire.MsgDone
	MsgMissing     = wire.MsgMissing
	MsgUnassigned  = wire.MsgUnassigned
	MsgResponse    = wire.MsgResponse
	MsgSyncReq     = wire.MsgSyncReq
	MsgSyncResp    = wire.MsgSyncResp
	MsgTableOp     = wire.MsgTableOp
	MsgTableUpdate = wire.MsgTableUpdate
	MsgTableResult = wire.MsgTableResult
	MsgTableSync   = wire.MsgTableSync
	MsgTableCopy   = wire.MsgTableCopy
	MsgRaft        = wire.MsgRaft
	MsgCtlFail     = wire.MsgCtlFail
	MsgCtlStatus   = wire.MsgCtlStatus
	MsgCtlShutdown = wire.MsgCtlShutdown
	MsgCtlReply    = wire.MsgCtlReply

	RolePeer    = wire.RolePeer
	RoleClient  = wire.RoleClient
	RoleControl = wire.RoleControl

	CodeRejected    = wire.CodeRejected
	CodeUnavailable = wire.CodeUnavailable

	KindEncrypt    = wire.KindEncrypt
	KindView       = wire.KindView
	KindRegister   = wire.KindRegister
	KindUnregister = wire.KindUnregister
	KindOnline     = wire.KindOnline

	StateActive     = wire.StateActive
	StateFailed     = wire.StateFailed
	StateRecovering = wire.StateRecovering
)

// AppendFrame appends m's frame to dst (wire.AppendFrame).
func AppendFrame(dst []byte, m *Message) ([]byte, error) { return wire.AppendFrame(dst, m) }

// WriteFrame writes m's frame to w (wire.WriteFrame).
func WriteFrame(w io.Writer, m *Message) error { return wire.WriteFrame(w, m) }

// NewFrameReader reads frames of at most maxFrame bytes from r
// (wire.NewFrameReader).
func NewFrameReader(r io.Reader, maxFrame int) *FrameReader { return wire.NewFrameReader(r, maxFrame) }

// ParsePeers parses the "id=host:port,…" form (wire.ParsePeers).
func ParsePeers(s string) (Peers, error) { return wire.ParsePeers(s) }

// NewInmemNetwork returns an empty in-process network (wire.NewInmemNetwork).
func NewInmemNetwork() *InmemNetwork { return wire.NewInmemNetwork() }

const (
	maxIDLen  = wire.MaxIDLen
	maxNodeID = wire.MaxNodeID
	ioTimeout = wire.IOTimeout
)

// The client.
type (
	Client       = client.Client
	ClientConfig = client.Config
	ClientStats  = client.Stats
	Reply        = client.Reply
	RequestError = client.RequestError
	ViewResult   = client.ViewResult
	ChangeResult = client.ChangeResult
	OnlineResult = client.OnlineResult
	Outcome      = client.Outcome
	Peer         = client.Peer
)

// NewClient checks cfg and starts connecting to every node in the
// background (client.New).
func NewClient(cfg ClientConfig) (*Client, error) { return client.New(cfg) }
