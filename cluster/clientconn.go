package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"stegocloud/stego"
)

// clientQueueBytes bounds the responses waiting for one client that reads
// slowly; one response is always accepted, however large.
const clientQueueBytes = 32 << 20

var (
	errClientGone   = errors.New("client connection closed")
	errClientBehind = errors.New("client reads too slowly: response queue full")
)

// clientConn is the way back to a client. send never waits for the network:
// frames queue (bounded by clientQueueBytes) and a writer goroutine, which
// runs only while frames wait, writes them one at a time, each within
// ioTimeout. A stalled client thus costs its own queue, never the goroutines
// that serve other requests.
type clientConn struct {
	conn     net.Conn
	in       *inConn
	maxFrame int64 // the client's largest accepted response frame
	node     *Node

	mu      sync.Mutex
	queue   [][]byte
	queued  int
	writing bool
	dead    bool
}

func newClientConn(c net.Conn, in *inConn, maxFrame int64, n *Node) *clientConn {
	return &clientConn{conn: c, in: in, maxFrame: maxFrame, node: n}
}

// send queues m for the client; an error means it was dropped.
func (cc *clientConn) send(m *Message) error {
	b, err := AppendFrame(nil, m)
	if err != nil {
		return err
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	switch {
	case cc.dead:
		return errClientGone
	case cc.queued > 0 && cc.queued+len(b) > clientQueueBytes:
		return errClientBehind
	}
	cc.queue = append(cc.queue, b)
	cc.queued += len(b)
	if !cc.writing {
		cc.writing = true
		cc.node.wg.Go(cc.drain)
	}
	return nil
}

func (cc *clientConn) drain() {
	for {
		cc.mu.Lock()
		if len(cc.queue) == 0 || cc.dead {
			dropped := len(cc.queue)
			cc.queue, cc.queued, cc.writing = nil, 0, false
			cc.mu.Unlock()
			cc.node.count.add(dirDrop, MsgResponse, int64(dropped))
			return
		}
		b := cc.queue[0]
		cc.queue[0] = nil
		cc.queue = cc.queue[1:]
		cc.mu.Unlock()
		cc.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
		_, err := cc.conn.Write(b)
		cc.mu.Lock()
		cc.queued -= len(b)
		if err != nil {
			cc.dead = true
			cc.conn.Close()
		}
		cc.mu.Unlock()
		if err != nil {
			cc.node.count.add(dirDrop, MsgResponse, 1)
			cc.node.log.Debug("response lost", "err", err)
		} else {
			cc.node.count.add(dirSent, MsgResponse, 1)
		}
	}
}

// answer queues a response and counts a drop.
func (n *Node) answer(cc *clientConn, resp *Message) {
	if err := cc.send(resp); err != nil {
		n.count.add(dirDrop, MsgResponse, 1)
		n.log.Debug("response lost", "req", resp.ID, "err", err)
	}
}

// refuseTooLarge answers at once, with a rejection, a request whose answer
// could not fit in the client's frame limit (judged from the cover's header
// by the service, when it can): serving it would cost a full decode and
// encode whose result the client then drops. Every node decides alike, so
// the client hears the same reason from each.
func (n *Node) refuseTooLarge(cc *clientConn, msg Message) bool {
	b, ok := n.svc.(Bounder)
	if !ok {
		return false
	}
	err := b.CheckFits(msg.Body, cc.maxFrame-responseOverhead)
	if err == nil {
		return false
	}
	n.log.Info("refusing request up front", "req", msg.ID, "reason", err)
	n.answer(cc, &Message{Type: MsgResponse, From: n.cfg.ID, ID: msg.ID, Attempt: msg.Attempt, Error: wireError(err), Code: CodeRejected})
	return true
}

// wireError is an error's text for a response: without the "request
// rejected" prefix, which the code says and the client adds back.
func wireError(err error) string {
	return strings.TrimPrefix(err.Error(), ErrRejected.Error()+": ")
}

// responseOverhead is room for a response frame's prefix and header.
const responseOverhead = 4 << 10

// startServe runs the service for one request in its own goroutine (the
// seed's task per request) and answers the client, unless the node failed
// meanwhile: a Failed node sends nothing. The answer goes to the connection
// the latest copy of the request came by: a client that retried on a new
// connection is not answered on the old one.
func (n *Node) startServe(o ServeOrder) {
	ctx, cancel := context.WithCancel(n.runCtx)
	n.serveSeq++
	token := n.serveSeq
	n.serves[o.ID] = serveHandle{cancel: cancel, token: token}
	started, _ := o.ReplyTo.(*clientConn)
	if started != nil {
		started.in.busy.Add(1)
	}
	n.wg.Go(func() {
		if started != nil {
			defer started.in.busy.Add(-1)
		}
		start := time.Now()
		img, meta, err := n.serve(ctx, o)
		res := ServeResult{Duration: time.Since(start)}
		if ctx.Err() != nil {
			return // abandoned (Failed) or stopping: the loop already forgot it
		}
		if o.Kind == KindView && err == nil {
			// The metadata goes to the table; the machine answers the
			// client once the coordinator's result is back.
			res.Meta = &meta
			n.post(input{kind: inServed, id: o.ID, res: res, token: token})
			return
		}
		resp := Message{Type: MsgResponse, From: n.cfg.ID, ID: o.ID, Attempt: o.Attempt, Duration: res.Duration, Body: img}
		if err != nil {
			res.Err = err.Error()
			resp.Body, resp.Error, resp.Code = nil, wireError(err), CodeUnavailable
			if errors.Is(err, ErrRejected) {
				resp.Code = CodeRejected
			}
		}
		// Done first, reply second: the coordinator should count this node
		// free before the client's next request can reach it, or
		// lowest-load would see stale counts and lean on the coordinator.
		reply := started
		ack := make(chan struct{})
		if !n.post(input{kind: inServed, id: o.ID, res: res, token: token, ack: ack, replyTo: &reply}) {
			return
		}
		select {
		case <-ack:
		case <-n.runCtx.Done():
			return
		}
		if reply != nil && !n.failed.Load() {
			n.answer(reply, &resp)
		}
	})
}

// serve runs the service for one order: hide the metadata (encrypt) or
// reveal it (view).
func (n *Node) serve(ctx context.Context, o ServeOrder) ([]byte, stego.Metadata, error) {
	if o.Kind != KindView {
		img, err := n.svc.Serve(ctx, o.Cover, o.Meta)
		return img, stego.Metadata{}, err
	}
	r, ok := n.svc.(Revealer)
	if !ok {
		return nil, stego.Metadata{}, fmt.Errorf("node %d cannot reveal images", n.cfg.ID)
	}
	m, err := r.Reveal(ctx, o.Cover)
	return nil, m, err
}

// latestReply is the connection the latest copy of request id arrived by.
func (n *Node) latestReply(id string) *clientConn {
	cc, _ := n.m.ReplyTo(id).(*clientConn)
	return cc
}
