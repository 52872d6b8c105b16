package raftstore

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"

	"stegocloud/cluster/table"
)

func TestElectsOneLeader(t *testing.T) {
	for _, n := range []int{1, 3, 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := newSim(t, n, 1, false, nil)
			lead := s.waitLeader(100)
			s.run(20)
			for _, id := range s.ids {
				if got := s.st[id].Leader(); got != lead {
					t.Fatalf("store %d follows %d, leader is %d", id, got, lead)
				}
			}
			var sawLeader bool
			for _, ev := range s.events[lead] {
				sawLeader = sawLeader || ev.Type == EventLeader && ev.State == "leader" && ev.Leader == lead && ev.Term > 0
			}
			if !sawLeader {
				t.Fatalf("leader %d logged no raft_leader event: %+v", lead, s.events[lead])
			}
		})
	}
}

// TestSameOrderEverywhere proposes at every node (followers forward) and
// checks results and tables agree; the sim checks the apply order itself.
func TestSameOrderEverywhere(t *testing.T) {
	s := newSim(t, 3, 2, false, nil)
	s.waitLeader(100)
	var ids []uint64
	var nodes []uint64
	for i := range 60 {
		node := s.ids[i%3]
		op := view(fmt.Sprint("r", i), fmt.Sprint("img", i%4), 20)
		if i%5 == 0 {
			op = register(fmt.Sprint("r", i), fmt.Sprint("user", i))
		}
		id, err := s.st[node].Propose(op)
		if err != nil {
			t.Fatalf("propose at %d: %v", node, err)
		}
		ids, nodes = append(ids, id), append(nodes, node)
		s.process(node)
	}
	s.run(5)
	spent := map[int]bool{}
	for i, id := range ids {
		d, ok := s.done[nodes[i]][id]
		if !ok || d.Err != nil {
			t.Fatalf("proposal %d at node %d: done %v %+v", i, nodes[i], ok, d)
		}
		if v := d.Result.View; v != nil {
			key := i%4*100 + v.Remaining
			if !v.Granted || spent[key] {
				t.Fatalf("proposal %d: %+v (two grants with the same remaining?)", i, v)
			}
			spent[key] = true
		}
	}
	s.converged()
	if _, users, _ := s.st[1].tab.Len(); users != 12 {
		t.Fatalf("%d users registered, want 12", users)
	}
}

func TestRetryIsIdempotent(t *testing.T) {
	s := newSim(t, 3, 3, false, nil)
	lead := s.waitLeader(100)
	first, err := s.do(lead, view("req-1", "img", 2))
	if err != nil || !first.View.Granted || first.View.Remaining != 1 {
		t.Fatalf("first view: %+v %v", first.View, err)
	}
	follower := lead%3 + 1
	again, err := s.do(follower, view("req-1", "img", 2))
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Fatalf("retry at follower %d: %+v %v, want the first result %+v", follower, again.View, err, first.View)
	}
	if left, _ := s.st[follower].tab.Remaining("img"); left != 1 {
		t.Fatalf("remaining after a retry = %d, want 1", left)
	}
}

func TestLinearizableRead(t *testing.T) {
	s := newSim(t, 3, 4, false, nil)
	lead := s.waitLeader(100)
	if _, err := s.do(lead, register("r1", "alice")); err != nil {
		t.Fatal(err)
	}
	follower := lead%3 + 1
	id, err := s.st[follower].Read(online)
	if err != nil {
		t.Fatal(err)
	}
	s.process(follower)
	s.deliverAll()
	d, ok := s.done[follower][id]
	if !ok || d.Err != nil || len(d.Result.Peers) != 1 || d.Result.Peers[0].User != "alice" {
		t.Fatalf("read at follower: done %v %+v", ok, d)
	}
	if _, err := s.st[follower].Read(view("", "img", 1)); !errors.Is(err, table.ErrNotRead) {
		t.Fatalf("Read(view) error = %v, want table.ErrNotRead", err)
	}
	// An isolated node cannot confirm a read: it times out (or is refused).
	s.partition([]uint64{follower})
	id, err = s.st[follower].Read(online)
	if err == nil {
		s.process(follower)
		s.run(s.st[follower].cfg.RequestTimeout + 1)
		if d := s.done[follower][id]; !isTimeout(d.Err) {
			t.Fatalf("read on an isolated node: %+v, want ErrTimeout", d)
		}
	} else if !errors.Is(err, ErrNoLeader) {
		t.Fatalf("read on an isolated node: %v", err)
	}
}

