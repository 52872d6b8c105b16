package record

import (
	"fmt"
	"io"
	"time"

	"stegocloud/harness/fault"
	"stegocloud/harness/load"
	"stegocloud/harness/rundir"
)

// Config describes the run a Recorder measures.
type Config struct {
	Start  time.Time     // load start: time-series buckets and fault offsets count from it (required)
	Nodes  int           // node ids are 1..Nodes (required)
	Faults []fault.Fault // the executed fault windows, offsets from Start
	Bucket time.Duration // time-series bucket width; 0 means 1 s
	// MaxLatency is the highest latency the histograms track (at least 60 s,
	// the default); longer latencies are recorded as MaxLatency and reported.
	// Set it to the longest a request can take (timeout × attempts + backoff).
	MaxLatency time.Duration
	// Expected is how many requests the run issues; it pre-sizes the set of
	// seen sequence numbers (0: grow on demand).
	Expected int
	// Clients and ServiceTime give the closed-loop throughput bound
	// Clients / ServiceTime; leave them zero in open loop.
	Clients     int
	ServiceTime time.Duration
	// CSV, when not nil, receives requests.csv, streamed one row per Add.
	CSV io.Writer
}

// Accounting is the recorder's ledger of what it was given, for the checker.
type Accounting struct {
	Results        int // results added
	OK             int
	Failed         int // includes UnknownOutcome
	TimedOut       int
	Unsent         int // issued after the load stopped and never sent: in Results, in no other count
	UnknownOutcome int // an Outcome outside ok/failed/timeout/unsent
	FailedNoReason int // Failed without a Reason
	OKUnverified   int // OK whose metadata was not verified
	OKNoNode       int // OK without a serving node in 1..Nodes
	Invalid        int // responses rejected by verification, summed
	DuplicateSeq   int // results whose Seq had been seen before
	DistinctSeq    int // distinct Seq values seen (within the tracked range)
	UntrackedSeq   int // results with a Seq too large to track
	MaxSeq         uint64
	seqs           *seqSet

	// InvalidRequests counts results with at least one rejected response,
	// InvalidThenOK those of them that ended ok (a retry was answered
	// validly), InvalidByNode the rejected responses by the node that sent
	// them (index n for node n; 0 when the target did not say), and
	// InvalidSamples holds the first MaxSamples such requests.
	InvalidRequests int
	InvalidThenOK   int
	InvalidByNode   []int
	InvalidSamples  []InvalidSample
	// LateResponses counts responses that reached a client after its call
	// had ended, LateRequests the requests they answered (AddLate).
	LateResponses int
	LateRequests  int
	Duplicates    Duplicates // the clients' account of duplicate service
}

// SeenBelow is how many distinct sequence numbers in [0, n) were added.
func (a Accounting) SeenBelow(n int) int {
	if a.seqs == nil || n <= 0 {
		return 0
	}
	return a.seqs.countBelow(uint64(n))
}

// Recorder turns a stream of RequestResults into a run's latency histograms,
// counts, time series and requests.csv, in memory that does not grow with the
// number of requests (apart from one bit per sequence number). Use it from one
// goroutine: Add for every result, then Close, then read it.
type Recorder struct {
	cfg      Config
	start    time.Time
	windows  windows
	all      *hist
	in, out  *hist
	nodes    []*hist // node i+1
	series   *series
	csv      *csvWriter
	seqs     seqSet
	acct     Accounting
	retried  int
	invalid  invalidLedger
	dups     dupLedger
	first    time.Time // earliest intended time
	last     time.Time // latest end
	untimed  int       // results with neither Intended nor Start
	early    int       // results that ended before the load start
	negative int       // results with a negative latency
	badNode  int       // results naming a node outside 0..Nodes
	afterEnd int       // Add calls after Close, ignored
	closed   bool
	closeErr error
}

// New checks cfg and returns a recorder ready for Add.
func New(cfg Config) (*Recorder, error) {
	switch {
	case cfg.Start.IsZero():
		return nil, fmt.Errorf("%w: Start (the load start) is not set", ErrRecorderConfig)
	case cfg.Nodes < 1:
		return nil, fmt.Errorf("%w: Nodes is %d, want ≥ 1", ErrRecorderConfig, cfg.Nodes)
	case cfg.Bucket < 0:
		return nil, fmt.Errorf("%w: Bucket is %v, want > 0 (0 for 1 s)", ErrRecorderConfig, cfg.Bucket)
	case cfg.Expected < 0 || cfg.Clients < 0 || cfg.ServiceTime < 0:
		return nil, fmt.Errorf("%w: Expected %d, Clients %d, ServiceTime %v; want none negative", ErrRecorderConfig, cfg.Expected, cfg.Clients, cfg.ServiceTime)
	}
	if cfg.Bucket == 0 {
		cfg.Bucket = time.Second
	}
	cfg.MaxLatency = max(cfg.MaxLatency, DefaultMaxLatency)
	ws, err := newWindows(cfg.Faults, cfg.Nodes)
	if err != nil {
		return nil, err
	}
	r := &Recorder{cfg: cfg, start: cfg.Start, windows: ws,
		all: newHist(cfg.MaxLatency), in: newHist(cfg.MaxLatency), out: newHist(cfg.MaxLatency),
		series: newSeries(cfg.Bucket, cfg.Nodes, cfg.MaxLatency),
		seqs:   newSeqSet(cfg.Expected)}
	r.nodes = make([]*hist, cfg.Nodes)
	for i := range r.nodes {
		r.nodes[i] = newHist(cfg.MaxLatency)
	}
	if cfg.CSV != nil {
		r.csv = newCSVWriter(cfg.CSV)
	}
	return r, nil
}

