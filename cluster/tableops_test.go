package cluster

import (
	"slices"
	"testing"
	"time"

	"stegocloud/cluster/table"
	"stegocloud/stego"
)

var (
	img2 = stego.Metadata{ID: "img-2", Usernames: []string{"alice", "bob"}, Quota: 2}
	img3 = stego.Metadata{ID: "img-3", Usernames: []string{"alice"}, Quota: 3}
)

// The seed's Phase 2 in the cluster: quota 2, three views by an authorized
// user, one by a stranger. Each view is answered once, by the node that
// revealed it, with the coordinator's result; every copy of the table ends
// equal to the coordinator's.
func TestViewsSpendTheQuotaExactlyOnce(t *testing.T) {
	s := stable(t, nil)
	want := []table.ViewResult{grantedView(1), grantedView(0), refusedView(0, table.ReasonExhausted)}
	for i, w := range want {
		if got := s.viewAnswer(viewID(i), img2, "alice"); got != w {
			t.Fatalf("view %d = %+v, want %+v", i, got, w)
		}
	}
	if got := s.viewAnswer("stranger", img2, "mallory"); got != refusedView(0, table.ReasonNotAuthorized) {
		t.Fatalf("view by mallory = %+v, want not authorized", got)
	}
	for i := range want {
		as := s.answers[viewID(i)]
		if len(as) != 1 {
			t.Fatalf("view %d answered %d times, want once", i, len(as))
		}
		a := as[0]
		if a.msg.Applier != 1 || a.msg.Table == nil || a.msg.Table.Seq != uint64(i+1) || !slices.Contains(s.served[viewID(i)], a.node) {
			t.Errorf("view %d answered by node %d (revealed by %v) applied by %d at %+v; want the revealing node, applier 1, seq %d",
				i, a.node, s.served[viewID(i)], a.msg.Applier, a.msg.Table, i+1)
		}
	}
	if n := len(s.eventsOf(EvTableApply)); n != 4 {
		t.Errorf("%d table_apply events, want 4 (one per view)", n)
	}
	if n := len(s.eventsOf(EvTableUpdate)); n != 8 {
		t.Errorf("%d table_update events, want 8 (two followers × 4 views)", n)
	}
	s.sameTables("after the views", 1)
	for id, n := range pendingEverywhere(s) {
		if n != 0 {
			t.Errorf("node %d still holds %d requests", id, n)
		}
	}
}

// A client that retries a view (its answer was lost) gets the first result
// and spends nothing more, however many times and to whichever nodes.
func TestRetriedViewIsSpentOnce(t *testing.T) {
	s := stable(t, nil)
	first := s.viewAnswer("r", img3, "alice")
	for attempt := 2; attempt <= 4; attempt++ {
		s.view("r", attempt, img3, "alice", 2, 3) // not even reaching the coordinator
		s.advance(time.Second)
	}
	for _, a := range s.answers["r"] {
		if *a.msg.Result.View != first {
			t.Fatalf("retry answered %+v, first answer %+v", *a.msg.Result.View, first)
		}
	}
	if left, _ := s.store(1).tab.Remaining("img-3"); left != 2 || first != grantedView(2) {
		t.Fatalf("after one view and three retries: first %+v, remaining %d; want granted 2, remaining 2", first, left)
	}
	if got := s.viewAnswer("next", img3, "alice"); got != grantedView(1) {
		t.Fatalf("the next view = %+v, want granted, 1 left", got)
	}
	s.sameTables("after the retries", 1)
}

