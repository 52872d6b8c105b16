package analyze

import (
	"strings"

	"stegocloud/harness/rundir"
)

// Message classes (see harness/doc.go, "Messages per request").
const (
	ClassRequest   = "request"
	ClassHeartbeat = "heartbeat"
	ClassElection  = "election"
	// ClassReplication is the coordinator's state reaching the other
	// nodes: with Bully the table frames (table_op, table_update,
	// table_result, table_sync, table_copy), with Raft every Raft frame
	// ("raft": appends, votes and Raft's own heartbeats ride one frame type
	// and one counter, so they cannot be told apart).
	ClassReplication = "replication"
	ClassOther       = "other"
)

// DefaultMessageClass classifies a message type by its name: heartbeats;
// replication (the table's frames and Raft's); election, coordinator,
// ok/answer and state sync; the request path (request, assign, reassign,
// response, reply, done, complete); everything else (control, status, …) is
// other.
func DefaultMessageClass(msgType string) string {
	t := strings.ToLower(msgType)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(t, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("heartbeat", "ping", "pong"):
		return ClassHeartbeat
	case t == "raft" || strings.HasPrefix(t, "table_"):
		return ClassReplication
	case has("elect", "coordinator", "sync") || t == "ok" || t == "answer":
		return ClassElection
	case has("request", "assign", "response", "reply", "done", "complete"):
		return ClassRequest
	}
	return ClassOther
}

// messages sums each node's cumulative message counters over its processes:
// a restarted process counts from 0 again, so the last counters of each
// process are added up.
type messages struct {
	closed  []map[string]int64 // per node: the sum of its ended processes' last counters
	current []map[string]int64 // per node: the running process's last counters
	warned  []bool
}

func newMessages(nodes int) messages {
	m := messages{closed: make([]map[string]int64, nodes), current: make([]map[string]int64, nodes), warned: make([]bool, nodes)}
	for i := range m.closed {
		m.closed[i] = map[string]int64{}
	}
	return m
}

// restart ends the node's current process.
func (m *messages) restart(node int) {
	for k, v := range m.current[node-1] {
		m.closed[node-1][k] += v
	}
	m.current[node-1] = nil
}

// sample takes a node's counters; a counter that went down means a new process
// whose start event is missing, and is treated as a restart.
func (m *messages) sample(z *Analyzer, node int, counters map[string]int64) {
	if counters == nil {
		return
	}
	cur := m.current[node-1]
	for k, v := range cur {
		if counters[k] < v {
			if !m.warned[node-1] {
				m.warned[node-1] = true
				z.warnf("node %d's message counters went down at %.3fs without a start event: counted as a restart", node, z.at(z.last).Seconds())
			}
			m.restart(node)
			break
		}
	}
	cur = make(map[string]int64, len(counters))
	for k, v := range counters {
		cur[k] = v
	}
	m.current[node-1] = cur
}

// total counts messages: every message a node sent ("sent.T"), plus messages
// of types no node ever sends ("recv.T" only), which come from clients.
func (m *messages) total(class func(string) string) rundir.MessageCounts {
	sent, recv := map[string]int64{}, map[string]int64{}
	for i := range m.closed {
		for _, src := range []map[string]int64{m.closed[i], m.current[i]} {
			for k, v := range src {
				if t, ok := strings.CutPrefix(k, "sent."); ok {
					sent[t] += v
				} else if t, ok := strings.CutPrefix(k, "recv."); ok {
					recv[t] += v
				}
			}
		}
	}
	for t, v := range recv {
		if _, ok := sent[t]; !ok {
			sent[t] = v
		}
	}
	mc := rundir.MessageCounts{ByType: sent}
	for t, v := range sent {
		mc.Total += v
		switch class(t) {
		case ClassRequest:
			mc.Request += v
		case ClassHeartbeat:
			mc.Heartbeat += v
		case ClassElection:
			mc.Election += v
		case ClassReplication:
			mc.Replication += v
		default:
			mc.Other += v
		}
	}
	if len(mc.ByType) == 0 {
		mc.ByType = nil
	}
	return mc
}

// counter sums one non-message counter (e.g. "raft.fsyncs") the way
// messages are summed: each process's last value, over every process.
func (m *messages) counter(key string) int64 {
	var n int64
	for i := range m.closed {
		n += m.closed[i][key] + m.current[i][key]
	}
	return n
}
