package cluster

import (
	"slices"
	"time"

	"stegocloud/cluster/table"
)

// Table requests ride the request path (requests.go): every node holds the
// client's copy, the coordinator assigns, a failed assignee's work is
// reassigned. What differs is what the assignee does and when the request
// is done:
//
//   - view: the assignee reveals the image's metadata (the service, in a
//     serving slot, like an encrypt), builds table.View from it and hands
//     the op to the store;
//   - register, unregister, online: no work, so the coordinator takes the
//     request itself when it holds the client's copy (no assign is sent),
//     and only a holder it must fall back on receives an assign;
//   - the request is done, everywhere, when the coordinator's result
//     reaches each node (applied): its assignee answers the client with it.

// isDiscovery says whether kind is a discovery op: no work for an assignee.
func isDiscovery(kind string) bool {
	return kind == KindRegister || kind == KindUnregister || kind == KindOnline
}

// ready starts r's work now that this node must do it and holds the
// client's copy: an encrypt or a view waits for a serving slot, a discovery
// op goes to the table at once.
func (m *Machine) ready(now time.Time, r *request) {
	if !isDiscovery(r.kind) {
		r.phase = phaseQueued
		m.queue = append(m.queue, r)
		return
	}
	m.mine--
	op := table.Op{ID: tableID(r.id)}
	switch r.kind {
	case KindRegister:
		op.Register = &table.Register{User: r.user, Addr: r.addr}
	case KindUnregister:
		op.Unregister = &table.Unregister{User: r.user}
	default:
		op.Online = &table.Online{}
	}
	m.submit(now, r, op)
}

// revealed continues a view whose image this node revealed: the user is
// authorized when the metadata names them, and the table spends the view.
func (m *Machine) revealed(now time.Time, r *request, res ServeResult) {
	m.emit(now, Event{Type: EvComplete, Request: r.id, Duration: res.Duration, Epoch: m.coordEpoch, Kind: KindView})
	if r.result != nil { // the coordinator applied it already (another assignee's reveal)
		m.answer(now, r, *r.result)
		m.remove(now, r)
		return
	}
	meta := res.Meta
	m.submit(now, r, table.Op{ID: tableID(r.id), View: &table.View{
		Image: meta.ID, User: r.user, Quota: meta.Quota, Authorized: slices.Contains(meta.Usernames, r.user),
	}})
}

func (m *Machine) submit(now time.Time, r *request, op table.Op) {
	r.phase = phaseApplying
	m.store.submit(now, r.id, r.attempt, op)
}

// applied is the store reporting a table op's result: the request is done
// here. Its assignee answers the client; a reveal of it still running here
// (a reassignment raced) answers with it when it ends; every other holder
// forgets it. The node that applied it also lists it as done in its next
// heartbeat: after a read no update goes out, and a follower that lost an
// update would otherwise hold the request, image and all, until its TTL.
func (m *Machine) applied(now time.Time, a applied) {
	if a.by == m.id {
		m.doneBatch = append(m.doneBatch, a.req)
	}
	r := m.reqs[a.req]
	if r == nil {
		m.remember(now, a.req, max(a.attempt, 1)) // a late copy must not start it again
		return
	}
	switch r.phase {
	case phaseServing:
		r.result = &a
		return
	case phaseApplying:
		m.answer(now, r, a)
	}
	m.remove(now, r)
}

// answer sends the client the coordinator's result for r, naming the node
// that applied it and where.
func (m *Machine) answer(now time.Time, r *request, a applied) {
	if r.replyTo == nil {
		return
	}
	m.processed++
	res, at := a.result, a.at
	m.out.Answers = append(m.out.Answers, Answer{ReplyTo: r.replyTo, Msg: Message{
		Type: MsgResponse, From: m.id, ID: r.id, Attempt: r.attempt, Result: &res, Applier: a.by, CoordEpoch: a.epoch, Table: &at,
	}})
	e := tableEvent(EvTableAnswer, a, 0)
	e.Coordinator = a.by
	m.emit(now, e)
}
