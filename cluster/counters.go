package cluster

import "sync/atomic"

var allMsgTypes = []MsgType{
	MsgHello, MsgHeartbeat, MsgElection, MsgOK, MsgCoordinator, MsgRequest, MsgAssign, MsgDone,
	MsgMissing, MsgUnassigned, MsgResponse, MsgSyncReq, MsgSyncResp, MsgCtlFail, MsgCtlStatus, MsgCtlShutdown, MsgCtlReply,
	MsgTableOp, MsgTableUpdate, MsgTableResult, MsgTableSync, MsgTableCopy, MsgRaft,
}

// Counter directions: "sent.heartbeat" counts heartbeat frames handed to a
// connection, "recv.request" frames read, "drop.assign" frames discarded
// (queue full, peer unreachable, or this node Failed).
const (
	dirSent = "sent"
	dirRecv = "recv"
	dirDrop = "drop"
)

// counters counts messages by direction and type. The map is built once and
// only read afterwards, so concurrent increments need only the atomics.
type counters struct {
	m map[string]*atomic.Int64
}

func newCounters() *counters {
	c := &counters{m: map[string]*atomic.Int64{}}
	for _, dir := range []string{dirSent, dirRecv, dirDrop} {
		for _, t := range allMsgTypes {
			c.m[dir+"."+string(t)] = new(atomic.Int64)
		}
	}
	return c
}

func (c *counters) add(dir string, t MsgType, n int64) {
	if v := c.m[dir+"."+string(t)]; v != nil {
		v.Add(n)
	}
}

// snapshot returns the non-zero counters.
func (c *counters) snapshot() map[string]int64 {
	out := map[string]int64{}
	for k, v := range c.m {
		if n := v.Load(); n != 0 {
			out[k] = n
		}
	}
	return out
}
