// Package report writes a run's report.md, and regenerates it with the run's
// figures from the run directory alone (Run; `stegocloud report`). It reads
// only a rundir.Run, so the same files always give the same bytes.
//
// The report says what ran (the resolved experiment, commit, machine), the
// seed's STRESS TEST RESULTS block with the measured values and the physical
// bound beside each (StressBlock; the seed's claimed numbers, SeedClaims, are
// set beside them only for the seed's own configuration), latency, the load
// distribution, sampled load-balancing decisions, the seed's FINAL NODE
// STATUS block (NodeStatusBlock), the fault-tolerance table, the checker's
// verdict with every warning, and the figures, linked relative to the run
// directory. The design report (package design) reuses the two seed blocks
// and the number formats (Ms, Sec, RPS, Pct, Counts, YesNo, PassFail).
//
// Each figure is built once per report (plot.Figures): linked from report.md
// and, in Run, drawn into figures/. report.md is replaced atomically
// (atomicfile.Replace).
package report
