package client

import (
	"context"
	"fmt"
	"time"

	"stegocloud/cluster/table"
	"stegocloud/cluster/wire"
)

// Peer is one online user, as Online lists them.
type Peer = table.Peer

// Outcome says how a table op went through the cluster: which node answered
// the client and which node's table applied the op (the coordinator), in
// which of its epochs and at which position of its update stream. A retry
// the table recognised answers with the first application's result but the
// position of the retry.
type Outcome struct {
	ID       string        // request id, also the op's id in the table (retries reuse it)
	Node     int           // node that answered
	Applier  int           // node whose table applied the op (online: answered it)
	Epoch    uint64        // the applier's coordinator epoch when it applied the op
	Seq      uint64        // the number of the op's update in the coordinators' stream (online: of the last update read)
	Attempts int           // sends under this id: 1 + retries
	Latency  time.Duration // from the call to the accepted answer
}

// ViewResult is View's answer. It prints as {"granted":true,"remaining":4}
// (with "reason" when not granted).
type ViewResult struct {
	Granted   bool   `json:"granted"`
	Remaining int    `json:"remaining"`
	Reason    string `json:"reason,omitempty"` // table.ReasonNotAuthorized or table.ReasonExhausted
	Outcome   `json:"-"`
}

// ChangeResult is Register's and Unregister's answer: whether the table
// changed (a user registered at a new address, or was online and now is not).
type ChangeResult struct {
	Changed bool `json:"changed"`
	Outcome `json:"-"`
}

// OnlineResult is Online's answer: every online user, sorted by user.
type OnlineResult struct {
	Peers   []Peer `json:"peers"`
	Outcome `json:"-"`
}

// View asks the cluster to spend one view of the image for user. A node
// reveals the image's metadata (with the cluster's key when sealed), the user
// is authorized when the metadata names them, and the coordinator's table
// spends the view: {granted, remaining, reason}. The request carries the
// image; img is copied before View returns. Errors: ErrRejected when no node
// could read the image's metadata (not applied); ErrTimeout when no answer
// came (the view may or may not have been spent; see NotApplied).
func (c *Client) View(ctx context.Context, img []byte, user string) (ViewResult, error) {
	x, res, err := c.tableOp(ctx, wire.Message{Kind: wire.KindView, User: user, Body: img}, func(r *table.Result) bool { return r.View != nil })
	v := ViewResult{Outcome: x}
	if err == nil {
		v.Granted, v.Remaining, v.Reason = res.View.Granted, res.View.Remaining, res.View.Reason
	}
	return v, err
}

// Register puts user online at addr in the discovery table.
func (c *Client) Register(ctx context.Context, user, addr string) (ChangeResult, error) {
	x, res, err := c.tableOp(ctx, wire.Message{Kind: wire.KindRegister, User: user, Addr: addr}, changeResult)
	return ChangeResult{Changed: res.Changed, Outcome: x}, err
}

// Unregister takes user offline in the discovery table.
func (c *Client) Unregister(ctx context.Context, user string) (ChangeResult, error) {
	x, res, err := c.tableOp(ctx, wire.Message{Kind: wire.KindUnregister, User: user}, changeResult)
	return ChangeResult{Changed: res.Changed, Outcome: x}, err
}

// Online lists the users online, as the coordinator's table has them.
func (c *Client) Online(ctx context.Context) (OnlineResult, error) {
	x, res, err := c.tableOp(ctx, wire.Message{Kind: wire.KindOnline}, func(r *table.Result) bool { return r.View == nil && !r.Changed })
	return OnlineResult{Peers: res.Peers, Outcome: x}, err
}

func changeResult(r *table.Result) bool { return r.View == nil && r.Peers == nil }

// tableOp runs one table request. An answer counts when it carries a result
// of the op's kind (fits), the node that applied it and the position; a
// result the table refused (Result.Error: a request id reused for another
// op) ends the call with ErrRejected, since nothing was applied.
func (c *Client) tableOp(ctx context.Context, req wire.Message, fits func(*table.Result) bool) (Outcome, table.Result, error) {
	if err := checkTableRequest(&req); err != nil {
		c.requests.Add(1)
		c.failed.Add(1)
		return Outcome{}, table.Result{}, &RequestError{Err: err}
	}
	x, err := c.do(ctx, req, func(resp *wire.Message) error {
		switch r := resp.Result; {
		case r == nil || resp.Applier == 0 || resp.CoordEpoch == 0 || resp.Table == nil:
			return fmt.Errorf("answer without a result, applier, epoch or position: %w", ErrInvalidResponse)
		case r.Error != "":
			return fmt.Errorf("%w by the table (node %d): %s", ErrRejected, resp.Applier, r.Error)
		case !fits(r):
			return fmt.Errorf("%s answered with a result of another kind: %w", req.Kind, ErrInvalidResponse)
		}
		return nil
	})
	out := Outcome{ID: x.ID, Node: x.Node, Attempts: x.Attempts, Latency: x.Latency}
	if err != nil {
		return out, table.Result{}, err
	}
	a := x.Answer
	out.Applier, out.Epoch, out.Seq = a.Applier, a.CoordEpoch, a.Table.Seq
	return out, *a.Result, nil
}

// checkTableRequest refuses up front, as ErrRejected, what every node would
// refuse: an empty user, address or image, names the table cannot hold.
func checkTableRequest(req *wire.Message) error {
	req.Type, req.ID, req.Attempt = wire.MsgRequest, "x", 1
	if err := req.Validate(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrRejected, req.Kind, err)
	}
	return nil
}
