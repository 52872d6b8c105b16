package rundirtest

import "time"

// Options shape the synthetic run. The zero value is not useful; start from
// Default.
type Options struct {
	Seed      uint64
	Name      string    // experiment name
	Run       string    // run directory name
	Origin    time.Time // wall clock of the load start
	Clients   int
	PerClient int
	Service   time.Duration
	Timeout   time.Duration
	BaseLoad  [3]float64
	FaultAt   time.Duration // node 2 (the first coordinator) falls silent
	FaultFor  time.Duration
	Failover  time.Duration // until the others suspect it and elect node 1
	SyncDelay time.Duration // node 2 recovering → active
	Bucket    time.Duration // time-series bucket width
	LoadEvery time.Duration // how often nodes log their load
}

// Default is a 20-client closed loop of 1000 requests against 3 nodes with a
// 500 ms service delay (bound 40 req/s) in which node 2, the coordinator,
// goes silent for 5 s at 10 s.
func Default() Options {
	return Options{
		Seed:      42,
		Name:      "synthetic",
		Run:       "20260314-142300",
		Origin:    time.Date(2026, 3, 14, 14, 23, 0, 0, time.UTC),
		Clients:   20,
		PerClient: 50,
		Service:   500 * time.Millisecond,
		Timeout:   3 * time.Second,
		BaseLoad:  [3]float64{0.55, 0.5, 0.6},
		FaultAt:   10 * time.Second,
		FaultFor:  5 * time.Second,
		Failover:  250 * time.Millisecond,
		SyncDelay: 500 * time.Millisecond,
		Bucket:    time.Second,
		LoadEvery: 250 * time.Millisecond,
	}
}
