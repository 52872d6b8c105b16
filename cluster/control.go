package cluster

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"stegocloud/internal/pki"
)

// Control talks to nodes the way the harness does: fail silently, report
// status, shut down. Only control connections can do this, and a Failed node
// still answers them. The zero value uses TCP.
type Control struct {
	Transport Transport        // nil: TCPTransport
	MaxFrame  int              // largest reply accepted; 0: 1 MiB
	TLS       *pki.Credentials // a control identity (pki.LoadControl): mutual TLS; nil: plaintext
}

// FailFor makes the node at addr fail silently for d, then recover.
func FailFor(ctx context.Context, addr string, d time.Duration) error {
	return Control{}.FailFor(ctx, addr, d)
}

// Status asks the node at addr for its status.
func Status(ctx context.Context, addr string) (NodeStatus, error) {
	return Control{}.Status(ctx, addr)
}

// Shutdown stops the node at addr cleanly (its events are flushed).
func Shutdown(ctx context.Context, addr string) error {
	return Control{}.Shutdown(ctx, addr)
}

// FailFor makes the node at addr fail silently for d, then recover.
func (c Control) FailFor(ctx context.Context, addr string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("%w: fail duration must be positive, got %v", ErrConfig, d)
	}
	_, err := c.call(ctx, addr, Message{Type: MsgCtlFail, Duration: d})
	return err
}

// Status asks the node at addr for its status.
func (c Control) Status(ctx context.Context, addr string) (NodeStatus, error) {
	reply, err := c.call(ctx, addr, Message{Type: MsgCtlStatus})
	if err != nil {
		return NodeStatus{}, err
	}
	if reply.Status == nil {
		return NodeStatus{}, fmt.Errorf("status of %s: reply without status: %w", addr, ErrControl)
	}
	return *reply.Status, nil
}

// Shutdown stops the node at addr cleanly.
func (c Control) Shutdown(ctx context.Context, addr string) error {
	_, err := c.call(ctx, addr, Message{Type: MsgCtlShutdown})
	return err
}

// call sends one control request on a fresh connection and reads the reply.
func (c Control) call(ctx context.Context, addr string, req Message) (Message, error) {
	tr := c.Transport
	if tr == nil {
		tr = TCPTransport{}
	}
	maxFrame := c.MaxFrame
	if maxFrame == 0 {
		maxFrame = 1 << 20
	}
	conn, err := tr.Dial(ctx, addr)
	if err != nil {
		return Message{}, fmt.Errorf("%s to %s: %w", req.Type, addr, err)
	}
	defer conn.Close()
	if c.TLS != nil {
		tc := tls.Client(conn, c.TLS.ClientConfig(nil))
		if err := tc.HandshakeContext(ctx); err != nil {
			return Message{}, fmt.Errorf("%s to %s: tls: %w", req.Type, addr, err)
		}
		conn = tc
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if err := writeFrames(conn, Message{Type: MsgHello, Role: RoleControl}, req); err != nil {
		return Message{}, fmt.Errorf("%s to %s: %w", req.Type, addr, err)
	}
	reply, err := NewFrameReader(conn, maxFrame).Read()
	if err != nil {
		// With TLS 1.3 a node's refusal of our certificate arrives here,
		// as the first read, not from the handshake.
		return Message{}, fmt.Errorf("%s to %s: reading reply: %w", req.Type, addr, err)
	}
	if reply.Type != MsgCtlReply || reply.Error != "" {
		return Message{}, fmt.Errorf("%s to %s: %s %s: %w", req.Type, addr, reply.Type, reply.Error, ErrControl)
	}
	return reply, nil
}

func writeFrames(conn net.Conn, msgs ...Message) error {
	var b []byte
	for i := range msgs {
		var err error
		if b, err = AppendFrame(b, &msgs[i]); err != nil {
			return err
		}
	}
	_, err := conn.Write(b)
	return err
}
