// Package cluster is the cloud under study: node processes that elect a
// coordinator with a load-based Bully election, detect failures, survive
// silent failures, crashes and pauses, balance "encryption" requests
// (metadata hidden in an image) and views (an image's metadata revealed and
// one of its views spent) across themselves, and keep the seed's Phase 2
// table — views left per image, users online — on the coordinator, which
// pushes every change to its peers.
//
// # Who owns what
//
// Machine is the node's protocol as a pure state machine (like etcd-io/raft's
// RawNode): messages, ticks and service results go in, each stamped with the
// caller's clock; messages to send, events and serve orders come out in a
// Ready. It has no sockets, goroutines, clock or global randomness. Node is the
// driver: one loop goroutine owns the Machine; reader goroutines (one per
// inbound connection), writer goroutines (one per peer link) and one goroutine
// per served request talk to it by channel. The `stegocloud node` command
// around a Node (flags, stderr, signals) is internal/nodecmd; tests and the
// harness re-execute their own binary into it (internal/nodecmd/nodetest,
// Config.Args) to get real node processes.
//
// Sub-packages: wire (messages, frames, transports, persistent links: what
// the node and the client share), client (the client: Encrypt, View,
// Register, Unregister, Online), table (the Phase 2 table as a pure state
// machine) and raftstore (the table replicated with etcd-io/raft, for the
// Raft store). names.go re-exports the wire's and the client's names, so
// cluster.Message, cluster.NewClient and the sentinel errors keep working.
//
// # Wire protocol
//
// TCP (Transport; an in-memory one for tests), optionally mutual TLS (see
// Security). Every frame is
//
//	uint32 big-endian N | uint32 big-endian H | H bytes JSON header | N−4−H bytes body
//
// The header is a Message (type, from, epoch, ids, …); the body is raw bytes,
// only on request (the cover, or the image to view), response (the result
// PNG), sync_resp and table_copy (a copy of the table), and raft (one
// marshalled raftpb.Message, election raft only) — images are
// never base64'd. N is limited by Config.MaxFrame (default 64 MiB). Headers
// and bodies are read as their bytes arrive, into buffers that grow with
// them: a declared length costs nothing until it is sent. The first frame on
// every connection is hello with a role: "peer" (with its node id), "client"
// (with the largest response it accepts, max_frame) or "control"; it must
// arrive within Config.HandshakeTimeout and fit in 4 KiB. A frame that is too
// large, truncated, not parseable, of an unknown type, or not allowed for the
// connection's role closes that connection only, with a logged reason and a
// protocol_error event. Connections are persistent: each node keeps one
// outgoing connection per peer (redialled with backoff, also when the other
// side closes it straight away), a client one per node.
//
// # Limits
//
// Whatever a connection sends, it costs the node bounded resources: at most
// Config.MaxClients client and Config.MaxControl control connections, two
// per peer, and as many again on their way in (before TLS and hello are
// done; each of those for Config.HandshakeTimeout at most); more are refused,
// counted in "refused.connections" and logged at most once a second; 64 KiB
// frames on control connections; a peer connection silent for 10 ×
// SuspectAfter, and a client or control connection silent for
// Config.ClientIdle with nothing being served for it, is closed — silence
// counted, like suspicion, only while the node itself runs. Responses to a
// client queue per connection (32 MiB) behind a writer of their own, so a
// client that does not read costs only its own answers. A request whose
// answer could exceed the client's max_frame (judged from the cover's header:
// see Bounder) is refused at once with the reason, never served.
//
// # Security
//
// With Config.TLS (a directory made by `stegocloud certs`, internal/pki)
// every connection, in and out, is TLS 1.3 with a certificate of the cluster
// CA on both sides; plaintext and other CAs fail the handshake. A
// certificate carries one identity, spiffe://stegocloud/node/N, …/client/NAME
// or …/control/NAME, and the hello must match it: peer N needs node N's
// certificate, client a client one, control a control one (a refused control
// request is answered with the reason). Diallers check that the node they
// reached is the node they meant. Refusals are protocol_error events whose
// reason wraps ErrUnauthorized.
//
// # Node states and failure detection
//
// Active → Failed → Recovering → Active. Failed (simulated, by a control
// request) drops every inbound frame except control, sends nothing and
// abandons in-flight work. Recovering asks every peer for its view (epoch,
// coordinator, loads, states, suspicions), takes the first Active answer,
// waits Config.SyncDelay, becomes Active and, with Config.RecoveryElection,
// starts an election. A node started with Config.StartRecovering (a restarted
// crashed process) begins in Recovering. Every node sends a heartbeat to every
// peer each Config.Heartbeat with its epoch, coordinator, load and state; a
// peer unheard for Config.SuspectAfter of this node's own running time is
// suspected (a stopped or starved node does not blame its peers); a broken
// connection is suspected at once.
//
// # Election
//
// Load = base + per_request × outstanding. The initiator takes epoch
// (round+1)<<8 | its id, above every epoch it has seen (and above its
// persisted floor, see below), sends election to every peer, collects ok
// replies with loads until every unsuspected peer answered or
// Config.ElectionTimeout passed, picks the Active node with the lowest (load,
// id) and broadcasts coordinator(epoch, winner, loads). With
// Config.ElectionMargin (hysteresis, off by default) the sitting coordinator
// keeps its place unless the winner's load is lower than its own by more than
// the margin. A node that sees a higher epoch abandons its own election and
// stops acting as coordinator until a decision for that epoch arrives; lower
// epochs are ignored. Epochs are unique per initiator and each initiator
// decides an epoch once, so every coordinator event of an epoch names the
// same node. Triggers: startup (a fresh node that took part in no election
// within suspect-after plus jitter), coordinator suspected, periodic
// (Config.ReelectEvery, run by the coordinator), recovery, and no result
// within two election timeouts of an announced election.
//
// What a node refuses: messages from senders outside its --peers; a message
// whose epoch's round is beyond the last round that still has a successor,
// or more than 2^32 rounds above the highest epoch it knows (dropped whole, so
// nextEpoch never wraps); an assign to a non-member (dropped whole); a
// decision naming a non-member (not followed, the term still rises so an
// election follows). Each refusal is a reject event.
//
// Contested decisions (partial connectivity, e.g. a bridge: nodes a and b cut
// from each other, both reaching c): a node that adopts a decision naming a
// coordinator it suspects does not re-elect at once, which made the two cut
// nodes depose each other in a loop, but after a randomised exponential
// backoff (ElectionTimeout·2^n, capped at Config.ElectionBackoff, drawn from
// the upper half with the seeded source; the streak resets after twice the
// cap without a contested election), announced by an election_backoff event.
// A coordinator that was heard and then lost is replaced at once, as before.
//
// Persistence: with Config.StateDir, a node keeps a HardState (the highest
// epoch it has initiated or seen, reserved 16 rounds ahead) in
// StateDir/node-ID.state.json, written atomically and fsynced before any
// message of the epoch it covers is sent; a restarted node elects above it.
// Without a state dir, a node restarted while its peers cannot answer its
// sync may decide an epoch it decided before and act as a second coordinator
// of that epoch.
//
// Fencing: an assignee refuses an assign whose epoch is below the highest it
// has seen (fenced event) and answers the sender with a heartbeat carrying its
// view, so that the sender steps down. A node that notices it was not running
// (a gap of more than half of suspect-after between the timestamps of
// successive inputs: SIGSTOP, a starved CPU) writes a stall event, asks every
// peer for its view (sync_req) and does not act as coordinator until every
// live Active peer answered, or suspect-after of running time passed.
//
// # Requests
//
// A client multicasts request(id, attempt, metadata, cover) to every node.
// Every node holds it; the coordinator picks the server with the balancer
// (lowest-load: its own view, base + per_request × requests it assigned and
// has not seen done, ties taking turns in id order; round-robin; random,
// seeded; coordinator: itself) and broadcasts assign(id → node, loads). The
// assignee runs the service (Codec.Hide plus Config.ServiceDelay), sends done
// to the coordinator, then the response to the client, on the connection the
// latest attempt came by; the others learn it from the next heartbeat, which
// carries the ids finished since the last one (ids a peer missed because its
// link was down are sent to it again, in a done frame, when it is back).
// If the assignee is suspected or stops being Active, the coordinator
// reassigns; a new coordinator assigns whatever is pending; an assignee whose
// copy never arrived says request_missing and the coordinator reassigns; a
// node holding a copy nobody assigned for suspect-after (the client could not
// reach the coordinator) says request_unassigned and the coordinator assigns
// it to a node that holds it; a holder that suspects the assignee of a
// request it holds reports it too (with that assignee), so a coordinator that
// never held the request (it recovered with an empty table) still reassigns
// it. A node never serves an id twice at once; late copies of a finished attempt
// are ignored for Config.RequestTTL, retries (higher attempt) are served.
// Per request with n nodes: n request copies, n−1 assigns, 1 response and 1
// done unless the coordinator served it (6⅔ measured for n = 3).
//
// # The table: views, quota, discovery (the seed's Phase 2)
//
// Requests of kind view, register, unregister and online carry a table op
// (package table). They ride the request path above — every node holds the
// client's copy, the coordinator assigns, a lost assignee's work is
// reassigned — and the coordinator's table decides:
//
//	client → all n:        request(id, kind view, user, body = image)
//	coordinator → n−1:     assign(id → a), by the balancer: the reveal work is balanced
//	a:                     reveals the image's metadata (Config.Key for a sealed one; an image it
//	                       cannot read is answered "rejected" and spends nothing), builds
//	                       view(image = metadata id, user, quota, authorized = user ∈ usernames)
//	a → coordinator:       table_op(id, op)                       (none when a is the coordinator)
//	coordinator:           applies op to its table: the result, and the next number s of its stream
//	coordinator → n−1:     table_update(id, op, result, coord_epoch e, table {e, s}, prev)
//	every node:            the request is done; a answers the client:
//	a → client:            response(id, result, applier = coordinator, coord_epoch e, table {e, s})
//
// A view with n nodes: n request copies, n−1 assigns, a table_op unless the
// coordinator revealed it, n−1 updates and one response: 3n (3n−1 when the
// coordinator revealed it); no done frame: the update ends the request
// everywhere, and the coordinator's next heartbeat lists its id as done for
// a follower that lost the update.
// For n = 3, 9 or 8 (8⅔ with round-robin, TestTableMessageCounts). Register
// and unregister need no work, so the coordinator takes them itself when it
// holds the client's copy: n copies, n−1 updates, one response (2n). Online
// is a read: n copies and one response (n+1), answered from the
// coordinator's table; the others drop their copies when its next heartbeat
// lists the id as done. A coordinator without the client's copy (the client
// could not reach it) assigns the op to a node that holds it, which sends it
// as a table_op; a read is then answered with table_result.
//
// Updates are numbered 1, 2, … in one stream across coordinators: a
// position (Pos) is the number s and the epoch e of the coordinator that
// applied it, and an update carries the epoch of the one before it (prev).
// Each epoch has one coordinator, so a position names one update, and a
// copy that applies an update only when its prev matches the copy's last
// position has the same history as the coordinator up to it (Raft's log
// matching, without the quorum). A follower applies the update that follows
// its position; ignores one it has (same epoch, lower number); and asks the
// coordinator for its copy (table_sync → table_copy, the whole table as
// table.Snapshot) when an update does not follow (a gap: one was lost), when
// its own result differs from the coordinator's, or when the coordinator's
// heartbeat — which carries its position, and leaves on the same connection
// after every update before it — names another position (a lost last
// update; a history this copy does not share). An update from a superseded
// epoch is refused and its sender told, like an assign; one from a newer
// epoch makes the follower follow its sender. While a copy is on its way
// updates are ignored: the copy holds them. A follower asks again after
// suspect-after.
//
// A new coordinator continues from the newest copy among its voters, not
// blindly from its own: the Bully election picks the lowest load, and the
// lowest load is often a node that just recovered (its outstanding work is
// gone) with a copy taken before its sync delay — serving from it lost
// every update in between, and the followers then resynced to it as
// "diverged" (the harness's quota run: ~39 grants gone, views granted
// again). So each ok carries the voter's table position, the initiator
// names the Active voter with the newest one (epoch first, then number:
// Raft's up-to-date rule) in its coordinator message (holder, table), and
// a winner whose copy is older asks the holder for its copy (table_sync
// naming its epoch → table_copy; any Active node answers a new
// coordinator so) and holds its own and its peers' ops until the copy is
// in (table_sync reason catch-up). It asks again every suspect-after; if
// the holder becomes suspected it calls a new election (cause catch-up),
// which finds the newest copy among the nodes still heard. Every voter,
// the old coordinator included, raised its term before it answered, so
// nobody applies an update of an older epoch after its ok: the position a
// voter reports is final, and that covers the in-flight window (an update
// the old coordinator applied just before it heard the election reaches
// the others after they moved to the new term and is refused as stale; it
// lives on in the old coordinator's copy, which is the newest).
// A follower whose copy is newer than a catching-up coordinator's resyncs
// on its heartbeat as before, but the coordinator answers table_sync only
// once it has the newest copy, so the follower gets its updates back
// rather than losing them. Costs: two position fields per
// ok and coordinator message, and one table_sync/table_copy round trip
// (the whole table) before a behind winner serves; nothing when the
// winner's copy is the newest. A recovering node also applies the updates
// it receives once it has its sync's copy (and resyncs on a gap), so its
// copy is current when it goes Active and the catch-up is rarely needed.
// That alone would not do: an update lost on the way, or one in flight at
// the election, still leaves the winner behind. Electing the newest copy
// instead of the lowest load would change the seed's rule; fetching the
// newest copy keeps the rule and loses nothing.
//
// A recovering node asks for the table with its sync (want_table) and
// restores the first Active answer's copy; a crashed and restarted process
// starts with an empty table and so depends on it (if no peer answers, it
// goes on with the empty table). An assignee resends
// its op to each new coordinator and every suspect-after until it has the
// result; every op carries the client's request id (hashed when longer than
// the table takes), retries of the request reuse it, and the table's dedup
// window (Config.DedupWindow, the same on every node) returns the first
// result to a repeated op: a retried or reassigned view is spent once.
//
// This is the seed's design, and it is neither durable nor linearizable:
// the table lives in memory (the whole cluster restarting loses it); an
// update the coordinator applied and answered but no follower received is
// gone when the coordinator dies (its view "comes back"); and two nodes
// acting as coordinators at once — a coordinator cut off from its peers by
// a partition keeps acting while the others elect one — both apply ops to
// their copies: both grant the same image's views, more than its quota, and
// when the partition heals one side's copy overwrites the other's (the
// newer epoch's: even an old coordinator that wins takes it, as the newest
// by epoch) and the other side's grants are gone from the table though
// their clients were told granted (TestPartitionOverGrantsTheQuota). A
// coordinator that is only suspected, not failed (paused past
// suspect-after, or cut off), is such a partition in time: what it applies
// after the others decided without its vote is refused by them as stale,
// and what it answered itself is lost. Otherwise a change of coordinator
// (crash, silent fault, recovery or periodic election) keeps every update
// that some voter holds (TestRecoveredCoordinatorKeepsTheSuccessorsGrants,
// TestNewCoordinatorTakesTheNewestCopy); only what a crashed coordinator
// applied and no peer received is gone, as above. The store behind the request path
// is an interface (tableStore, store.go) so that a Raft store can replace
// this one without changing the view path.
//
// # Election raft (Config.Election, --election raft)
//
// The alternative to all of the above, beside it: each node runs
// go.etcd.io/raft/v3 through package raftstore (its log, snapshots and
// fsyncs in StateDir/raft-ID, so raft needs --state-dir; PreVote and
// CheckQuorum on). The Raft leader is the coordinator: no Bully election
// runs (election, ok and coordinator frames are ignored, no epoch is
// decided or persisted), the coordinator's epoch is the Raft term, and a
// node reports coordinator = the leader it knows in its status and in a
// coordinator event whenever the (term, leader) pair changes (leader 0: it
// knows none, e.g. a leader that stepped down). The leader assigns requests
// with the configured balancer and heartbeats, failure detection, recovery
// and reassignment work as above. The failure detector serves Raft twice:
// a leader acts as coordinator only while it hears a majority (a lease:
// suspect-after is validated below Raft's election timeout of 10
// heartbeats, so a leader cut off stops assigning before a successor can
// be elected), and followers that lose the leader (its connection broke,
// or silent for twice suspect-after) forget it and the lowest-id live one
// campaigns at once (election_start, cause coordinator-lost) instead of
// waiting out Raft's randomised 10–20 heartbeats. The table is Raft's state machine
// (raftStore, raftstore_adapter.go): the assignee of a table op proposes it
// on its own replica (a follower's Raft forwards it to the leader), online
// goes through ReadIndex, and the op's result comes back when the
// assignee's replica applies the entry — it answers the client with the
// leader as applier and (term, applied index) as position, and lists the
// id as done in its next heartbeat. A proposal refused (no leader) or timed
// out (a forward lost) is proposed again under the same op id; the dedup
// window returns the first result if it did commit. Raft frames ride the
// peer links and are stepped only when their raftpb sender is the peer of
// the link (a forwarded proposal keeps its origin). The driver runs the
// store's Process from Machine.Ready, so every write Raft asks for is
// fsynced before the Ready's messages leave, and hands the machine up to 64
// queued inputs per Ready, so one fsync covers a batch. What it buys: a
// side without a quorum grants nothing (its leader steps down within an
// election timeout), a table op answered is committed on a majority's
// disks, and a whole-cluster crash loses nothing
// (TestE2ERaftRestartFromDisk, TestRaftSimPartitionedLeaderGrantsNothing).
// What it costs: a majority must be up, and every op waits for a quorum's
// fsync (BenchmarkE2EViews compares both stores in one run).
//
// # Events
//
// With Config.Events set, a node appends one JSON object per line (Event, in
// events.go) to the file. Lines are queued and written by a goroutine, never
// by the node's loop, so a slow disk costs lines (counted as "lost.events")
// rather than heartbeats; the queue is drained on stop, and every write holds
// whole lines, so a killed node never leaves a torn line. Time is
// wall-clock Unix ns; node is the writer. Fields by type:
//
//	start            state: the state the process starts in
//	state            from → state
//	suspect          peer; reason: silent | disconnected | sync (copied from the peer a recovering node synced from)
//	alive            peer: a suspected peer was heard again
//	election_start   epoch (of the new election), cause: startup | coordinator-lost | periodic | recovery | no-coordinator | catch-up
//	election_result  epoch, coordinator (winner), loads (every voter's load), cause; reason "hysteresis" when the margin kept the sitting coordinator; written by the initiator only
//	coordinator      epoch, coordinator: this node now follows that decision (every node, each time; failover is measured from these)
//	assign           req, assignee, loads (candidates' loads at decision), epoch (of the deciding coordinator)
//	reassign         req, assignee (new), peer (previous), reason: suspected | not-active | assignee-lost | missing, loads, epoch
//	complete         req, dur (service time, ns), reason (the service error, empty on success), epoch
//	load             state, load, outstanding, epoch and coordinator followed, counters; every Config.LoadSample
//	sync             peer (whose view was copied), epoch, coordinator; reason "no peer answered" when the node gave up waiting
//	protocol_error   peer (0 if unknown), reason: a connection was closed (bad frame, failed TLS handshake, identity not allowed the role)
//	stop             state, load, outstanding, epoch, coordinator, counters: clean shutdown
//	reject           peer (0 if not from a message), epoch, coordinator, reason: epoch beyond bound | assignee is not a member | coordinator is not a member (once per peer, epoch and reason in a row)
//	election_backoff epoch, coordinator (a decision naming a coordinator this node suspects), dur: how long it follows it before re-electing
//	stall            dur (the gap between inputs), epoch, coordinator (followed): this node was not running; it is fenced until its peers answer
//	fenced           peer (the sender), epoch (its superseded epoch), req, assignee: an assign this node refused
//	table_apply      req, kind (view | register | unregister | online), image, user, result, epoch, seq: the
//	                 acting coordinator applied the op (seq: its update's number; a read, online, does not
//	                 advance the stream: seq is the last update's; raft: the assignee, when its replica
//	                 applied its proposal, epoch the term, seq the applied index)
//	table_update     req, kind, image, user, result, epoch, seq, peer (the coordinator): a follower applied its update
//	table_sync       peer, epoch, seq, reason (recovery | behind | gap | diverged | catch-up): this node replaced its copy of the table with peer's
//	table_answer     req, kind, image, user, result, coordinator (the applier), epoch, seq: this node answered the client
//	raft_recover     epoch (term), seq (last log index), reason: the raft store opened its directory (raft only)
//	raft_leader      epoch (term), coordinator (leader, 0: none), state (follower | candidate | pre-candidate | leader) (raft only)
//	raft_snapshot    epoch, seq (index), reason (created | received) (raft only)
//	raft_bad_entry   seq, reason: a committed entry that is no valid op, skipped by every replica (raft only)
//
// A view's assignee also writes complete (req, dur: the reveal, kind view;
// reason when the image could not be read). The node that granted a view
// is the coordinator of its table_apply event (and the client's
// Outcome.Applier); under a partition two of them grant.
//
// Counters are cumulative per process: "sent.T" counts frames of type T
// written to a connection (per destination), "recv.T" frames read, "drop.T"
// frames discarded (queue full, peer unreachable, or this node Failed).
// Clients' requests appear only as recv.request; responses as sent.response.
// When not zero, "refused.connections" counts connections refused (caps),
// "lost.events" event lines and "lost.log" log writes dropped because the
// disk or stderr fell behind.
//
// # Control
//
// FailFor, Status and Shutdown (or a Control with another Transport or with
// TLS credentials) open a control connection. A Failed node still answers
// them. SIGINT and SIGTERM
// also stop a node cleanly.
//
// # Client
//
// The client is package client (NewClient here): one connection per node,
// requests multicast and retried under the same id, the first valid answer
// taken. Encrypt verifies that the image carries exactly the metadata sent,
// id included; View, Register, Unregister and Online return the table's
// result with the node that answered and the one that applied it. Errors
// unwrap to ErrTimeout, ErrNoNode, ErrInvalidResponse, ErrRejected,
// ErrClosed or a context error; for a table op, ErrRejected and ErrNoNode
// mean it was not applied, anything else (ErrTimeout) that its outcome is
// unknown (client.NotApplied).
package cluster
