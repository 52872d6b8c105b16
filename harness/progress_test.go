package harness

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"stegocloud/harness/load"
)

// fakeClock is a settable clock for Progress.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// syncBuffer is a bytes.Buffer safe for the sampler goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls until out contains want; the sampler prints asynchronously.
func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("output never contained %q; got:\n%s", want, out.String())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestProgressLinesClosedLoop(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	ticks := make(chan time.Time)
	out := &syncBuffer{}
	p := NewProgress(ProgressConfig{Out: out, Mode: ProgressLines, Total: 200, Now: clock.Now, Ticks: ticks})
	for i := range 100 {
		outcome := load.OK
		if i%25 == 0 {
			outcome = load.Failed
		}
		p.Add(load.Result{Outcome: outcome, Latency: time.Duration(i+1) * time.Millisecond})
	}
	ticks <- clock.advance(2 * time.Second)
	waitFor(t, out, "progress: 100/200 requests (50.0%) in 2s, 50.0 req/s, 4 errors, p99 10")
	// "p99 10…": the gauge rounds the 99ms p99 up to its bucket (≤ 12.5% over).
	for range 50 {
		p.Add(load.Result{Outcome: load.OK, Latency: 5 * time.Millisecond})
	}
	ticks <- clock.advance(time.Second)
	waitFor(t, out, "progress: 150/200 requests (75.0%) in 3s, 50.0 req/s, 4 errors, p99 5.")
	clock.advance(time.Second)
	p.Close(false)
	if !strings.Contains(out.String(), "stopped: 150/200 requests (75.0%) in 4s, 0.0 req/s, 4 errors, p99 5.") {
		t.Errorf("Close(false) did not print the final line:\n%s", out.String())
	}
	p.Close(true) // a second Close is a no-op
	if strings.Count(out.String(), "stopped:")+strings.Count(out.String(), "done:") != 1 {
		t.Errorf("Close printed twice:\n%s", out.String())
	}
}

func TestProgressLinesOpenLoop(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	ticks := make(chan time.Time)
	out := &syncBuffer{}
	p := NewProgress(ProgressConfig{Out: out, Mode: ProgressLines, Duration: time.Minute, Now: clock.Now, Ticks: ticks})
	ticks <- clock.advance(5 * time.Second)
	waitFor(t, out, "progress: 5s of 1m0s, 0 requests, 0.0 req/s, 0 errors, p99 –")
	p.Add(load.Result{Outcome: load.TimedOut, Latency: 3 * time.Second})
	ticks <- clock.advance(time.Second)
	waitFor(t, out, "progress: 6s of 1m0s, 1 requests, 1.0 req/s, 1 errors, p99 3")
	// Past the duration the driver only waits for requests in flight.
	p.Add(load.Result{Outcome: load.OK, Latency: time.Second})
	clock.advance(54*time.Second + 500*time.Millisecond)
	p.Close(true)
	if !strings.Contains(out.String(), "done: 1m0s of 1m0s + 500ms draining, 2 requests") {
		t.Errorf("final line missing:\n%s", out.String())
	}
}

// The bar must never hang Close, whether the load completed or stopped early
// (mpb's Wait blocks forever on a bar that neither completes nor aborts).
func TestProgressBarCloseNeverHangs(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, complete := range []bool{false, true} {
		out := &syncBuffer{}
		ticks := make(chan time.Time)
		p := NewProgress(ProgressConfig{Out: out, Mode: ProgressBar, Total: 1000, Ticks: ticks})
		for range 10 {
			p.Add(load.Result{Outcome: load.OK, Latency: time.Millisecond})
		}
		ticks <- time.Now()
		done := make(chan struct{})
		go func() { p.Close(complete); close(done) }()
		select {
		case <-done:
		case <-time.After(progressCloseWait + 3*time.Second):
			t.Fatalf("Close(%v) hung", complete)
		}
		if !strings.Contains(out.String(), "10 / 1000 requests") {
			t.Errorf("bar output lacks the counter:\n%q", out.String())
		}
	}
	out := &syncBuffer{}
	p := NewProgress(ProgressConfig{Out: out, Mode: ProgressBar, Duration: 10 * time.Second, Ticks: make(chan time.Time)})
	p.Add(load.Result{Outcome: load.Failed, Latency: time.Second})
	p.Close(false)
	if !strings.Contains(out.String(), "1 errors") {
		t.Errorf("open-loop bar output lacks the error count:\n%q", out.String())
	}
}

