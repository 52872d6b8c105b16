// Package harness runs experiments against the image-sharing cloud and turns
// them into numbers. This file states the contract of its front half — what
// to run and how the load is driven; the recorder, checker and reports
// document theirs in their own files.
//
// # Experiments
//
// An experiment file (experiments/NAME.yaml; reference: HelpText, FieldDocs)
// is read by Load or Parse into an *Experiment: decoded over
// DefaultExperiment, so absent keys keep their defaults and explicit zeros
// win, and checked strictly — unknown keys, wrong types, durations without a
// unit, out-of-range values and invalid matrix values are all reported at
// once, each a *FieldError naming file, line and field path and wrapping
// ErrInvalidExperiment. (Structural problems are reported first; values are
// range-checked once the file decodes.) (*Experiment).YAML writes the
// resolved experiment (every default spelled out) for the run directory, and
// Parse reads it back to an equal value.
//
// Expand turns an experiment into its runs: every point of its matrix, each
// repeated `repeat` times, ordered repeat by repeat. Repeat 1 keeps the
// experiment's seed, repeat r a seed derived from it (DeriveSeed); variants
// of one repeat share that seed so that they meet the same faults and images.
// A variant's Experiment has no matrix and carries its own seed, so its
// experiment.yaml replays exactly that run.
//
// # Faults
//
// Schedule computes every fault of a run before it starts, from the
// experiment, a horizon (Horizon) and the run's seed: a pure function whose
// output, written by WriteSchedule as schedule.json, is byte-identical for
// the same inputs. Faults that min_alive forbids stay in the schedule with
// Suppressed set. Faults aimed at `node: coordinator` are resolved when they
// are due (ResolveFault) and the node hit is recorded by the caller.
//
// # Load
//
// ImagesFor builds the request images (seeded photo-like PNGs, or the files
// of a directory) and ImagePool derives each request's metadata from its
// sequence number alone, so any request can be rebuilt for checking.
//
// A Driver owns the load loop: vegeta paces it (closed loop: `clients`
// workers and exactly clients × requests_per_client requests; open loop: a
// vegeta pacer for `duration`), a custom http.RoundTripper hands each request
// to a Target — the caller's cluster client — and every request vegeta issued
// is delivered exactly once, in completion order, from one goroutine, to
// OnResult as a RequestResult. Open-loop latency counts from each request's
// intended start on the pacer's schedule, not from its send, so a stall shows
// in every request queued behind it. The optional vegeta result stream
// (results.gob) carries the same timing and is readable by `vegeta report`
// and `vegeta plot`. Targets must return once their context ends: that is
// how the per-request deadline, max_duration and Ctrl-C reach a request.
//
// Progress shows a running load: a bar on a terminal, a line every few
// seconds elsewhere.
//
// Time: the driver and the progress sampler use the wall clock (vegeta does);
// everything computed up front — schedules, images, seeds — is a pure
// function of its inputs, with randomness from math/rand/v2 PCG streams seeded
// per purpose (SubSeed).
package harness
