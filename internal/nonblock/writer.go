package nonblock

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Writer queues whole writes for a background goroutine, which runs only
// while there is something to write: an idle Writer holds no goroutine, so it
// needs no Close. It is safe for concurrent use.
type Writer struct {
	sink   io.Writer
	budget int

	mu       sync.Mutex
	pending  []byte        // whole writes not yet taken by the goroutine
	spare    []byte        // the goroutine's last batch, reused
	running  bool          // a goroutine is draining pending
	queued   uint64        // writes accepted so far
	written  uint64        // writes the goroutine has finished with
	progress chan struct{} // closed and replaced whenever written moves
	err      error         // the sink's first error
	closed   bool

	dropped atomic.Int64
}

// New returns a Writer that holds at most budget bytes waiting for sink.
func New(sink io.Writer, budget int) *Writer {
	return &Writer{sink: sink, budget: max(budget, 1), progress: make(chan struct{})}
}

// Write queues a copy of p and returns at once. When p does not fit in the
// budget (or the Writer is closed) it is dropped and counted; Write never
// fails, because a caller that logs must not stop over a log line.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || len(w.pending)+len(p) > w.budget {
		w.dropped.Add(1)
		return len(p), nil
	}
	w.pending = append(w.pending, p...)
	w.queued++
	if !w.running {
		w.running = true
		go w.drain()
	}
	return len(p), nil
}

// Dropped is the number of writes dropped so far.
func (w *Writer) Dropped() int64 { return w.dropped.Load() }

// drain writes batches until nothing is pending, then ends.
func (w *Writer) drain() {
	w.mu.Lock()
	for len(w.pending) > 0 {
		batch := w.pending
		w.pending = w.spare[:0]
		upto := w.queued
		w.mu.Unlock()
		_, err := w.sink.Write(batch)
		w.mu.Lock()
		w.spare = batch
		if err != nil && w.err == nil {
			w.err = err
		}
		w.written = upto
		close(w.progress)
		w.progress = make(chan struct{})
	}
	w.running = false
	w.mu.Unlock()
}

// Flush waits until every write accepted before the call has been handed
// to the sink, or timeout passes. It returns the sink's first error.
func (w *Writer) Flush(timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	w.mu.Lock()
	target := w.queued
	for w.written < target {
		progress := w.progress
		w.mu.Unlock()
		select {
		case <-progress:
		case <-deadline.C:
			return fmt.Errorf("flushing after %v: %w", timeout, ErrTimeout)
		}
		w.mu.Lock()
	}
	err := w.err
	w.mu.Unlock()
	return err
}

// Close drops every later write and flushes what was accepted (see Flush).
func (w *Writer) Close(timeout time.Duration) error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	return w.Flush(timeout)
}
