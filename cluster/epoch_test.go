package cluster

import (
	"math"
	"testing"
	"time"
)

// A heartbeat claiming epoch 2^64−1 made nextEpoch wrap to a tiny epoch that
// everyone ignored: 196 elections in 10s and no agreement (issue 12, defect
// 3). Absurd epochs are now refused whole.
func TestAbsurdEpochIsRefused(t *testing.T) {
	cases := []struct {
		name string
		msg  func(epoch uint64) Message
	}{
		{"heartbeat at 2^64-1", func(uint64) Message {
			return Message{Type: MsgHeartbeat, From: 3, Epoch: math.MaxUint64, State: StateActive, Base: 0.7, Load: 0.7}
		}},
		{"election at 2^64-1", func(uint64) Message {
			return Message{Type: MsgElection, From: 3, Epoch: math.MaxUint64}
		}},
		{"coordinator far ahead", func(e uint64) Message {
			far := e + (1<<40)<<8
			return Message{Type: MsgCoordinator, From: 3, Epoch: far, CoordEpoch: far, Coordinator: 3}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := stable(t, nil)
			_, epoch := s.mustAgree("before")
			before := len(s.eventsOf(EvElectionStart))
			s.ms[2].Step(s.now, c.msg(epoch))
			s.collect(2)
			s.deliver()
			s.advance(10 * time.Second)
			n := len(s.eventsOf(EvElectionStart)) - before
			t.Logf("%d elections in the 10s after the message", n)
			if n > 1 {
				t.Errorf("%d elections in 10s after one absurd epoch, want at most 1", n)
			}
			coord, e := s.mustAgree("after")
			if coord != 1 || e >= 1<<40 {
				t.Errorf("cluster follows %d@%d, want node 1 at a sane epoch", coord, e)
			}
		})
	}
}
