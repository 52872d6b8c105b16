package cluster

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"time"

	"stegocloud/cluster/wire"
	"stegocloud/internal/pki"
)

// peerTypes are the messages a peer connection may carry; anything else on
// it is a protocol error.
var peerTypes = append([]MsgType{MsgHeartbeat, MsgElection, MsgOK, MsgCoordinator, MsgAssign, MsgDone, MsgMissing, MsgUnassigned, MsgSyncReq, MsgSyncResp}, storeTypes...)

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
		ic, refusal := n.conns.add(c)
		if ic == nil {
			c.Close()
			if n.runCtx.Err() != nil {
				return
			}
			n.refuse(refusal)
			continue
		}
		n.wg.Go(func() {
			defer n.conns.remove(ic)
			n.serveConn(ic)
		})
	}
}

// refuse counts a connection refused for reason and logs the refusals at
// most once a second.
func (n *Node) refuse(reason string) {
	if counts := n.refused.note(reason, time.Now()); counts != nil {
		for r, k := range counts {
			n.log.Warn("refused connections", "reason", r, "count", k)
		}
	}
}

// serveConn runs the TLS handshake (when configured) and reads the hello
// that says who is calling, within the handshake timeout and a small frame
// limit; checks that the certificate allows that role and that the role has
// room; then runs the role's loop. Whatever goes wrong ends this connection
// only.
func (n *Node) serveConn(ic *inConn) {
	var c net.Conn = ic.conn
	c.SetDeadline(time.Now().Add(n.cfg.HandshakeTimeout))
	var who *pki.Identity
	if n.serverTLS != nil {
		tc := tls.Server(c, n.serverTLS)
		if err := tc.HandshakeContext(n.runCtx); err != nil {
			n.protocolError(0, fmt.Errorf("tls handshake: %v: %w", err, ErrUnauthorized))
			return
		}
		id, err := pki.PeerIdentity(tc.ConnectionState())
		if err != nil { // VerifyConnection already checked it
			n.protocolError(0, fmt.Errorf("tls: %v: %w", err, ErrUnauthorized))
			return
		}
		who, c = &id, tc
	}
	fr := wire.NewFrameReaderSize(c, helloFrameLimit, connBuffer)
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
	if err := n.admit(hello, who); err != nil {
		n.protocolError(hello.From, err)
		if hello.Role == RoleControl {
			n.answerControl(c, Message{Type: MsgCtlReply, From: n.cfg.ID, Error: err.Error()})
		}
		return
	}
	if !n.conns.identify(ic, hello.Role, hello.From) {
		n.refuse("too many " + hello.Role + " connections")
		return
	}
	c.SetDeadline(time.Time{})
	ic.heard.Store(true)
	switch hello.Role {
	case RolePeer:
		// The peer is (back) up: our link to it need not wait out its backoff.
		n.links[hello.From].Poke()
		fr.SetLimit(n.cfg.MaxFrame)
		n.readPeer(fr, ic)
	case RoleClient:
		fr.SetLimit(n.cfg.MaxFrame)
		limit := int64(n.cfg.MaxFrame)
		if hello.MaxFrame > 0 {
			limit = hello.MaxFrame
		}
		n.readClient(fr, newClientConn(c, ic, limit, n))
	case RoleControl:
		fr.SetLimit(controlFrameLimit)
		n.readControl(fr, c, ic)
	}
}

// admit checks that the hello may open its role: a peer must be one of this
// node's peers, and with TLS the certificate must prove the identity the
// role needs (node N for peer N, a client identity for client, a control
// identity for control).
func (n *Node) admit(hello Message, who *pki.Identity) error {
	if hello.Role == RolePeer {
		if _, ok := n.links[hello.From]; !ok {
			return fmt.Errorf("hello from node %d, not a peer: %w", hello.From, ErrProtocol)
		}
	}
	if who == nil {
		return nil
	}
	var ok bool
	switch hello.Role {
	case RolePeer:
		ok = *who == pki.Node(hello.From)
	case RoleClient:
		ok = who.Role == pki.RoleClient
	case RoleControl:
		ok = who.Role == pki.RoleControl
	}
	if !ok {
		what := hello.Role
		if hello.Role == RolePeer {
			what = fmt.Sprintf("peer %d", hello.From)
		}
		return fmt.Errorf("hello as %s from a connection that proved %s: %w", what, who, ErrUnauthorized)
	}
	return nil
}

func (n *Node) readPeer(fr *FrameReader, ic *inConn) {
	from := ic.peer
	for {
		msg, err := fr.Read()
		if err != nil {
			n.connEnded(ic, from, err)
			if n.runCtx.Err() == nil {
				n.post(input{kind: inLost, from: from})
			}
			return
		}
		ic.heard.Store(true)
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
			n.connEnded(cc.in, 0, err)
			return
		}
		cc.in.heard.Store(true)
		if msg.Type != MsgRequest {
			n.protocolError(0, fmt.Errorf("%s on a client connection: %w", msg.Type, ErrProtocol))
			return
		}
		n.count.add(dirRecv, msg.Type, 1)
		if n.failed.Load() {
			n.count.add(dirDrop, msg.Type, 1)
			continue
		}
		if n.refuseTooLarge(cc, msg) {
			continue
		}
		if !n.post(input{kind: inClient, msg: msg, reply: cc}) {
			return
		}
	}
}

// readControl answers control requests; they work in every state, Failed
// included, since they are how the harness injects and ends failures.
func (n *Node) readControl(fr *FrameReader, c net.Conn, ic *inConn) {
	for {
		msg, err := fr.Read()
		if err != nil {
			n.connEnded(ic, 0, err)
			return
		}
		ic.heard.Store(true)
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
		if !n.answerControl(c, reply) {
			return
		}
		if msg.Type == MsgCtlShutdown {
			n.log.Info("shutting down on request")
			n.stop()
			return
		}
	}
}

func (n *Node) answerControl(c net.Conn, reply Message) bool {
	c.SetWriteDeadline(time.Now().Add(ioTimeout))
	if err := WriteFrame(c, &reply); err != nil {
		n.log.Debug("cannot answer control request", "err", err)
		return false
	}
	n.count.add(dirSent, MsgCtlReply, 1)
	return true
}

// connEnded logs why a connection's reader stopped; only real protocol
// violations are protocol errors, a closed connection is not.
func (n *Node) connEnded(ic *inConn, peer int, err error) {
	if r := ic.reason.Load(); r != nil && n.runCtx.Err() == nil {
		n.log.Info("closed connection", "role", ic.role, "peer", peer, "reason", *r)
		return
	}
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
