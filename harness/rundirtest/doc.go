// Package rundirtest writes synthetic run directories (results/NAME/RUN/) for
// tests of the code that reads them: the report, the figures and the report
// command. No cluster runs: a small deterministic simulation of a closed loop
// against three nodes, with one silent fault of the coordinator and the
// elections around it, produces every file the harness would store, mutually
// consistent (the summary's counts, histograms, time series and events all
// describe the same requests).
//
// The run is fixed by Options.Seed; the same options always give the same
// bytes, so golden files made from it are stable.
package rundirtest
