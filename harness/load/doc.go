// Package load drives the requests of a run and reports each one's outcome.
// It imports experiment only: what a request does is behind Target, and what
// happens to each Result is the caller's business (the orchestrator hands them
// to the recorder).
//
// # Who owns the loop
//
// A Driver owns the load loop. vegeta paces it — closed loop: `clients`
// workers and exactly clients × requests_per_client requests; open loop: a
// vegeta pacer for `duration` with at most `clients` in flight — and a custom
// http.RoundTripper hands each request to a Target (the cluster client), which
// must return once its context ends: that is how the per-request deadline,
// max_duration and Ctrl-C reach a request. Every request vegeta issued comes
// back exactly once, in completion order, from one goroutine, to OnResult.
// Open-loop latency counts from the request's intended start on the pacer's
// hit curve, not from its send, so a stall shows in every request queued
// behind it; sends themselves are late by the platform's timer granularity
// (BenchmarkOpenLoopLateness; ~0.5 ms median here), which the latency
// includes. The optional vegeta stream (results.gob) carries the same timing
// and outcomes and is read by `vegeta report` and `vegeta plot`. The driver
// uses the wall clock, as vegeta does.
//
// # Requests
//
// ImagesFor builds the request images (seeded photo-like PNGs, or the files
// of a directory); ImagePool derives each request's image and metadata from
// its sequence number alone (experiment.Username), so any request can be
// rebuilt to check its response.
//
// # Late answers
//
// A response that reaches the client after its call ended is not part of
// any Result. A target whose client reports them feeds a LateLedger, which
// groups them per request and, once the load and the cluster have stopped,
// says which followed a valid response (duplicate service) and which came
// after a failure.
package load