// Two nodes reveal the same view (the coordinator reassigned it while the
// first assignee was slow): the table spends it once.
func TestReassignedViewIsSpentOnce(t *testing.T) {
	s := stable(t, func(c *Config) { c.Balancer = BalancerRoundRobin })
	s.serveDelay = 500 * time.Millisecond // longer than suspect-after
	s.view("slow", 1, img3, "alice")
	assignee := s.orders["slow"][0]
	s.pause(assignee) // the coordinator suspects it and reassigns
	s.advance(400 * time.Millisecond)
	s.resume(assignee)
	s.advance(2 * time.Second)
	if got := s.orders["slow"]; len(got) < 2 {
		t.Fatalf("the view was revealed by %v only; the test needs a reassignment", got)
	}
	if left, _ := s.store(1).tab.Remaining("img-3"); left != 2 {
		t.Fatalf("remaining %d after one view revealed by %v, want 2", left, s.orders["slow"])
	}
	if a := s.answer("slow"); *a.Result.View != grantedView(2) {
		t.Fatalf("answer %+v, want granted, 2 left", *a.Result.View)
	}
}

// An image no node can read is rejected by its assignee and costs the
// table nothing.
func TestUnreadableImageIsRejectedBeforeTheTable(t *testing.T) {
	s := stable(t, nil)
	s.tableRequest("junk", 1, Message{Kind: KindView, User: "alice", Body: []byte("not an image")})
	s.advance(time.Second)
	if n := len(s.eventsOf(EvTableApply)); n != 0 || len(s.answers["junk"]) != 0 {
		t.Fatalf("an unreadable image reached the table: %d applies, answers %v", n, s.answers["junk"])
	}
	if c := s.eventsOf(EvComplete); len(c) != 1 || c[0].Reason == "" {
		t.Fatalf("complete events %+v, want one with the reveal error", c)
	}
	for id, n := range pendingEverywhere(s) {
		if n != 0 {
			t.Errorf("node %d still holds %d requests", id, n)
		}
	}
}

// Discovery: register, list, unregister, as the seed's table; the
// coordinator applies them itself when it holds the client's copy (no
// assign), and through a holder when the client could not reach it.
func TestDiscoveryOps(t *testing.T) {
	s := stable(t, nil)
	reg := func(id, user, addr string, to ...int) {
		s.tableRequest(id, 1, Message{Kind: KindRegister, User: user, Addr: addr}, to...)
		s.advance(500 * time.Millisecond)
	}
	online := func(id string, to ...int) []table.Peer {
		s.tableRequest(id, 1, Message{Kind: KindOnline}, to...)
		s.advance(500 * time.Millisecond)
		return s.answer(id).Result.Peers
	}
	reg("r1", "bob", "b:1")
	reg("r2", "alice", "a:1", 2, 3) // the coordinator never hears the client
	if got := online("o1"); !slices.Equal(got, []table.Peer{{User: "alice", Addr: "a:1"}, {User: "bob", Addr: "b:1"}}) {
		t.Fatalf("online = %v, want alice and bob", got)
	}
	if a := s.answer("r2"); a.Applier != 1 || !a.Result.Changed || a.From == 1 {
		t.Fatalf("register via a holder: %+v, want changed, applied by 1, answered by a holder", a)
	}
	s.tableRequest("u1", 1, Message{Kind: KindUnregister, User: "bob"})
	s.advance(500 * time.Millisecond)
	if a := s.answer("u1"); !a.Result.Changed {
		t.Fatalf("unregister bob: %+v, want changed", a)
	}
	if got := online("o2", 3); !slices.Equal(got, []table.Peer{{User: "alice", Addr: "a:1"}}) {
		t.Fatalf("online via node 3 = %v, want alice", got)
	}
	for _, e := range s.eventsOf(EvAssign) {
		if e.Request == "r1" || e.Request == "u1" || e.Request == "o1" {
			t.Errorf("a discovery op the coordinator held was assigned: %+v", e)
		}
	}
	s.sameTables("after discovery", 1)
	for id, n := range pendingEverywhere(s) {
		if n != 0 {
			t.Errorf("node %d still holds %d requests", id, n)
		}
	}
}

