package cluster

import (
	"testing"
	"time"

	"stegocloud/cluster/table"
)

// FuzzTableMessage feeds one arbitrary, well-formed table message (anything
// Message.Validate lets through) from a member to a member of a settled
// 3-node cluster that has spent one view of an image. Members are trusted
// (mutual TLS proves who they are), so a forged update may reach a copy;
// but 3s later the cluster must agree again, every copy of the table must
// be the coordinator's, and the next view must be answered with the
// coordinator's count.
func FuzzTableMessage(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint64(259), uint64(259), uint64(2), uint64(259), uint8(0), true, uint8(5), []byte(nil))      // the next update, forged
	f.Add(uint8(1), uint8(1), uint64(259), uint64(259), uint64(2), uint64(259), uint8(0), true, uint8(1), []byte(nil))      // the next update, forged with the result the copy computes
	f.Add(uint8(1), uint8(3), uint64(9<<8|3), uint64(9<<8|3), uint64(9), uint64(0), uint8(1), false, uint8(0), []byte(nil)) // an update from a newer epoch
	f.Add(uint8(4), uint8(1), uint64(259), uint64(259), uint64(1), uint64(0), uint8(0), false, uint8(0), []byte(`{"version":1,"window":1,"images":[],"users":[],"dedup":[]}`))
	f.Add(uint8(0), uint8(3), uint64(0), uint64(0), uint64(0), uint64(0), uint8(2), false, uint8(0), []byte(nil))   // an op sent to the coordinator
	f.Add(uint8(2), uint8(1), uint64(0), uint64(259), uint64(7), uint64(0), uint8(3), false, uint8(0), []byte(nil)) // an unsolicited read result
	f.Add(uint8(3), uint8(3), uint64(0), uint64(0), uint64(0), uint64(0), uint8(0), false, uint8(0), []byte(nil))   // a sync request to a follower
	f.Fuzz(func(t *testing.T, typ, from uint8, epoch, coordEpoch, seq, prev uint64, kind uint8, granted bool, remaining uint8, body []byte) {
		op := fuzzOp(kind)
		msg := Message{
			Type: storeTypes[int(typ)%len(storeTypes)], From: int(from), Epoch: epoch, CoordEpoch: coordEpoch,
			ID: "fz-1", Attempt: 1, Op: &op, Result: fuzzResult(op, granted, int(remaining)),
			Table: &Pos{Epoch: coordEpoch, Seq: seq}, Prev: prev, Body: body,
		}
		if msg.Validate() != nil || msg.From == 2 {
			return // the frame reader would have closed the connection
		}
		s := stable(t, nil)
		s.viewAnswer("before", img3, "alice")
		s.ms[2].Step(s.now, msg)
		s.collect(2)
		s.deliver()
		s.advance(3 * time.Second)
		c, _ := s.mustAgree("3s after the message")
		s.sameTables("3s after the message", c)
		left, _ := s.store(c).tab.Remaining("img-3")
		got := s.viewAnswer("after", img3, "alice")
		if want := (table.ViewResult{Granted: left > 0, Remaining: max(left-1, 0)}); left == 0 {
			want.Reason = table.ReasonExhausted
			if got != want {
				t.Fatalf("after %+v: view = %+v, want %+v from the coordinator's table", msg, got, want)
			}
		} else if got != want {
			t.Fatalf("after %+v: view = %+v, want %+v from the coordinator's table", msg, got, want)
		}
	})
}

// fuzzOp is one op of each kind on the image and users the test uses.
func fuzzOp(kind uint8) table.Op {
	switch kind % 4 {
	case 0:
		return table.Op{ID: "fz-1", View: &table.View{Image: "img-3", User: "alice", Quota: 3, Authorized: true}}
	case 1:
		return table.Op{ID: "fz-1", View: &table.View{Image: "img-3", User: "mallory", Quota: 3}}
	case 2:
		return table.Op{ID: "fz-1", Register: &table.Register{User: "alice", Addr: "a:1"}}
	}
	return table.Op{ID: "fz-1", Online: &table.Online{}}
}

// fuzzResult is a result of op's kind, as forged as the inputs make it.
func fuzzResult(op table.Op, granted bool, remaining int) *table.Result {
	switch {
	case op.View != nil && granted:
		return &table.Result{View: &table.ViewResult{Granted: true, Remaining: remaining}}
	case op.View != nil:
		return &table.Result{View: &table.ViewResult{Remaining: remaining, Reason: table.ReasonExhausted}}
	case op.Register != nil:
		return &table.Result{Changed: granted}
	}
	return &table.Result{}
}
