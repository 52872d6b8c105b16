// Package history records the operations a run makes on the cluster's
// replicated table — view, register, unregister, online — and checks them:
// Linearizable (with porcupine) and QuotaSafety. It owns the history.jsonl
// format: one Go type (Op), one writer (Writer), one reader (Reader,
// ReadAll).
//
// # Who owns the loop
//
// The harness's load generator owns the clock and the goroutines. When a
// table operation completes — answered, failed, or given up on — it builds an
// Op and hands it to Writer.Add, from one goroutine; Close flushes. The
// checks are functions of a []Op (ReadAll's result, or the slice the harness
// kept): they read no clock except porcupine's search budget, draw no random
// numbers, and Linearizable writes one file, the visualization, only when it
// fails and only where it is told:
//
//	w := history.NewWriter(f) // f: the run dir's history.jsonl
//	for each completed table operation { w.Add(op) }
//	w.Close(); f.Close()
//	ops, err := history.ReadAll(f2)
//	lin := history.Linearizable(ops, history.LinearizableConfig{Timeout: 60*time.Second, VisualizationPath: filepath.Join(runDir, "linearizable.html")})
//	quota := history.QuotaSafety(ops)
//
// Result is JSON-encodable as it stands (for summary.json's verdict): name,
// status (pass, fail, unknown), a one-line summary, counts, details, and the
// violations with the operations behind each, in words a report prints.
// unknown is inconclusive, not a pass.
//
// # The file: history.jsonl
//
// One JSON object per line, one line per operation, in the order the
// harness learned the outcomes (the checks do not depend on the order;
// ReadAll's ops[i] is line i+1, which is what Evidence.Index points to).
// Times are integer nanoseconds on the harness's monotonic clock since the
// load started. Fields:
//
//	client     load client (worker slot) that issued the operation, ≥ 0
//	kind       "view" | "register" | "unregister" | "online"
//	request    request id on the wire (optional)
//	input      what was asked:
//	  image      view: the image id (from the image's metadata)
//	  user       view, register, unregister: the user
//	  quota      view: the image's quota as the harness wrote it (≥ 0; required,
//	             and the same on every view of an image)
//	  authorized view, optional: true/false if the client knows whether the
//	             user is among the image's authorized users; absent if not
//	  addr       register: the address
//	outcome    "ok" (answered), "fail" (certainly not applied: the request never
//	           reached the table), "unknown" (no answer: timed out, connection
//	           lost after sending — it may or may not have taken effect, at any
//	           time after its call, even after the client gave up)
//	output     only when outcome is "ok":
//	  granted, remaining, reason   view (both granted and remaining required;
//	                               reason "" when granted, else "not authorized"
//	                               or "quota exhausted" — any other text is kept
//	                               and judged as an answer the table never gives)
//	  online     online(): the list of {"user","addr"} as answered (required,
//	             may be empty); register and unregister answer nothing
//	call_ns    when the client sent the request, ≥ 0
//	return_ns  when the answer (or the failure) came back, ≥ call_ns; absent
//	           exactly when outcome is "unknown"
//	node       the node that answered, from 1 (absent: not known)
//	applier    only when outcome is "ok": the node whose table applied the op
//	           (the coordinator that granted a view), from 1 (absent: not known)
//	epoch      only when outcome is "ok": the applier's coordinator epoch then
//	error      the client's error text (optional)
//
// Example:
//
//	{"client":3,"kind":"view","request":"r1","input":{"image":"img-1","user":"alice","quota":2,"authorized":true},"outcome":"ok","output":{"granted":true,"remaining":0},"call_ns":0,"return_ns":10000000,"node":2}
//
// The Reader is strict: unknown fields, a field the kind does not have, a
// missing required field, a return before its call, an output on an
// operation that was not answered, an empty line — each is an error wrapping
// ErrBadHistory that names the line. Writer.Add refuses (ErrInvalidOp) what
// the Reader would refuse, so every file it writes reads back.
//
// # The table's semantics (what both checks hold the answers to)
//
// View: the first time an image is seen its remaining views are its quota
// (carried by every view). A user not authorized gets {granted: false,
// remaining: r, reason: "not authorized"} and nothing is spent; with r = 0
// an authorized user gets {false, 0, "quota exhausted"}; otherwise r becomes
// r−1 and the answer is {true, r−1}. Discovery starts empty; register(u, a)
// sets u's address to a (replacing any), unregister(u) removes u (absent or
// not), online() answers every registered user with its address, as a list
// sorted by user (the order is not judged; a user listed twice is).
//
// # linearizable
//
// There is a total order of the answered operations and of any subset of
// the unknown ones, consistent with real time (an operation that returned
// before another was called comes first; intervals are closed), in which
// every answer is what the table above gives. Failed operations are left
// out; an unknown operation may appear (with any answer) or not.
//
// Views are checked per image (each image's remaining views are
// independent), with a porcupine NondeterministicModel whose state is the
// views left: an unknown view steps to {r, r−1}. An unknown operation is
// pending forever (porcupine Return = MaxInt64); a finite return would claim
// it took effect by then or never, and give false failures.
//
// Discovery: online() reads every user at once, so per-user partitions are
// not independent. Linearizable checks both: each user's projection (the
// user's register and unregister calls and every answered online() reduced
// to that user's entry) and the whole table as one partition. A projection
// that fails proves the whole fails (restricting a linearization of the
// whole to one user gives one of the projection), so a failing projection
// is a sound failure and the smallest evidence; projections that all pass
// prove only per-user linearizability — two online() answers that saw two
// concurrent registers in opposite orders pass every projection. The whole
// table catches that; it is the costly partition.
//
// Before porcupine runs, unknown operations are simplified by rules that
// provably change no verdict (unknown.go; TestSimplificationsKeepVerdicts
// compares with plain porcupine on random and mutated histories): unknown
// views by users known to be unauthorized, unknown online() calls, unknown
// views called after the image answered 0 left, and unknown writes no
// online() ever showed are left out; an unknown register the only one of
// its (user, addr) that an online() showed is resolved as answered by then;
// other unknown views end at the image's first answer of 0 left, other
// unknown writes at the last online() that showed their value; an image's
// unknown views are placed in call order.
//
// Status: fail if any partition is not linearizable; else unknown if
// porcupine did not decide some partition within the timeout (porcupine's
// Unknown: inconclusive, never pass); else pass. On failure the smallest
// failing partition (a per-user projection before the whole table on a tie)
// is explained: porcupine's longest partial linearization and the state it
// reaches, the operations that must come next in real time and why none
// fits, and named patterns that each alone prove the anomaly (double
// spend: two grants leaving the same count; stale read: an answer that saw
// more views left than one that returned before it was called; an answer
// beyond the quota; missing user: an online() without a user whose register
// returned before it with no unregister that could come between; phantom
// and lingering users). Its porcupine HTML visualization, of that partition
// alone, goes to LinearizableConfig.VisualizationPath. Other failing
// partitions are listed with their patterns.
//
// Counts: ops, ok, fail, unknown (outcomes); views, images, discovery_ops,
// discovery_users; left_out (failed, and unknown operations that cannot
// change the state); unknown_dropped, unknown_resolved, unknown_bounded
// (the simplifications); partitions, illegal_partitions,
// undecided_partitions (projections and the whole table count separately).
//
// # quota_safety
//
// Per image: (1) the views answered granted are at most its quota — an
// unknown view only might have been granted, so a violation needs more
// answered grants than the quota (images where answered grants plus unknown
// views exceed it are counted as maybe_over, and pass); (2) no view was
// granted whose call came strictly after the return of another view of the
// image that reported remaining 0 or "quota exhausted" (a concurrent one may
// be granted). Counts: images, granted, unknown_views, maybe_over,
// over_granted_images, late_grant_images, late_grants. It needs no
// porcupine and is linear in the history.
//
// # Cost and limits
//
// Porcupine's search is exponential in the worst case; what it costs here
// grows with the number of operations in flight on one partition and with
// the unknown operations left pending, not with the history's length.
// BenchmarkLinearizable, 10k operations from 50 closed-loop clients, 1%
// unknown, 20 users; CPU time per check, median of -count 5, on a shared
// 2-core machine (wall time is 1–1.6× that there):
//
//	quota run (7/8 views, quotas ≤ 5, register and online()), 500 images    0.08 s
//	quota run, 50 images                                                     1.5 s
//	  the same with an address of its own for every register                0.44 s
//	  with unregisters (a third of discovery)                               1.1 s
//	views alone, quotas never running out: views of one image in flight
//	  0.3 (500 images) / 2.8 (50) / 14 (10) / 24 (5)                  0.04 / 0.03 / 0.06 / 0.07 s
//	  68 (2 images)                                                          1.8 s
//	  130 (1 image)                                                          undecided at 10 s
//
// In the quota runs almost all the time is the whole discovery table (1.2k
// operations, one partition): each unknown register or unregister whose
// value recurs stays pending until the last online() that showed it. Views
// are cheap while few are in flight per image, and an image whose views ran
// out costs next to nothing.
//
// What the harness should do: keep the views in flight per image below ~25
// (clients ÷ images in the mix, or quotas that run out); give every register
// call an address of its own (a per-call port or suffix), so that an
// unknown register is always left out or resolved, never pending; pass a
// Timeout (default 60 s). When the result is unknown, report it as
// inconclusive with the undecided partitions (Details names them; when only
// the whole discovery table is undecided, views and each user's entry were
// still found linearizable), and raise the Timeout or lower the concurrency
// per image rather than count it as a pass. Explaining a failure gets a
// second Timeout (a failing partition is usually decided fast); the
// visualization holds only the explained partition.
package history