// The coordinator pushes every update to its peers: after each view every
// follower's copy is the coordinator's, update by update.
func TestUpdatesReachTheFollowers(t *testing.T) {
	s := stable(t, nil)
	for i := range 5 {
		s.viewAnswer(viewID(i), img3, "alice")
		s.sameTables("after a view", 1)
	}
	ups := s.eventsOf(EvTableUpdate)
	for _, e := range ups {
		if e.Peer != 1 || e.Image != "img-3" || e.Result == nil || e.Result.View == nil {
			t.Fatalf("update event %+v, want one from node 1 about img-3 with a view result", e)
		}
	}
	if len(ups) != 10 {
		t.Fatalf("%d update events, want 2 followers × 5", len(ups))
	}
}

// A new coordinator continues from its own copy: the quota spent under the
// old one stays spent (no view "comes back"), and its stream continues the
// old one's numbering.
func TestNewCoordinatorContinuesFromItsCopy(t *testing.T) {
	s := stable(t, nil)
	for i := range 3 {
		s.viewAnswer(viewID(i), img3, "alice")
	}
	old := s.store(1).at
	s.crash(1)
	s.advance(2 * time.Second)
	c, _ := s.mustAgree("after the crash")
	if got := s.viewAnswer("after", img3, "alice"); got != refusedView(0, table.ReasonExhausted) {
		t.Fatalf("view after the coordinator died = %+v, want quota exhausted", got)
	}
	a := s.answer("after")
	if a.Applier != c || a.Table.Seq != old.Seq+1 || a.Table.Epoch <= old.Epoch {
		t.Fatalf("answer %+v after %+v, want applied by the new coordinator %d at seq %d of a later epoch", a, old, c, old.Seq+1)
	}
	s.sameTables("after the failover", c)
}

// A crashed node restarts with an empty table and copies it in its sync.
func TestRecoveringNodeCopiesTheTable(t *testing.T) {
	s := stable(t, nil)
	s.viewAnswer("before", img3, "alice")
	s.crash(3)
	s.advance(time.Second)
	s.viewAnswer("during", img3, "alice")
	s.restart(3, 5, nil)
	if st := s.store(3); st.at != (Pos{}) {
		t.Fatalf("a restarted node's table starts at %+v, want empty", st.at)
	}
	s.advance(2 * time.Second)
	s.mustAgree("after the restart")
	syncs := s.eventsOf(EvTableSync)
	if len(syncs) == 0 || syncs[0].Node != 3 || syncs[0].Reason != syncRecovery {
		t.Fatalf("table_sync events %+v, want node 3 copying in its recovery", syncs)
	}
	s.sameTables("after the recovery", 1)
	if left, _ := s.store(3).tab.Remaining("img-3"); left != 1 {
		t.Fatalf("node 3's copy has %d views left, want 1", left)
	}
}

// A follower that misses an update notices — by the gap before the next
// update, or by the coordinator's heartbeat when no update follows — and
// copies the coordinator's table; it drops the request the update would
// have ended when the coordinator's heartbeat lists it as done.
func TestFollowerMissingAnUpdateResyncs(t *testing.T) {
	for _, next := range []bool{true, false} {
		s := stable(t, nil)
		dropped := 0
		s.drop = func(m simMsg) bool {
			if m.to == 3 && m.msg.Type == MsgTableUpdate && dropped == 0 {
				dropped++
				return true
			}
			return false
		}
		s.serveDelay = 0 // both updates leave before the next heartbeat
		s.view("lost", 1, img3, "alice")
		if next {
			s.view("next", 1, img3, "alice")
		}
		s.advance(time.Second)
		syncs := s.eventsOf(EvTableSync)
		want := syncBehind
		if next {
			want = syncGap
		}
		if dropped != 1 || len(syncs) != 1 || syncs[0].Node != 3 || syncs[0].Peer != 1 || syncs[0].Reason != want {
			t.Fatalf("next=%v: dropped %d updates; table_sync events %+v, want one by node 3 from node 1, reason %s", next, dropped, syncs, want)
		}
		s.sameTables("after the resync", 1)
		if n := len(s.ms[3].reqs); n != 0 {
			t.Fatalf("next=%v: node 3 still holds %d requests: the coordinator's heartbeat lists applied ids as done", next, n)
		}
	}
}

