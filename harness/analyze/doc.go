// Package analyze reads a run's merged event log (events.jsonl) once and
// measures what it says: elections and their causes, coordinator changes and
// epoch conflicts, failover and recovery times, agreement after the last
// membership change, messages per request and each node's final status. It
// imports experiment, fault and rundir.
//
// An Analyzer owns no loop, starts no goroutine and reads no clock: the
// orchestrator feeds it the merged log one event at a time (Add, in time
// order, from one goroutine), then calls Close; time comes from the events,
// so tests drive it with hand-built logs. Events must be in time order and
// name nodes 1..N (0 only for load_start and load_stop); anything else is an
// error that names the event. Event types it does not know are counted and
// reported as a warning. It keeps per-node and per-episode state, never the
// events; what grows with the log is the failover and recovery lists (one per
// fault).
//
// Network faults: net_fault_start / net_fault_end (Node 0) become
// Analysis.NetFaults, windows with the resolved sides, so checks can ask
// which links a fault cut (NetFault.Cut) and when the network last healed
// (LastHeal); each start and end is a membership change for agreement.
//
// Analysis.Summarize fills the analysis's part of a rundir.Summary; every
// metric is defined in package harness's documentation ("Metrics"). The
// checker (package check) judges an Analysis.
package analyze
