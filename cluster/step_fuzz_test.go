package cluster

import (
	"math"
	"testing"
	"time"
)

// stepTypes are the peer messages a fuzzed frame can be.
var stepTypes = []MsgType{MsgHeartbeat, MsgElection, MsgOK, MsgCoordinator, MsgAssign, MsgDone, MsgMissing, MsgUnassigned, MsgSyncReq, MsgSyncResp}

// FuzzStepOneMessage feeds one arbitrary, well-formed peer message (anything
// Message.Validate lets through) to a member of a settled 3-node cluster.
// Whatever it says, no node follows a non-member or an epoch past the bounds,
// and 3s later the cluster agrees on a member again and serves.
func FuzzStepOneMessage(f *testing.F) {
	f.Add(uint8(3), uint8(1), uint64(2<<8|1), uint64(2<<8|1), uint8(200), uint8(0))   // forged decision (defect 2)
	f.Add(uint8(0), uint8(3), uint64(math.MaxUint64), uint64(0), uint8(0), uint8(0))  // absurd epoch (defect 3)
	f.Add(uint8(4), uint8(1), uint64(0), uint64(1<<8|3), uint8(0), uint8(200))        // assign to a non-member
	f.Add(uint8(9), uint8(3), uint64(9<<8|3), uint64(9<<8|3), uint8(3), uint8(0))     // unsolicited sync_resp
	f.Add(uint8(1), uint8(3), uint64((maxRound+1)<<8), uint64(0), uint8(0), uint8(0)) // election past the last round
	f.Fuzz(func(t *testing.T, typ, from uint8, epoch, coordEpoch uint64, coord, assignee uint8) {
		msg := Message{
			Type: stepTypes[int(typ)%len(stepTypes)], From: int(from), Epoch: epoch, CoordEpoch: coordEpoch,
			Coordinator: int(coord), Assignee: int(assignee), ID: "fz-1", Attempt: 1, Done: []string{"fz-1"},
			State: StateActive, Load: 0.1, Base: 0.1,
		}
		if msg.Validate() != nil || msg.From == 2 {
			return // the frame reader would have closed the connection
		}
		s := stable(t, nil)
		s.ms[2].Step(s.now, msg)
		s.collect(2)
		s.deliver()
		for range 300 {
			s.advance(s.tick)
			for _, id := range s.ids {
				m := s.ms[id]
				if !m.member(m.coordinator) && m.coordinator != 0 {
					t.Fatalf("node %d follows non-member %d after %+v", id, m.coordinator, msg)
				}
				if EpochRound(m.term) > maxRound+1 {
					t.Fatalf("node %d reached round %d after %+v", id, EpochRound(m.term), msg)
				}
			}
		}
		s.mustAgree("3s after the message")
		s.request("after", 1)
		s.advance(time.Second)
		if got := s.served["after"]; len(got) != 1 {
			t.Errorf("after %+v: request served by %v, want one node%s", msg, got, s.describe())
		}
	})
}