// TestMinorityLeaderStepsDown isolates the leader of five: CheckQuorum makes
// it step down, what it accepted meanwhile never commits, the majority
// elects a leader in a higher term and commits, and after the heal the old
// leader catches up and holds the majority's table.
func TestMinorityLeaderStepsDown(t *testing.T) {
	s := newSim(t, 5, 5, false, nil)
	old := s.waitLeader(100)
	oldTerm := s.st[old].Term()
	var rest []uint64
	for _, id := range s.ids {
		if id != old {
			rest = append(rest, id)
		}
	}
	s.partition([]uint64{old}, rest)
	lost, err := s.st[old].Propose(register("lost", "minority"))
	if err != nil {
		t.Fatalf("propose on the isolated leader: %v", err)
	}
	s.process(old)
	// A read on the isolated leader cannot confirm its leadership: it must
	// never answer (a stale read), whatever the majority does meanwhile.
	staleRead, err := s.st[old].Read(online)
	if err != nil {
		t.Fatalf("read on the isolated leader: %v", err)
	}
	s.process(old)
	s.run(3 * s.st[old].cfg.ElectionTick)
	if s.st[old].IsLeader() {
		t.Fatalf("isolated leader %d still leads after %d ticks", old, 3*s.st[old].cfg.ElectionTick)
	}
	if d := s.done[old][lost]; !isTimeout(d.Err) {
		t.Fatalf("proposal on the isolated leader: %+v, want ErrTimeout", d)
	}
	newLead := s.leader()
	if newLead == 0 || newLead == old || s.st[newLead].Term() <= oldTerm {
		t.Fatalf("majority leader %d (term %d), old %d (term %d)", newLead, s.st[newLead].Term(), old, oldTerm)
	}
	if _, err := s.do(newLead, register("kept", "majority")); err != nil {
		t.Fatalf("majority commit: %v", err)
	}
	if d := s.done[old][staleRead]; !isTimeout(d.Err) {
		t.Fatalf("read on the isolated leader: %+v, want ErrTimeout", d)
	}
	s.heal()
	s.run(30)
	s.converged()
	for _, id := range s.ids {
		r, _ := s.st[id].tab.Query(online)
		if len(r.Peers) != 1 || r.Peers[0].User != "majority" {
			t.Fatalf("store %d online = %+v, want only the majority's user", id, r.Peers)
		}
	}
}

// TestCatchUpBySnapshot cuts a follower off while the others compact past
// what it has: it must catch up from a snapshot.
func TestCatchUpBySnapshot(t *testing.T) {
	s := newSim(t, 3, 6, false, func(c *Config) { c.SnapshotEvery, c.CatchUpEntries = 20, 5 })
	lead := s.waitLeader(100)
	lag := lead%3 + 1
	var others []uint64
	for _, id := range s.ids {
		if id != lag {
			others = append(others, id)
		}
	}
	s.partition(others, []uint64{lag})
	for i := range 100 {
		if _, err := s.do(lead, view(fmt.Sprint("r", i), fmt.Sprint("img", i%7), 30)); err != nil {
			t.Fatal(err)
		}
	}
	s.heal()
	s.run(30)
	s.converged()
	var got bool
	for _, ev := range s.events[lag] {
		got = got || ev.Type == EventSnapshot && ev.Reason == "received"
	}
	if !got || s.st[lag].Stats().SnapshotsReceived == 0 {
		t.Fatalf("follower %d caught up without a snapshot: %+v", lag, s.st[lag].Stats())
	}
	// And it survives a restart from the received snapshot.
	s.stop(lag)
	s.start(lag)
	s.run(10)
	s.converged()
}

func TestFiveToleratesTwoStopped(t *testing.T) {
	s := newSim(t, 5, 7, false, nil)
	lead := s.waitLeader(100)
	down := []uint64{lead, lead%5 + 1}
	for _, id := range down {
		s.stop(id)
	}
	newLead := s.waitLeader(200)
	for i := range 20 {
		if _, err := s.do(newLead, view(fmt.Sprint("r", i), "img", 100)); err != nil {
			t.Fatalf("with 2 of 5 stopped: %v", err)
		}
	}
	for _, id := range down {
		s.start(id)
	}
	s.run(30)
	s.converged()
	if left, _ := s.st[down[0]].tab.Remaining("img"); left != 80 {
		t.Fatalf("restarted store's remaining = %d, want 80", left)
	}
}