func TestProgressAutoIsLinesOffTerminal(t *testing.T) {
	p := NewProgress(ProgressConfig{Out: &syncBuffer{}, Ticks: make(chan time.Time)})
	defer p.Close(true)
	if p.cfg.Mode != ProgressLines || p.cfg.Interval != 5*time.Second {
		t.Errorf("auto mode on a buffer chose mode %d interval %v, want lines every 5s", p.cfg.Mode, p.cfg.Interval)
	}
}

func TestLatencyWindowBuckets(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		us := rng.Uint64() >> rng.IntN(64)
		b := windowBucket(us)
		up := windowUpper(b)
		if b < 0 || b >= 64*windowSteps || up < us || float64(up-us) > float64(us)/windowSteps+1 {
			t.Fatalf("%dµs → bucket %d with upper bound %d: out of range or more than 1/%d over", us, b, up, windowSteps)
		}
		if b > 0 && windowUpper(b-1) >= us {
			t.Fatalf("%dµs → bucket %d, but bucket %d already reaches %d", us, b, b-1, windowUpper(b-1))
		}
	}
}

func TestLatencyWindowQuantile(t *testing.T) {
	var w latencyWindow
	if n, q := w.drain(0.99); n != 0 || q != 0 {
		t.Errorf("empty window drained to %d, %v", n, q)
	}
	for i := 1; i <= 1000; i++ {
		w.add(time.Duration(i) * time.Millisecond)
	}
	n, p99 := w.drain(0.99)
	if want := 990 * time.Millisecond; n != 1000 || p99 < want || p99 > want+want/windowSteps {
		t.Errorf("p99 of 1..1000ms = %v over %d, want within one bucket above %v", p99, n, want)
	}
	if n, _ := w.drain(0.99); n != 0 {
		t.Errorf("drain did not empty the window: %d left", n)
	}
	w.add(-time.Second) // clock skew must not panic or wrap around
	if _, q := w.drain(0.5); q != 0 {
		t.Errorf("negative latency counted as %v, want 0", q)
	}
}

func TestRoundLatency(t *testing.T) {
	cases := map[time.Duration]string{
		512345 * time.Microsecond:  "512ms",
		1234567 * time.Microsecond: "1.23s",
		87432 * time.Nanosecond:    "87.4µs",
		999 * time.Nanosecond:      "999ns",
	}
	for in, want := range cases {
		if got := roundLatency(in).String(); got != want {
			t.Errorf("roundLatency(%v) = %s, want %s", in, got, want)
		}
	}
}

// Lines written while a bar is drawn go through the bar's container (above
// the bar) instead of being erased by its next redraw; once the progress is
// closed, and with plain lines, they go straight to the writer.
func TestProgressAbove(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	out, side := &syncBuffer{}, &syncBuffer{}
	p := NewProgress(ProgressConfig{Out: out, Mode: ProgressBar, Total: 10, Ticks: make(chan time.Time)})
	fmt.Fprintf(p.Above(side), "fault: node 2 crash\n")
	p.Close(false)
	if !strings.Contains(out.String(), "fault: node 2 crash") || side.String() != "" {
		t.Errorf("under a bar: bar output %q, side %q; want the line in the bar's output", out.String(), side.String())
	}
	fmt.Fprintf(p.Above(side), "after\n")
	if side.String() != "after\n" {
		t.Errorf("after Close: side = %q, want the line there", side.String())
	}
	lines := NewProgress(ProgressConfig{Out: &syncBuffer{}, Mode: ProgressLines, Ticks: make(chan time.Time)})
	side = &syncBuffer{}
	fmt.Fprintf(lines.Above(side), "x\n")
	lines.Close(true)
	if side.String() != "x\n" {
		t.Errorf("with lines: side = %q, want the line there", side.String())
	}
}
