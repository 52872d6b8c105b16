// Package experiment is the experiment file (experiments/NAME.yaml): its Go
// type, its one parser, its validation, its expansion into runs and its
// pass/fail thresholds. It is the bottom of the harness's pipeline: it
// imports no other harness package, and every later stage reads an
// *Experiment rather than the YAML.
//
// # The file
//
// An experiment file (reference: HelpText, FieldDocs) is read by Load or
// Parse into an *Experiment: decoded over DefaultExperiment, so absent keys
// keep their defaults and explicit zeros win, and checked strictly — unknown
// keys, wrong types, durations without a unit, out-of-range values and
// invalid matrix values are all reported at once, in line order, each a
// *FieldError naming file, line and field path and wrapping
// ErrInvalidExperiment (a malformed value is left out and the rest still
// range-checked). (*Experiment).YAML writes the resolved experiment, every
// default spelled out, as the run's experiment.yaml; Parse reads it back to
// an equal value. Nothing else parses experiment.yaml: the run report and
// the design report read it with Parse too.
//
// # Runs
//
// Expand turns an experiment into its runs: every point of its matrix (named
// by VariantLabel), each repeated `repeat` times, ordered repeat by repeat.
// Repeat 1 keeps the experiment's seed, repeat r a seed derived from it
// (DeriveSeed); the variants of one repeat share that seed, so a sweep
// compares configurations under the same faults and images. A variant's
// Experiment has no matrix and carries its own seed: its experiment.yaml
// replays that run. Everything random that a run decides up front (fault
// schedule, images, usernames) draws from a math/rand/v2 PCG stream seeded
// per purpose (SubSeed).
//
// # Thresholds
//
// Expect holds the `expect:` entries as written; Thresholds parses them into
// Threshold values in the units of the summary field each metric names. The
// checker (package check) evaluates them. Expect.Anomalies names the checks
// a known-bad configuration is expected to fail (AnomalyChecks): the run then
// passes only when exactly those fail.
package experiment
