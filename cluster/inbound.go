package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"
)

// peerTypes are the messages a peer connection may carry; anything else on
// it is a protocol error.
var peerTypes = []MsgType{MsgHeartbeat, MsgElection, MsgOK, MsgCoordinator, MsgAssign, MsgDone, MsgMissing, MsgSyncReq, MsgSyncResp}

func (n *Node) acceptLoop(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || n.runCtx.Err() != nil {
				return
			}
			n.log.Warn("accept failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !n.track(c) {
			c.Close()
			return
		}
		n.wg.Go(func() {
			defer n.untrack(c)
			n.serveConn(c)
		})
	}
}

func (n *Node) track(c net.Conn) bool {
	n.connMu.Lock()
	defer n.connMu.Unlock()
	if n.closed {
		return false
	}
	n.conns[c] = struct{}{}
	return true
}

func (n *Node) untrack(c net.Conn) {
	c.Close()
	n.connMu.Lock()
	delete(n.conns, c)
	n.connMu.Unlock()
}

func (n *Node) closeConns() {
	n.connMu.Lock()
	defer n.connMu.Unlock()
	n.closed = true
	for c := range n.conns {
		c.Close()
	}
}

// serveConn reads the hello that says who is calling, then the role's loop.
// Whatever goes wrong ends this connection only.
func (n *Node) serveConn(c net.Conn) {
	fr := NewFrameReader(c, n.cfg.MaxFrame)
	c.SetReadDeadline(time.Now().Add(n.cfg.HandshakeTimeout))
	hello, err := fr.Read()
	if err != nil {
		n.protocolError(0, fmt.Errorf("no hello within %v: %w", n.cfg.HandshakeTimeout, err))
		return
	}
	if hello.Type != MsgHello {
		n.protocolError(hello.From, fmt.Errorf("first frame is %s, want hello: %w", hello.Type, ErrProtocol))
		return
	}
	n.count.add(dirRecv, MsgHello, 1)
	c.SetReadDeadline(time.Time{})
	switch hello.Role {
	case RolePeer:
		if _, ok := n.links[hello.From]; !ok {
			n.protocolError(hello.From, fmt.Errorf("hello from node %d, not a peer: %w", hello.From, ErrProtocol))
			return
		}
		// The peer is (back) up: our link to it need not wait out its backoff.
		n.links[hello.From].poke()
		n.readPeer(fr, hello.From)
	case RoleClient:
		n.readClient(fr, &clientConn{conn: c})
	case RoleControl:
		n.readControl(fr, c)
	}
}

func (n *Node) readPeer(fr *FrameReader, from int) {
	for {
		msg, err := fr.Read()
		if err != nil {
			n.connEnded(from, err)
			if n.runCtx.Err() == nil {
				n.post(input{kind: inLost, from: from})
			}
			return
		}
		if !slices.Contains(peerTypes, msg.Type) || msg.From != from {
			n.protocolError(from, fmt.Errorf("%s from %d on the connection of peer %d: %w", msg.Type, msg.From, from, ErrProtocol))
			return
		}
		n.count.add(dirRecv, msg.Type, 1)
		if n.failed.Load() {
			n.count.add(dirDrop, msg.Type, 1)
			continue
		}
		if !n.post(input{kind: inPeer, msg: msg}) {
			return
		}
	}
}

func (n *Node) readClient(fr *FrameReader, cc *clientConn) {
	for {
		msg, err := fr.Read()
		if err != nil {
			n.connEnded(0, err)
			return
		}
		if msg.Type != MsgRequest {
			n.protocolError(0, fmt.Errorf("%s on a client connection: %w", msg.Type, ErrProtocol))
			return
		}
		n.count.add(dirRecv, msg.Type, 1)
		if n.failed.Load() {
			n.count.add(dirDrop, msg.Type, 1)
			continue
		}
		if !n.post(input{kind: inClient, msg: msg, reply: cc}) {
			return
		}
	}
}

