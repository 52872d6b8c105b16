package harness

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"stegocloud/harness/load"
)

// ProgressMode chooses how progress is shown.
type ProgressMode int

const (
	ProgressAuto  ProgressMode = iota // a bar on a terminal, lines otherwise
	ProgressBar                       // an mpb bar, redrawn in place
	ProgressLines                     // a plain line every Interval
)

// ProgressConfig configures a Progress.
type ProgressConfig struct {
	Out      io.Writer
	Mode     ProgressMode
	Total    uint64        // closed loop: requests planned; 0 for open loop
	Duration time.Duration // open loop: planned length; the bar fills with time

	// Interval is the time between lines (default 5 s) or bar samples (1 s).
	Interval time.Duration
	// Now and Ticks replace the clock and the sampling ticker (tests).
	Now   func() time.Time
	Ticks <-chan time.Time
}

// Progress shows a running load: requests done (of the total, or time elapsed
// of the planned duration), request rate and errors over the last interval,
// and the p99 latency of the last interval. Add is safe from any goroutine;
// Close must be called once, and never blocks for long.
type Progress struct {
	cfg    ProgressConfig
	start  time.Time
	done   atomic.Uint64
	errs   atomic.Uint64
	window latencyWindow

	last atomic.Pointer[progressSample] // what the bar's decorators show

	stop     chan struct{}
	stopOnce sync.Once
	sampler  sync.WaitGroup
	ticker   *time.Ticker

	prevAt   time.Time
	prevDone uint64

	container *mpb.Progress
	bar       *mpb.Bar
	abort     context.CancelFunc
	closed    atomic.Bool
}

type progressSample struct {
	Elapsed time.Duration
	Done    uint64
	Errors  uint64
	Rate    float64       // requests per second over the last interval
	P99     time.Duration // of the requests that ended in the last interval; 0 if none
}

// progressCloseWait bounds how long Close waits for the bar to draw its last
// frame; mpb's Wait would block forever on a bar that never ends.
const progressCloseWait = 2 * time.Second

// NewProgress starts showing progress.
func NewProgress(cfg ProgressConfig) *Progress {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Mode == ProgressAuto {
		cfg.Mode = ProgressLines
		if isTerminal(cfg.Out) {
			cfg.Mode = ProgressBar
		}
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
		if cfg.Mode == ProgressBar {
			cfg.Interval = time.Second
		}
	}
	p := &Progress{cfg: cfg, start: cfg.Now(), stop: make(chan struct{})}
	p.prevAt = p.start
	p.last.Store(&progressSample{})
	if cfg.Mode == ProgressBar {
		p.startBar()
	}
	ticks := cfg.Ticks
	if ticks == nil {
		p.ticker = time.NewTicker(cfg.Interval)
		ticks = p.ticker.C
	}
	p.sampler.Add(1)
	go p.sample(ticks)
	return p
}

// isTerminal reports whether w is a terminal a bar can be drawn on. A
// terminal that reports no size (a pseudo-terminal nobody sized, as under
// `script` from a pipe) gets lines: mpb draws nothing at a size of 0.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false
	}
	width, height, err := term.GetSize(int(f.Fd()))
	return err == nil && width > 0 && height > 0
}

// Above returns a writer for other output while progress is shown: with a
// bar, lines are printed above it (a plain write would be erased by the next
// redraw); without one, and once Close has begun, they go straight to w.
func (p *Progress) Above(w io.Writer) io.Writer { return progressAbove{p: p, w: w} }

type progressAbove struct {
	p *Progress
	w io.Writer
}

func (a progressAbove) Write(b []byte) (int, error) {
	if a.p.container != nil && !a.p.closed.Load() {
		if n, err := a.p.container.Write(b); err == nil {
			return n, nil
		}
	}
	return a.w.Write(b)
}

// Add counts one finished request.
func (p *Progress) Add(r load.Result) {
	p.done.Add(1)
	if r.Outcome != load.OK {
		p.errs.Add(1)
	}
	p.window.add(r.Latency)
}

// Close stops the display. complete says whether the load ran to its end:
// the bar is then filled, otherwise it is marked aborted where it stopped.
// Either way a final line or frame shows the totals.
func (p *Progress) Close(complete bool) {
	p.stopOnce.Do(func() {
		p.closed.Store(true)
		close(p.stop)
		p.sampler.Wait()
		if p.ticker != nil {
			p.ticker.Stop()
		}
		s := p.takeSample(p.cfg.Now())
		if p.bar == nil {
			word := "done"
			if !complete {
				word = "stopped"
			}
			fmt.Fprintf(p.cfg.Out, "%s: %s\n", word, p.describe(s))
			return
		}
		p.closeBar(s, complete)
	})
}

