package wire

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"stegocloud/cluster/table"
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

// Valid reports whether s is one of the node states.
func (s NodeState) Valid() bool {
	return s == StateActive || s == StateFailed || s == StateRecovering
}

// Validate checks that m is a message a node may act on: a known type with the
// fields that type needs, ids in range, and a body only where one belongs. It
// is the single gate between untrusted bytes and the state machine.
func (m *Message) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%s message: %s: %w", m.Type, fmt.Sprintf(format, a...), ErrProtocol)
	}
	if m.From < 0 || m.From > MaxNodeID || m.To < 0 || m.To > MaxNodeID ||
		m.Coordinator < 0 || m.Coordinator > MaxNodeID || m.Assignee < 0 || m.Assignee > MaxNodeID {
		return bad("node id out of range 1..%d", MaxNodeID)
	}
	if m.MaxFrame < 0 {
		return bad("negative max_frame %d", m.MaxFrame)
	}
	if len(m.ID) > MaxIDLen {
		return bad("request id of %d bytes, limit %d", len(m.ID), MaxIDLen)
	}
	if m.State != "" && !m.State.Valid() {
		return bad("unknown state %q", m.State)
	}
	for _, id := range m.Done {
		if id == "" || len(id) > MaxIDLen {
			return bad("bad done id %.20q", id)
		}
	}
	if len(m.Body) > 0 && m.Type != MsgRequest && m.Type != MsgResponse && m.Type != MsgSyncResp && m.Type != MsgTableCopy && m.Type != MsgRaft {
		return bad("unexpected body of %d bytes", len(m.Body))
	}
	if err := m.validateTable(); err != nil {
		return bad("%v", err)
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
		if m.ID == "" || m.Attempt < 1 {
			return bad("needs id and attempt ≥ 1")
		}
		return m.validateRequest()
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
	case MsgTableOp:
		if m.ID == "" || m.Op == nil {
			return bad("needs id and op")
		}
		return needFrom()
	case MsgTableUpdate:
		if m.Op == nil || m.Result == nil || m.Table == nil || m.Table.Seq == 0 || m.Table.Epoch != m.CoordEpoch || m.CoordEpoch == 0 {
			return bad("needs op, result, coordinator epoch and a position in it")
		}
		return needFrom()
	case MsgTableResult:
		if m.ID == "" || m.Result == nil {
			return bad("needs id and result")
		}
		return needFrom()
	case MsgTableSync:
		return needFrom()
	case MsgTableCopy:
		if m.CoordEpoch == 0 || m.Table == nil || len(m.Body) == 0 {
			return bad("needs coordinator epoch, position and the table")
		}
		return needFrom()
	case MsgRaft:
		if len(m.Body) == 0 || m.ID != "" || m.Op != nil || m.Result != nil || m.Table != nil {
			return bad("needs a raft message as body, and no request, op, result or position")
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

// validateRequest checks a request's kind and the fields it needs: an
// encrypt request carries metadata and a cover, a view the viewer and the
// image, register a user and an address, unregister a user, online
// nothing. Nothing else may ride along.
func (m *Message) validateRequest() error {
	need := func(ok bool, what string) error {
		if !ok {
			return fmt.Errorf("%s request: %s: %w", kindName(m.Kind), what, ErrProtocol)
		}
		return nil
	}
	switch m.Kind {
	case KindEncrypt:
		return need(m.Meta != nil && m.User == "" && m.Addr == "", "needs meta, and no user or address")
	case KindView:
		return need(m.Meta == nil && m.User != "" && m.Addr == "" && len(m.Body) > 0, "needs user and image, and no meta or address")
	case KindRegister:
		return need(m.Meta == nil && m.User != "" && m.Addr != "" && len(m.Body) == 0, "needs user and address only")
	case KindUnregister:
		return need(m.Meta == nil && m.User != "" && m.Addr == "" && len(m.Body) == 0, "needs user only")
	case KindOnline:
		return need(m.Meta == nil && m.User == "" && m.Addr == "" && len(m.Body) == 0, "takes no user, address or body")
	}
	return fmt.Errorf("request kind %.32q: unknown: %w", m.Kind, ErrProtocol)
}

func kindName(k string) string {
	if k == KindEncrypt {
		return "encrypt"
	}
	return k
}

// validateTable checks the table fields wherever they appear: names and
// addresses within the table's limits, ops that the table would accept,
// results that decode as results, positions in range.
func (m *Message) validateTable() error {
	if m.User != "" {
		if err := checkName("user", m.User, table.MaxNameLen); err != nil {
			return err
		}
	}
	if m.Addr != "" {
		if err := checkName("addr", m.Addr, table.MaxAddrLen); err != nil {
			return err
		}
	}
	if m.Op != nil {
		if err := m.Op.Validate(); err != nil {
			return err
		}
	}
	if m.Result != nil {
		b, err := json.Marshal(m.Result)
		if err == nil {
			_, err = table.DecodeResult(b)
		}
		if err != nil {
			return err
		}
	}
	if m.Applier < 0 || m.Applier > MaxNodeID {
		return fmt.Errorf("applier %d out of range", m.Applier)
	}
	return nil
}

// checkName accepts what table ops accept: non-empty valid UTF-8 of at most
// max bytes without control characters.
func checkName(field, s string, max int) error {
	switch {
	case len(s) > max:
		return fmt.Errorf("%s of %d bytes, limit %d", field, len(s), max)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%s contains control character %U", field, r)
		}
	}
	return nil
}