// The seed's store is not safe under a partition, and this test shows it:
// the coordinator is cut off from its peers while clients reach both
// sides; the majority elects a coordinator of its own, and both grant
// views of the same image from their copies — more than its quota. After
// the partition heals, the copy of the newer epoch wins and the minority's
// grants are gone from the table, though their clients were told granted.
func TestPartitionOverGrantsTheQuota(t *testing.T) {
	s := stable(t, nil)
	side := map[int]int{1: 0, 2: 1, 3: 1}
	s.drop = func(m simMsg) bool { return side[m.from] != side[m.to] }
	s.advance(time.Second)
	grants := map[int]int{} // coordinator → views it granted
	for i := range 3 {
		for _, to := range []int{1, 2} { // a client on each side
			id := viewID(10*to + i)
			s.view(id, 1, img2, "alice", to)
			if to == 2 {
				s.view(id, 1, img2, "alice", 3)
			}
			s.advance(300 * time.Millisecond)
			if as := s.answers[id]; len(as) > 0 && as[0].msg.Result.View.Granted {
				grants[as[0].msg.Applier]++
			}
		}
	}
	total := grants[1] + grants[2] + grants[3]
	if total <= img2.Quota || grants[1] == 0 || grants[1] == total {
		t.Fatalf("views granted by coordinator: %v (total %d, quota %d); want both sides granting, more than the quota", grants, total, img2.Quota)
	}
	s.drop = nil
	s.advance(3 * time.Second)
	c, _ := s.mustAgree("after the heal")
	s.sameTables("after the heal", c)
	if left, _ := s.store(c).tab.Remaining("img-2"); left != 0 {
		t.Fatalf("after the heal the table has %d views of img-2 left, want 0", left)
	}
	t.Logf("granted %d views of a quota-%d image: %v by coordinator", total, img2.Quota, grants)
}

// The dedup window is Config.DedupWindow: with a window of one op, a retry
// that comes after another op is no longer recognised and is spent again
// (with the default it would be the first answer).
func TestDedupWindowIsTheConfiguredOne(t *testing.T) {
	for _, c := range []struct {
		window int
		want   table.ViewResult
	}{{1, grantedView(0)}, {DefaultConfig().DedupWindow, grantedView(2)}} {
		s := stable(t, func(cfg *Config) { cfg.DedupWindow = c.window })
		s.viewAnswer("a", img3, "alice")
		s.viewAnswer("b", img3, "alice")
		delete(s.answers, "a")
		s.view("a", 2, img3, "alice")
		s.advance(time.Second)
		if got := *s.answer("a").Result.View; got != c.want {
			t.Fatalf("window %d: the retry of the first view = %+v, want %+v", c.window, got, c.want)
		}
	}
}

// The assignee that lost the update with its op's result still answers its
// client: it resends the op, and the table returns the first result.
func TestAssigneeThatLostTheUpdateStillAnswers(t *testing.T) {
	s := stable(t, func(c *Config) { c.Balancer = BalancerRoundRobin })
	s.viewAnswer("warm-up", img3, "alice") // round-robin: the next view goes to node 2
	dropped := false
	s.drop = func(m simMsg) bool {
		if m.to == 2 && m.msg.Type == MsgTableUpdate && m.msg.ID == "lost" && !dropped {
			dropped = true
			return true
		}
		return false
	}
	s.view("lost", 1, img3, "alice")
	s.advance(time.Second)
	if got := s.orders["lost"]; len(got) != 1 || got[0] != 2 {
		t.Fatalf("the view was revealed by %v, want node 2", got)
	}
	a := s.answer("lost")
	if *a.Result.View != grantedView(1) || s.answers["lost"][0].node != 2 {
		t.Fatalf("answer %+v from node %d, want granted, 1 left, from node 2", *a.Result.View, s.answers["lost"][0].node)
	}
	if left, _ := s.store(1).tab.Remaining("img-3"); left != 1 {
		t.Fatalf("remaining %d, want 1: the resent op was spent again", left)
	}
}