func (p *Progress) sample(ticks <-chan time.Time) {
	defer p.sampler.Done()
	for {
		select {
		case <-p.stop:
			return
		case now := <-ticks:
			s := p.takeSample(now)
			if p.bar != nil {
				p.bar.SetCurrent(p.barCurrent(s))
			} else {
				fmt.Fprintf(p.cfg.Out, "progress: %s\n", p.describe(s))
			}
		}
	}
}

// takeSample reads and resets the interval counters. Only the sampler
// goroutine, and Close after it has stopped, call it.
func (p *Progress) takeSample(now time.Time) *progressSample {
	done := p.done.Load()
	_, p99 := p.window.drain(0.99)
	s := &progressSample{Elapsed: now.Sub(p.start), Done: done, Errors: p.errs.Load(), P99: p99}
	if dt := now.Sub(p.prevAt).Seconds(); dt > 0 {
		s.Rate = float64(done-p.prevDone) / dt
	}
	p.prevAt, p.prevDone = now, done
	if p99 == 0 {
		s.P99 = p.last.Load().P99 // nothing ended this interval: keep showing the last value
	}
	p.last.Store(s)
	return s
}

// describe is one line of progress, e.g.
// "1234/10000 requests (12.3%) in 12.0s, 98.7 req/s, 3 errors, p99 512ms".
func (p *Progress) describe(s *progressSample) string {
	var head string
	switch {
	case p.cfg.Total > 0:
		head = fmt.Sprintf("%d/%d requests (%.1f%%) in %s", s.Done, p.cfg.Total,
			100*float64(s.Done)/float64(p.cfg.Total), s.Elapsed.Round(100*time.Millisecond))
	case p.cfg.Duration > 0 && s.Elapsed > p.cfg.Duration:
		// The load has stopped and the driver waits for requests in flight.
		head = fmt.Sprintf("%s of %s + %s draining, %d requests", p.cfg.Duration, p.cfg.Duration,
			(s.Elapsed - p.cfg.Duration).Round(100*time.Millisecond), s.Done)
	case p.cfg.Duration > 0:
		head = fmt.Sprintf("%s of %s, %d requests", s.Elapsed.Round(100*time.Millisecond), p.cfg.Duration, s.Done)
	default:
		head = fmt.Sprintf("%d requests in %s", s.Done, s.Elapsed.Round(100*time.Millisecond))
	}
	return head + ", " + p.rates(s)
}

func (p *Progress) rates(s *progressSample) string {
	p99 := "–"
	if s.P99 > 0 {
		p99 = roundLatency(s.P99).String()
	}
	return fmt.Sprintf("%.1f req/s, %d errors, p99 %s", s.Rate, s.Errors, p99)
}

// roundLatency keeps three significant digits: 512ms, 1.23s, 87.4µs.
func roundLatency(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for d/unit >= 1000 {
		unit *= 10
	}
	return d.Round(unit)
}

// startBar builds the mpb bar: done/total (or elapsed/duration for an open
// loop) on the left, rate, errors and p99 on the right.
func (p *Progress) startBar() {
	ctx, cancel := context.WithCancel(context.Background())
	p.abort = cancel
	p.container = mpb.NewWithContext(ctx, mpb.WithOutput(p.cfg.Out), mpb.WithWidth(100),
		mpb.WithRefreshRate(200*time.Millisecond), mpb.ContainerOptional(mpb.WithAutoRefresh(), !isTerminal(p.cfg.Out)))
	total, left := int64(p.cfg.Total), decor.CountersNoUnit("%d / %d requests")
	if p.cfg.Total == 0 {
		total = max(p.cfg.Duration.Milliseconds(), 1)
		left = decor.Any(func(decor.Statistics) string {
			s := p.last.Load()
			return fmt.Sprintf("%s / %s, %d requests", s.Elapsed.Round(time.Second), p.cfg.Duration, s.Done)
		})
	}
	p.bar = p.container.AddBar(total,
		mpb.PrependDecorators(left),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return p.rates(p.last.Load()) })))
}

func (p *Progress) barCurrent(s *progressSample) int64 {
	if p.cfg.Total > 0 {
		return int64(min(s.Done, p.cfg.Total))
	}
	return min(s.Elapsed.Milliseconds(), max(p.cfg.Duration.Milliseconds(), 1))
}

func (p *Progress) closeBar(s *progressSample, complete bool) {
	p.bar.SetCurrent(p.barCurrent(s))
	switch {
	case complete && p.cfg.Total == 0:
		p.bar.SetTotal(-1, true) // a time-based bar ends where the load did
	case complete && s.Done >= p.cfg.Total:
		// SetCurrent(Total) above completed it.
	default:
		p.bar.Abort(false) // keep it drawn where it stopped; never claim more
	}
	waited := make(chan struct{})
	go func() { p.container.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(progressCloseWait):
		p.abort()
		<-waited
	}
	p.abort()
}
