package analyze

import (
	"maps"
	"testing"

	"stegocloud/cluster"
	"stegocloud/harness/internal/synth"
	"stegocloud/harness/rundir"
)

// raftRole is a raft_leader event: node's role in term.
func raftRole(ms, node int, term uint64, state string, leader int) cluster.Event {
	e := synth.Ev(ms, node, cluster.EvRaftLeader)
	e.Epoch, e.State, e.Coordinator = term, state, leader
	return e
}

// TestRaftElectionsFromCandidates: Raft's own timeout elections log no
// election_start; each term in which a node became candidate is one
// election, and an early campaign (election_start) is not counted twice.
func TestRaftElectionsFromCandidates(t *testing.T) {
	early := synth.Ev(3000, 2, cluster.EvElectionStart)
	early.Epoch, early.Cause = 3, cluster.CauseCoordinatorLost
	a := analyzeRun(t, nil, []cluster.Event{
		// term 2: node 1 times out, node 3 too (split vote, same term: one election)
		raftRole(100, 1, 1, "pre-candidate", 0), raftRole(110, 1, 2, "candidate", 0),
		raftRole(111, 3, 2, "candidate", 0), raftRole(150, 1, 2, "leader", 1),
		// a pre-vote that fails raises no term: no election
		raftRole(1000, 3, 2, "pre-candidate", 0), raftRole(1100, 3, 2, "follower", 1),
		// term 3: node 2's early campaign, announced by election_start
		early, raftRole(3001, 2, 2, "pre-candidate", 0), raftRole(3010, 2, 3, "candidate", 0),
		raftRole(3020, 2, 3, "leader", 2),
		// term 4: node 3 times out again
		raftRole(5000, 3, 4, "candidate", 0), raftRole(5020, 3, 4, "leader", 3),
	})
	want := map[string]int{CauseRaftTimeout: 2, cluster.CauseCoordinatorLost: 1}
	if a.Elections.Total != 3 || !maps.Equal(a.Elections.ByCause, want) {
		t.Errorf("elections %d by cause %v, want 3 by cause %v", a.Elections.Total, a.Elections.ByCause, want)
	}
}

// TestReplicationCost: Raft frames are replication, as the table's frames
// are with Bully; the Raft counters are summed over processes like the
// message counters (a restart counts from 0), and fsyncs/s is over the
// load's duration.
func TestReplicationCost(t *testing.T) {
	type c = map[string]int64
	a := analyzeRun(t, nil, []cluster.Event{
		synth.Load(100, 1, 0.5, c{"sent.raft": 40, "sent.assign": 10, "recv.request": 10, "raft.fsyncs": 30, "raft.readies": 35, "raft.wal_bytes": 1000}),
		synth.Load(100, 2, 0.5, c{"sent.raft": 20, "sent.response": 10, "sent.heartbeat": 5, "raft.fsyncs": 20}),
		synth.Start(200, 1, "Recovering"), // node 1 restarts: its counters start again
		synth.Stop(300, 1, c{"sent.raft": 4, "raft.fsyncs": 6, "raft.readies": 6, "raft.wal_bytes": 100}),
		synth.Stop(300, 2, c{"sent.raft": 26, "sent.response": 10, "sent.heartbeat": 5, "raft.fsyncs": 24}),
	})
	want := rundir.MessageCounts{Total: 105, Request: 30, Heartbeat: 5, Replication: 70,
		ByType: map[string]int64{"raft": 70, "assign": 10, "response": 10, "heartbeat": 5, "request": 10}}
	if a.Messages.Total != want.Total || a.Messages.Replication != want.Replication || a.Messages.Request != want.Request ||
		a.Messages.Other != 0 || !maps.Equal(a.Messages.ByType, want.ByType) {
		t.Errorf("messages = %+v, want %+v", a.Messages, want)
	}
	if a.Raft != (RaftCounters{Fsyncs: 60, Readies: 41, WALBytes: 1100}) {
		t.Errorf("raft counters = %+v, want 30+6 + 24 fsyncs, 35+6 readies, 1100 bytes", a.Raft)
	}
	var s rundir.Summary
	s.Requests.Total, s.DurationS = 10, 4
	a.Summarize(&s)
	wantCost := rundir.ReplicationCost{MessagesPerRequest: 7, AllMessagesPerRequest: 10.5, Fsyncs: 60, FsyncsPerS: 15, Readies: 41, WALBytes: 1100}
	if s.Replication != wantCost || s.MessagesPerRequest != 3 {
		t.Errorf("summary replication = %+v, messages per request %v; want %+v, 3", s.Replication, s.MessagesPerRequest, wantCost)
	}
	// Bully: no Raft counters, the table's frames are the replication.
	b := analyzeRun(t, nil, []cluster.Event{
		synth.Stop(300, 1, c{"sent.table_update": 8, "sent.table_copy": 1, "sent.table_sync": 1, "sent.election": 2}),
	})
	var sb rundir.Summary
	sb.Requests.Total, sb.DurationS = 10, 4
	b.Summarize(&sb)
	if sb.Replication != (rundir.ReplicationCost{MessagesPerRequest: 1, AllMessagesPerRequest: 1.2}) || b.Messages.Election != 2 {
		t.Errorf("bully replication = %+v (election %d), want 10 table frames / 10 requests, 0 fsyncs, 2 election", sb.Replication, b.Messages.Election)
	}
}
