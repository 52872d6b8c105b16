// Package fault owns a run's fault schedule: which node goes down when, how
// and for how long. It is pure: Schedule computes every fault of a run before
// the run starts, from the experiment, a horizon (Horizon) and the run's seed,
// so the same inputs always give the same schedule; nothing here touches a
// process or a clock (the orchestrator in package harness executes the
// schedule and logs what it did).
//
// Periodic model: at every `every` from the load start, each node that is up
// fails with `probability`, for a time drawn from `down`. Explicit schedule:
// the experiment's entries in time order. Either way a fault that min_alive
// forbids, or one aimed at a node that is still down or recovering, stays in
// the schedule with Suppressed set (Injected drops them), so that nothing is
// hidden; faults aimed at `node: coordinator` keep Node 0 until Resolve names
// the node when they are due.
//
// Network faults (partition, bridge, one-way, latency, reset) have Node 0 and
// a Net section: the sides (Groups), the bridge node (Via), the links and
// the delay. An explicit entry's `others` is expanded when the schedule is
// made; one that names the coordinator keeps Selector "coordinator" and is
// resolved — coordinator named, others expanded — by Resolve when due. The
// random network model (faults.network) draws from its own stream of the
// seed, so adding it never moves a node fault of the same seed; it is off
// (and draws nothing) unless a kind has a chance above zero, which keeps the
// schedules of experiments without it byte for byte what they were
// (TestShippedSchedulesUnchanged). Network faults take no node down, so
// min_alive does not apply to them.
//
// # schedule.json
//
// WriteSchedule writes a schedule as schedule.json: an indented JSON array of
// Fault, suppressed faults included, durations in nanoseconds, byte-identical
// for the same schedule. The run writes the planned schedule before the load
// and replaces it with the executed one (resolved nodes, actual times)
// afterwards. ReadSchedule reads it back strictly.
package fault
