// Package analyze reads a run's merged event log (events.jsonl) once and
// measures what it says: elections and their causes, coordinator changes and
// epoch conflicts, each node's reigns as coordinator and where two overlapped,
// failover and recovery times, agreement after the last membership change,
// what liveness needs (elections after agreement, the longest time without a
// completion while a majority was up), requests the nodes completed twice,
// messages per request and each node's final status. It imports experiment,
// fault and rundir.
//
// An Analyzer owns no loop, starts no goroutine and reads no clock: the
// orchestrator feeds it the merged log one event at a time (Add, in time
// order, from one goroutine), then calls Close; time comes from the events,
// so tests drive it with hand-built logs. Events must be in time order and
// name nodes 1..N (0 only for load_start and load_stop); anything else is an
// error that names the event. Event types it does not know are counted and
// reported as a warning; the harness's net_fault_start and net_fault_end are
// read by name, about node 0 or one node. It keeps per-node and per-episode
// state, never the events; what grows with the log is the failover and
// recovery lists (one per fault), the reigns (one per node and epoch in which
// it acted) and a few bytes per request id (harness/internal/reqid: who
// assigned it last, when, and how often it was completed), so that requests
// assigned by two nodes and requests completed twice are found.
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
