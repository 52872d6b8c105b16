package history

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Writer streams operations to a history.jsonl file, one JSON object per
// line, buffered. Feed it from one goroutine: Add each operation once its
// outcome is known (answered, failed or given up on), then Close. The first
// write error sticks: every later Add and Close return it.
type Writer struct {
	bw     *bufio.Writer
	n      int
	err    error
	closed bool
}

// NewWriter returns a Writer on w. Close flushes but does not close w: the
// caller owns the file.
func NewWriter(w io.Writer) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, 64<<10)}
}

// Add validates op and appends it. An invalid op is refused (wrapping
// ErrInvalidOp) and nothing is written: the file stays readable.
func (w *Writer) Add(op Op) error {
	switch {
	case w.closed:
		return ErrWriterClosed
	case w.err != nil:
		return w.err
	}
	if err := op.Validate(); err != nil {
		return fmt.Errorf("history op %d: %w", w.n, err)
	}
	b, err := json.Marshal(toWire(&op))
	if err != nil { // cannot happen for these types; keep the error, not a panic
		return fmt.Errorf("encoding history op %d: %w", w.n, err)
	}
	b = append(b, '\n')
	if _, err := w.bw.Write(b); err != nil {
		w.err = fmt.Errorf("writing history op %d: %w", w.n, err)
		return w.err
	}
	w.n++
	return nil
}

// Count returns how many operations were written.
func (w *Writer) Count() int { return w.n }

// Close flushes what is buffered. It is safe to call twice.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("flushing history: %w", err)
	}
	return w.err
}