func TestStepRejects(t *testing.T) {
	s := newSim(t, 3, 8, false, nil)
	s.waitLeader(100)
	st := s.st[1]
	msg := func(typ pb.MessageType, from, to uint64) []byte {
		b, err := proto.Marshal(&pb.Message{Type: typ.Enum(), From: proto.Uint64(from), To: proto.Uint64(to), Term: proto.Uint64(st.Term())})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := map[string][]byte{
		"garbage":      []byte("\xff\xff\xff"),
		"huge":         make([]byte, st.cfg.MaxMessageBytes+1),
		"for another":  msg(pb.MessageType_MsgHeartbeat, 3, 2),
		"from self":    msg(pb.MessageType_MsgHeartbeat, 1, 1),
		"from nobody":  msg(pb.MessageType_MsgHeartbeat, 9, 1),
		"local type":   msg(pb.MessageType_MsgHup, 2, 1),
		"unknown type": msg(pb.MessageType(99), 2, 1),
	}
	for name, b := range cases {
		if err := st.Step(b); !errors.Is(err, ErrBadMessage) {
			t.Errorf("%s: Step error = %v, want ErrBadMessage", name, err)
		}
	}
	if st.Err() != nil {
		t.Fatalf("bad messages stopped the store: %v", st.Err())
	}
	// A well-formed message from a peer is accepted.
	if err := st.Step(msg(pb.MessageType_MsgHeartbeatResp, 2, 1)); err != nil {
		t.Fatalf("heartbeat response from 2: %v", err)
	}
	// On peer 3's link only: 2's message is a forgery, a forwarded
	// proposal keeps its origin.
	if err := st.StepFrom(3, msg(pb.MessageType_MsgHeartbeatResp, 2, 1)); !errors.Is(err, ErrBadMessage) {
		t.Errorf("2's heartbeat response on 3's link: %v, want ErrBadMessage", err)
	}
	if err := st.StepFrom(2, msg(pb.MessageType_MsgHeartbeatResp, 2, 1)); err != nil {
		t.Errorf("2's heartbeat response on 2's link: %v", err)
	}
	if err := st.StepFrom(3, msg(pb.MessageType_MsgProp, 2, 1)); errors.Is(err, ErrBadMessage) {
		t.Errorf("a proposal of 2 forwarded by 3: %v", err)
	}
}

func TestProposeErrors(t *testing.T) {
	s := newSim(t, 3, 9, false, nil)
	// Before any election nobody is leader: proposals are refused at once.
	if _, err := s.st[1].Propose(view("r", "img", 1)); !errors.Is(err, ErrNoLeader) {
		t.Fatalf("propose without a leader: %v, want ErrNoLeader", err)
	}
	lead := s.waitLeader(100)
	if _, err := s.st[lead].Propose(table.Op{}); !errors.Is(err, table.ErrInvalidOp) {
		t.Fatalf("propose an invalid op: %v, want table.ErrInvalidOp", err)
	}
	s.st[lead].Close()
	if _, err := s.st[lead].Propose(view("r", "img", 1)); !errors.Is(err, ErrStopped) {
		t.Fatalf("propose on a closed store: %v, want ErrStopped", err)
	}
	s.st[lead] = nil
}

// TestCampaignReplacesALostLeader: with the leader stopped, the other
// follower forgets it and one follower's Campaign elects it at once (no election timeout waited), and
// a campaign against a live leader that the others still hear changes
// nothing (PreVote and CheckQuorum's lease).
func TestCampaignReplacesALostLeader(t *testing.T) {
	s := newSim(t, 3, 6, false, nil)
	lead := s.waitLeader(100)
	term := s.st[lead].Term()
	follower := lead%3 + 1
	if err := s.st[follower].Campaign(); err != nil {
		t.Fatal(err)
	}
	s.process(follower)
	s.deliverAll()
	if s.leader() != lead || s.st[lead].Term() != term {
		t.Fatalf("a campaign against a live leader: leader %d at term %d, was %d at %d", s.leader(), s.st[lead].Term(), lead, term)
	}
	s.stop(lead)
	other := 6 - lead - follower
	if err := s.st[other].ForgetLeader(); err != nil { // else it refuses pre-votes (its lease)
		t.Fatal(err)
	}
	if err := s.st[follower].Campaign(); err != nil { // one campaign: two at once split the vote
		t.Fatal(err)
	}
	s.process(other)
	s.process(follower)
	s.deliverAll()
	if l := s.leader(); l != follower || s.st[l].Term() <= term {
		t.Fatalf("after campaigns without the leader: leader %d (old %d, term %d)", l, lead, term)
	}
}

// TestDoneSaysWhere: a proposal's Done names its entry (index, and the
// term of the leader that appended it), the same at the leader and at a
// follower that proposed; a read's names the index it was answered at.
func TestDoneSaysWhere(t *testing.T) {
	s := newSim(t, 3, 5, false, nil)
	lead := s.waitLeader(100)
	follower := lead%3 + 1
	if _, err := s.do(lead, view("w-1", "img", 5)); err != nil {
		t.Fatal(err)
	}
	id, err := s.st[follower].Propose(view("w-2", "img", 5))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.do(follower, view("w-3", "img", 5)); err != nil {
		t.Fatal(err)
	}
	d := s.done[follower][id]
	term := s.st[lead].Term()
	if d.Err != nil || d.Term != term || d.Index == 0 || d.Index >= s.st[follower].Applied() {
		t.Fatalf("w-2's done %+v: want term %d and an index below the last applied %d", d, term, s.st[follower].Applied())
	}
	rid, err := s.st[follower].Read(online)
	if err != nil {
		t.Fatal(err)
	}
	s.process(follower)
	s.deliverAll()
	if r := s.done[follower][rid]; r.Err != nil || r.Index != s.st[follower].Applied() || r.Term != term {
		t.Fatalf("read's done %+v: want index %d, term %d", r, s.st[follower].Applied(), term)
	}
}
