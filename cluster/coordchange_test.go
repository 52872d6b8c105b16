package cluster

import (
	"testing"
	"time"

	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// imgQ is the image whose quota the coordinator-change tests count.
var imgQ = stego.Metadata{ID: "img-q", Usernames: []string{"alice"}, Quota: 6}

// grantsOf counts the granted views of imgQ the clients were told, and
// fails if any view request got two answers that disagree.
func grantsOf(s *sim) int {
	s.t.Helper()
	n := 0
	for id := range s.answers {
		a := s.answer(id)
		if a.Result != nil && a.Result.View != nil && a.Result.View.Granted {
			n++
		}
	}
	return n
}

// untilSynced ticks until recovering node id has its peer's state (and
// copy of the table) and now waits its sync delay.
func untilSynced(s *sim, id int) {
	s.t.Helper()
	for range 100 {
		if s.ms[id].rec.synced {
			return
		}
		s.advance(s.tick)
	}
	s.t.Fatalf("node %d never synced: %s", id, s.describe())
}

// checkQuota spends the rest of imgQ's quota and checks that exactly the
// quota was granted, with every applied grant still in the table.
func checkQuota(t *testing.T, s *sim, context string) {
	t.Helper()
	for i := range imgQ.Quota + 2 {
		s.viewAnswer(viewID(100+i), imgQ, "alice")
	}
	s.advance(2 * time.Second)
	c, _ := s.mustAgree(context)
	if got := grantsOf(s); got != imgQ.Quota {
		t.Fatalf("%s: clients were told %d views of a quota-%d image granted (grants lost from the table: it granted them again)",
			context, got, imgQ.Quota)
	}
	s.sameTables(context, c)
	if left, _ := s.store(c).tab.Remaining(imgQ.ID); left != 0 {
		t.Fatalf("%s: %d views left, want 0", context, left)
	}
}

// The harness's quota run (issue 13): the coordinator (node 1, the lowest
// load) goes silent, node 2 takes over and grants views; node 1 recovers,
// copies the table and, while it waits its sync delay, node 2 grants more;
// then node 1 wins its recovery election. No grant may be lost: node 1
// must serve from a copy that holds every one of node 2's updates.
func TestRecoveredCoordinatorKeepsTheSuccessorsGrants(t *testing.T) {
	s := stable(t, nil)
	for i := range 2 {
		if got := s.viewAnswer(viewID(i), imgQ, "alice"); !got.Granted {
			t.Fatalf("view %d refused: %+v", i, got)
		}
	}
	s.ms[1].Fail(s.now)
	s.collect(1)
	s.advance(2 * time.Second)
	if !s.ms[2].acting() {
		t.Fatalf("node 2 does not act after node 1 went silent: %s", s.describe())
	}
	s.viewAnswer(viewID(2), imgQ, "alice", 2, 3)
	s.ms[1].Recover(s.now)
	s.collect(1)
	untilSynced(s, 1)
	copied := s.store(1).at
	for i := 3; i < 5; i++ { // within node 1's sync delay
		s.viewAnswer(viewID(i), imgQ, "alice", 2, 3)
	}
	if s.ms[1].state != StateRecovering {
		t.Fatalf("node 1 is %s, want still Recovering: the views must fall in its sync delay", s.ms[1].state)
	}
	s.advance(2 * time.Second)
	if c, _ := s.mustAgree("after the recovery election"); c != 1 {
		t.Fatalf("coordinator %d after node 1's recovery election, want 1 (the lowest load)", c)
	}
	t.Logf("node 1 copied the table at %+v, node 2 was at %+v", copied, s.store(2).at)
	checkQuota(t, s, "after the recovery election")
}

// The in-flight window: node 2 (acting) applies and answers an op at the
// moment node 1's recovery election starts, so the update reaches node 1
// and node 3 after they moved to the new term and refuse it as stale; only
// node 2's copy holds it. The winner, node 1, must take node 2's copy
// before it serves.
func TestNewCoordinatorTakesTheNewestCopy(t *testing.T) {
	s := stable(t, nil)
	s.viewAnswer(viewID(0), imgQ, "alice")
	s.ms[1].Fail(s.now)
	s.collect(1)
	s.advance(2 * time.Second)
	if !s.ms[2].acting() {
		t.Fatalf("node 2 does not act after node 1 went silent: %s", s.describe())
	}
	s.viewAnswer(viewID(1), imgQ, "alice", 2, 3)
	s.ms[1].Recover(s.now)
	s.collect(1)
	untilSynced(s, 1)
	// Run to the tick at which node 1 goes Active; tick node 1 alone at
	// it: its election messages are queued, not delivered.
	m1 := s.ms[1]
	for s.now.Add(s.tick).Sub(m1.rec.syncedAt) < m1.cfg.SyncDelay {
		s.advance(s.tick)
	}
	s.now = s.now.Add(s.tick)
	m1.Tick(s.now)
	s.collect(1)
	if m1.state != StateActive || m1.ballot == nil {
		t.Fatalf("node 1 did not start its recovery election: %s", s.describe())
	}
	// Node 2 still acts: a register it holds the client's copy of is
	// applied and answered at once; its update is queued behind the election.
	s.tableRequest("reg", 1, Message{Kind: KindRegister, User: "zed", Addr: "z:1"}, 2)
	if a := s.answer("reg"); a.Applier != 2 || !a.Result.Changed {
		t.Fatalf("register = %+v, want applied by node 2", a)
	}
	s.advance(2 * time.Second)
	c, _ := s.mustAgree("after the election")
	if c != 1 {
		t.Fatalf("coordinator %d, want 1", c)
	}
	res, _ := s.store(c).tab.Query(table.Op{ID: "probe", Online: &table.Online{}})
	found := false
	for _, p := range res.Peers {
		found = found || p.User == "zed"
	}
	if !found {
		t.Fatalf("the register node 2 applied and answered is gone from the new coordinator's table: %+v", res.Peers)
	}
	caught := false
	for _, e := range s.eventsOf(EvTableSync) {
		caught = caught || e.Node == 1 && e.Peer == 2 && e.Reason == syncCatchUp
	}
	if !caught {
		t.Fatalf("table_sync events %+v, want node 1 catching up from node 2", s.eventsOf(EvTableSync))
	}
	checkQuota(t, s, "after the election")
}

// The holder of the newest copy is lost before its copy arrives: the new
// coordinator does not wait for it forever, nor serve silently from its
// older copy; it calls an election (cause catch-up) among the nodes still
// heard, and the cluster serves again.
func TestCatchUpFromALostHolderReelects(t *testing.T) {
	s := stable(t, nil)
	s.viewAnswer(viewID(0), imgQ, "alice")
	s.ms[1].Fail(s.now)
	s.collect(1)
	s.advance(2 * time.Second)
	s.ms[1].Recover(s.now)
	s.collect(1)
	untilSynced(s, 1)
	m1 := s.ms[1]
	for s.now.Add(s.tick).Sub(m1.rec.syncedAt) < m1.cfg.SyncDelay {
		s.advance(s.tick)
	}
	s.now = s.now.Add(s.tick)
	m1.Tick(s.now)
	s.collect(1)
	s.drop = func(m simMsg) bool { return m.from == 2 && m.msg.Type == MsgTableCopy }
	s.tableRequest("reg", 1, Message{Kind: KindRegister, User: "zed", Addr: "z:1"}, 2)
	if !m1.acting() || !s.store(1).catching {
		t.Fatalf("node 1 acting %v, catching up %v; want both: %s", m1.acting(), s.store(1).catching, s.describe())
	}
	s.crash(2)
	s.drop = nil
	s.advance(2 * time.Second)
	reelected := false
	for _, e := range s.eventsOf(EvElectionStart) {
		reelected = reelected || e.Node == 1 && e.Cause == CauseCatchUp
	}
	if !reelected {
		t.Fatalf("no catch-up election by node 1: %+v", s.eventsOf(EvElectionStart))
	}
	c, _ := s.mustAgree("after the holder was lost")
	if s.store(c).catching {
		t.Fatalf("coordinator %d still catching up", c)
	}
	if got := s.viewAnswer("after", imgQ, "alice"); !got.Granted {
		t.Fatalf("view after the catch-up election = %+v, want granted", got)
	}
}