// Add records one result. It does not allocate in steady state. Results added
// after Close are ignored and reported as a warning. An Unsent result is
// accounted and gets its requests.csv row, but no request ran: it is in no
// latency, time series or rate.
func (r *Recorder) Add(res load.Result) {
	if r.closed {
		r.afterEnd++
		return
	}
	r.account(&res)
	if res.Outcome == load.Unsent {
		var intended time.Duration
		if !res.Intended.IsZero() {
			intended = res.Intended.Sub(r.start)
		}
		r.csvRow(&res, intended, 0, false)
		return
	}
	if res.Invalid > 0 {
		begin, end := r.flight(&res)
		r.invalid.add(&res, r.cfg.Nodes, begin, end)
	}
	lat := res.Latency
	if lat < 0 {
		r.negative++
		lat = 0
	}
	r.all.record(lat)
	ok := res.Outcome == load.OK
	if ok && res.Node >= 1 && res.Node <= r.cfg.Nodes {
		r.nodes[res.Node-1].record(lat)
	}
	begin := res.Intended
	if begin.IsZero() {
		begin = res.Start
	}
	if begin.IsZero() {
		r.untimed++
		r.csvRow(&res, 0, 0, false)
		return
	}
	end := begin.Add(lat)
	if r.first.IsZero() || begin.Before(r.first) {
		r.first = begin
	}
	if end.After(r.last) {
		r.last = end
	}
	from, to := begin.Sub(r.start), end.Sub(r.start)
	inFault := r.windows.overlaps(from, to)
	if inFault {
		r.in.record(lat)
	} else {
		r.out.record(lat)
	}
	if to < 0 {
		r.early++
		to = 0
	}
	r.series.add(to, lat, ok, res.Node)
	started := from
	if !res.Start.IsZero() {
		started = res.Start.Sub(r.start)
	}
	r.csvRow(&res, from, started, inFault)
}

// flight is a result's intended start and end from the load start (zero
// when it has no time).
func (r *Recorder) flight(res *load.Result) (begin, end time.Duration) {
	t := res.Intended
	if t.IsZero() {
		t = res.Start
	}
	if t.IsZero() {
		return 0, 0
	}
	begin = t.Sub(r.start)
	return begin, begin + max(res.Latency, 0)
}

func (r *Recorder) csvRow(res *load.Result, intended, start time.Duration, inFault bool) {
	if r.csv != nil {
		r.csv.write(res, intended, start, inFault)
	}
}

// account updates the ledger the checker reads.
func (r *Recorder) account(res *load.Result) {
	a := &r.acct
	a.Results++
	switch res.Outcome {
	case load.OK:
		a.OK++
		if !res.Verified {
			a.OKUnverified++
		}
		if res.Node < 1 || res.Node > r.cfg.Nodes {
			a.OKNoNode++
		}
	case load.Failed:
		a.Failed++
		if res.Reason == "" {
			a.FailedNoReason++
		}
	case load.TimedOut:
		a.TimedOut++
	case load.Unsent:
		a.Unsent++
	default:
		a.UnknownOutcome++
		a.Failed++
	}
	if res.Node < 0 || res.Node > r.cfg.Nodes {
		r.badNode++
	}
	a.Invalid += res.Invalid
	if res.Attempts > 1 {
		r.retried++
	}
	if res.Duplicates > 0 {
		r.dups.add(res.ID, load.LateRequest{ID: res.ID, Responses: res.Duplicates, AfterOK: true})
	}
	dup, untracked := r.seqs.add(res.Seq)
	switch {
	case dup:
		a.DuplicateSeq++
	case untracked:
		a.UntrackedSeq++
	}
	a.MaxSeq = max(a.MaxSeq, res.Seq)
}

// Close finalises the time series and flushes requests.csv, returning the
// first error writing it. Calling Close again returns the same error.
func (r *Recorder) Close() error {
	if r.closed {
		return r.closeErr
	}
	r.closed = true
	r.series.close()
	if r.csv != nil {
		r.closeErr = r.csv.flush()
	}
	return r.closeErr
}

// Accounting is the ledger of every result added, for the checker.
func (r *Recorder) Accounting() Accounting {
	a := r.acct
	a.InvalidRequests, a.InvalidThenOK = r.invalid.requests, r.invalid.thenOK
	a.InvalidByNode, a.InvalidSamples = r.invalid.byNode, r.invalid.samples
	a.Duplicates = r.dups.d
	a.DistinctSeq = r.seqs.distinct
	a.seqs = &r.seqs
	return a
}

// Buckets is the time series (timeseries.csv), one bucket per Bucket width
// from the load start up to the last result's end. Valid after Close.
func (r *Recorder) Buckets() ([]rundir.Bucket, error) {
	if !r.closed {
		return nil, ErrRecorderOpen
	}
	return r.series.buckets, nil
}

// WriteHgrm writes latency.hgrm, the standard HdrHistogram percentile
// distribution of every request's latency, in milliseconds.
func (r *Recorder) WriteHgrm(w io.Writer) error {
	if !r.closed {
		return ErrRecorderOpen
	}
	if _, err := r.all.h.PercentilesPrint(w, 5, 1000.0); err != nil {
		return fmt.Errorf("writing latency.hgrm: %w", err)
	}
	return nil
}
