// Package record turns the stream of load.Result values of a run into its
// latency histograms, counts, time series and requests.csv. It owns no loop,
// starts no goroutine and reads no clock: the orchestrator calls Add for
// every result from one goroutine, then Close, then reads the Recorder
// (Summarize, Accounting, Buckets, WriteHgrm); time comes from the results,
// so tests drive it with synthetic streams.
//
// The Recorder keeps HDR histograms of latency in microseconds, from 1 µs to
// max(60 s, Config.MaxLatency), with 3 significant figures (a value is known
// to 0.1%): "all" (every result, whatever its outcome), "in_faults" and
// "out_faults" (every result, split by whether it overlapped a fault window)
// and "node/N" (the ok results node N served). Latencies above the range are
// recorded as its top and reported as a warning. It also keeps exact count,
// mean, standard deviation, minimum and maximum per histogram, the time
// series (a ring of at most 16 reusable bucket histograms), one bit per
// sequence number (for duplicates and gaps) and streams requests.csv (columns
// RequestsCSVHeader). Nothing else grows with the number of requests: a
// 1M-request run uses the memory of a 1k one plus 125 KB of sequence bits
// (TestRecorderHeapFlat, which `make test` runs without the race detector).
// Add does not allocate in steady state.
//
// Per request, the recorder also keeps what the checks need as evidence:
// responses rejected by verification (how many, from which node, the first
// few requests) and duplicate service as the clients saw it — another
// response with an image after the valid one, in the result or late
// (AddLate, after the load, from load.LateLedger). Those ledgers grow only
// with the requests that had such responses.
//
// Summarize fills the recorder's part of a rundir.Summary; what the fields
// mean is defined in package harness's documentation ("Metrics").
package record
