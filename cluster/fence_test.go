package cluster

import (
	"testing"
	"time"
)

// A coordinator stopped for a second (SIGSTOP) wakes with its old epoch
// while another node leads a newer one. Whatever it handles first, here a
// client request ahead of the heartbeats its peers sent meanwhile, it must
// not assign (issue 12, defect 9; ~40 stale assigns measured with real
// processes).
func TestWokenCoordinatorAssignsNothingBeforeHearingItsPeers(t *testing.T) {
	s := stable(t, nil)
	s.pause(1)
	s.advance(time.Second)
	_, epoch := s.mustAgree("while node 1 is paused")
	s.paused[1] = false // awake, but it has not read what was sent meanwhile
	s.request("r-1", 1, 1)
	s.resume(1)
	s.advance(time.Second)
	for _, e := range s.events {
		if e.Node == 1 && (e.Type == EvAssign || e.Type == EvReassign) && e.Epoch < epoch {
			t.Errorf("woken node 1 assigned %s to %d at its stale epoch %d (current %d)", e.Request, e.Assignee, e.Epoch, epoch)
		}
	}
	if got := s.served["r-1"]; len(got) != 1 {
		t.Errorf("r-1 served by %v, want once%s", got, s.describe())
	}
}

// An assignee refuses an assign from an epoch below the highest it has seen
// and tells the sender, which steps down. Here node 2 has seen node 3's
// election, node 1 has not yet.
func TestAssigneeFencesAssignFromSupersededEpoch(t *testing.T) {
	s := stable(t, nil)
	_, epoch := s.mustAgree("before")
	newer := nextEpochOrZero(epoch, 3)
	s.ms[2].Step(s.now, Message{Type: MsgElection, From: 3, Epoch: newer})
	s.ms[2].Ready() // its ok reply is lost
	s.ms[1].bal = fixedBalancer{2}
	s.request("r-1", 1, 1, 2)
	if got := s.orders["r-1"]; len(got) != 0 {
		t.Fatalf("node 2 served an assign of epoch %d after seeing epoch %d: orders %v", epoch, newer, got)
	}
	if s.ms[1].acting() {
		t.Errorf("node 1 still acts after node 2 fenced its assign: %s", s.ms[1])
	}
	if f := s.eventsOf(EvFenced); len(f) != 1 || f[0].Node != 2 || f[0].Peer != 1 || f[0].Epoch != epoch || f[0].Request != "r-1" {
		t.Errorf("fenced events %+v, want node 2 refusing node 1's r-1 at epoch %d", f, epoch)
	}
	s.advance(2 * time.Second)
	if got := s.served["r-1"]; len(got) != 1 {
		t.Errorf("r-1 served by %v, want once%s", got, s.describe())
	}
}

// A short stall (below suspect-after: nobody elected meanwhile) fences the
// coordinator only until its peers answer; a peer that never answers holds
// it back for suspect-after of running time at most.
func TestStallFenceLifts(t *testing.T) {
	cases := []struct {
		name    string
		drop    func(simMsg) bool
		atLeast time.Duration
	}{
		{"peers answer", nil, 0},
		{"node 3 never answers", func(m simMsg) bool { return m.from == 3 && m.msg.Type == MsgSyncResp }, 150 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := stable(t, nil)
			s.drop = c.drop
			elections := len(s.eventsOf(EvElectionStart))
			s.pause(1)
			s.advance(150 * time.Millisecond)
			s.resume(1)
			if !s.ms[1].fence.active && c.atLeast > 0 {
				t.Fatalf("node 1 not fenced after a 150ms stall: %s", s.ms[1])
			}
			if st := s.eventsOf(EvStall); len(st) != 1 || st[0].Node != 1 || st[0].Duration < 150*time.Millisecond {
				t.Errorf("stall events %+v, want one by node 1 of ≥ 150ms", st)
			}
			woke := s.now
			for s.ms[1].fence.active && s.now.Sub(woke) < time.Second {
				s.advance(s.tick)
			}
			took := s.now.Sub(woke)
			if took < c.atLeast || took > s.ms[1].cfg.SuspectAfter+2*s.tick {
				t.Errorf("fence lifted after %v, want between %v and suspect-after", took, c.atLeast)
			}
			if !s.ms[1].acting() || len(s.eventsOf(EvElectionStart)) != elections {
				t.Errorf("node 1 does not coordinate again, or an election ran: %s", s.ms[1])
			}
			s.request("r-1", 1)
			s.advance(time.Second)
			if got := s.served["r-1"]; len(got) != 1 {
				t.Errorf("r-1 served by %v after the fence, want once", got)
			}
		})
	}
}
