package cluster

import "time"

// member reports whether id is one of the configured nodes (this one
// included). Membership is the --peers list: a node never follows, assigns
// to or believes a node outside it.
func (m *Machine) member(id int) bool {
	return id == m.id || m.peers[id] != nil
}

// inadmissible says why a message from a known peer must be dropped whole,
// or "" to accept it: an epoch beyond the sane bound (see saneEpoch), or an
// assignment to a node that is not a member. A decision naming a non-member
// is refused later, in adopt, so that the rest of a heartbeat still counts.
func (m *Machine) inadmissible(msg *Message) string {
	if !m.saneEpoch(msg.Epoch) || !m.saneEpoch(msg.CoordEpoch) {
		return "epoch beyond bound"
	}
	if msg.Type == MsgAssign && !m.member(msg.Assignee) {
		return "assignee is not a member"
	}
	return ""
}

// reject reports a refused message or decision in a reject event, once per
// peer, epoch and reason, so that a peer repeating itself (a heartbeat
// relaying the same decision every period) does not flood the log.
func (m *Machine) reject(now time.Time, peer int, epoch uint64, coord int, reason string) {
	key := rejectKey{peer: peer, epoch: epoch, reason: reason}
	if m.rejected == key {
		return
	}
	m.rejected = key
	m.emit(now, Event{Type: EvReject, Peer: peer, Epoch: epoch, Coordinator: coord, Reason: reason})
}

type rejectKey struct {
	peer   int
	epoch  uint64
	reason string
}
