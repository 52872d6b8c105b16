package cluster

import (
	"fmt"
)

// NodeState is a node's place in the seed's life cycle:
// Active → Failed → Recovering → Active.
type NodeState string

// The node states.
const (
	StateActive     NodeState = "active"
	StateFailed     NodeState = "failed"
	StateRecovering NodeState = "recovering"
)

func (s NodeState) valid() bool {
	return s == StateActive || s == StateFailed || s == StateRecovering
}

// Validate checks that m is a message a node may act on: a known type with the
// fields that type needs, ids in range, and a body only where one belongs. It
// is the single gate between untrusted bytes and the state machine.
func (m *Message) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%s message: %s: %w", m.Type, fmt.Sprintf(format, a...), ErrProtocol)
	}
	if m.From < 0 || m.From > maxNodeID || m.To < 0 || m.To > maxNodeID ||
		m.Coordinator < 0 || m.Coordinator > maxNodeID || m.Assignee < 0 || m.Assignee > maxNodeID {
		return bad("node id out of range 1..%d", maxNodeID)
	}
	if m.MaxFrame < 0 {
		return bad("negative max_frame %d", m.MaxFrame)
	}
	if len(m.ID) > maxIDLen {
		return bad("request id of %d bytes, limit %d", len(m.ID), maxIDLen)
	}
	if m.State != "" && !m.State.valid() {
		return bad("unknown state %q", m.State)
	}
	for _, id := range m.Done {
		if id == "" || len(id) > maxIDLen {
			return bad("bad done id %.20q", id)
		}
	}
	if len(m.Body) > 0 && m.Type != MsgRequest && m.Type != MsgResponse {
		return bad("unexpected body of %d bytes", len(m.Body))
	}
	needFrom := func() error {
		if m.From == 0 {
			return bad("missing sender")
		}
		return nil
	}
	switch m.Type {
	case MsgHello:
		switch m.Role {
		case RolePeer:
			return needFrom()
		case RoleClient, RoleControl:
			return nil
		}
		return bad("unknown role %q", m.Role)
	case MsgHeartbeat, MsgSyncReq, MsgSyncResp:
		return needFrom()
	case MsgElection, MsgOK:
		if m.Epoch == 0 {
			return bad("missing epoch")
		}
		return needFrom()
	case MsgCoordinator:
		if m.CoordEpoch == 0 || m.Coordinator == 0 {
			return bad("missing epoch or coordinator")
		}
		return needFrom()
	case MsgRequest:
		if m.ID == "" || m.Meta == nil || m.Attempt < 1 {
			return bad("needs id, meta and attempt ≥ 1")
		}
		return nil
	case MsgAssign:
		if m.ID == "" || m.Assignee == 0 || m.CoordEpoch == 0 {
			return bad("needs id, assignee and coordinator epoch")
		}
		return needFrom()
	case MsgDone:
		if len(m.Done) == 0 {
			return bad("no ids")
		}
		return needFrom()
	case MsgMissing, MsgUnassigned:
		if m.ID == "" {
			return bad("missing id")
		}
		return needFrom()
	case MsgResponse:
		if m.ID == "" {
			return bad("missing id")
		}
		return needFrom()
	case MsgCtlFail:
		if m.Duration <= 0 {
			return bad("duration must be positive")
		}
		return nil
	case MsgCtlStatus, MsgCtlShutdown, MsgCtlReply:
		return nil
	}
	return fmt.Errorf("message type %.32q: unknown: %w", m.Type, ErrProtocol)
}