// readControl answers control requests; they work in every state, Failed
// included, since they are how the harness injects and ends failures.
func (n *Node) readControl(fr *FrameReader, c net.Conn) {
	for {
		msg, err := fr.Read()
		if err != nil {
			n.connEnded(0, err)
			return
		}
		n.count.add(dirRecv, msg.Type, 1)
		var reply Message
		switch msg.Type {
		case MsgCtlShutdown:
			reply = Message{Type: MsgCtlReply, From: n.cfg.ID}
		case MsgCtlFail, MsgCtlStatus:
			call := ctlCall{msg: msg, reply: make(chan Message, 1)}
			select {
			case n.ctl <- call:
				reply = <-call.reply
			case <-n.runCtx.Done():
				return
			}
		default:
			n.protocolError(0, fmt.Errorf("%s on a control connection: %w", msg.Type, ErrProtocol))
			return
		}
		c.SetWriteDeadline(time.Now().Add(ioTimeout))
		if err := WriteFrame(c, &reply); err != nil {
			n.log.Debug("cannot answer control request", "err", err)
			return
		}
		n.count.add(dirSent, MsgCtlReply, 1)
		if msg.Type == MsgCtlShutdown {
			n.log.Info("shutting down on request")
			n.stop()
			return
		}
	}
}

// connEnded logs why a connection's reader stopped; only real protocol
// violations are protocol errors, a closed connection is not.
func (n *Node) connEnded(peer int, err error) {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), n.runCtx.Err() != nil:
		n.log.Debug("connection closed", "peer", peer)
	case errors.Is(err, ErrProtocol), errors.Is(err, ErrFrameTooLarge), errors.Is(err, ErrTruncated):
		n.protocolError(peer, err)
	default:
		n.log.Debug("connection failed", "peer", peer, "err", err)
	}
}

func (n *Node) protocolError(peer int, err error) {
	n.log.Warn("closing connection", "peer", peer, "reason", err)
	n.events.Emit(Event{Node: n.cfg.ID, Type: EvProtocolError, Peer: peer, Reason: err.Error()})
}

// clientConn is the way back to a client: responses are written by the
// goroutine that served the request, one at a time.
type clientConn struct {
	mu   sync.Mutex
	conn net.Conn
}

func (cc *clientConn) send(m *Message) error {
	b, err := AppendFrame(nil, m)
	if err != nil {
		return err
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
	if _, err := cc.conn.Write(b); err != nil {
		cc.conn.Close()
		return fmt.Errorf("answering client: %w", err)
	}
	return nil
}

// startServe runs the service for one request in its own goroutine (the
// seed's task per request) and answers the client, unless the node failed
// meanwhile: a Failed node sends nothing.
func (n *Node) startServe(o ServeOrder) {
	ctx, cancel := context.WithCancel(n.runCtx)
	n.serveSeq++
	token := n.serveSeq
	n.serves[o.ID] = serveHandle{cancel: cancel, token: token}
	n.wg.Go(func() {
		start := time.Now()
		img, err := n.svc.Serve(ctx, o.Cover, o.Meta)
		res := ServeResult{Duration: time.Since(start)}
		if ctx.Err() != nil {
			return // abandoned (Failed) or stopping: the loop already forgot it
		}
		resp := Message{Type: MsgResponse, From: n.cfg.ID, ID: o.ID, Attempt: o.Attempt, Duration: res.Duration, Body: img}
		if err != nil {
			res.Err = err.Error()
			resp.Body, resp.Error, resp.Code = nil, err.Error(), CodeUnavailable
			if errors.Is(err, ErrRejected) {
				resp.Code = CodeRejected
			}
		}
		// Done first, reply second: the coordinator should count this node
		// free before the client's next request can reach it, or
		// lowest-load would see stale counts and lean on the coordinator.
		ack := make(chan struct{})
		if !n.post(input{kind: inServed, id: o.ID, res: res, token: token, ack: ack}) {
			return
		}
		select {
		case <-ack:
		case <-n.runCtx.Done():
			return
		}
		if cc, ok := o.ReplyTo.(*clientConn); ok && cc != nil && !n.failed.Load() {
			if err := cc.send(&resp); err != nil {
				n.count.add(dirDrop, MsgResponse, 1)
				n.log.Debug("response lost", "req", o.ID, "err", err)
			} else {
				n.count.add(dirSent, MsgResponse, 1)
			}
		}
	})
}
