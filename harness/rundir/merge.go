package rundir

import (
	"bufio"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"stegocloud/cluster"
)

// MergeEvents merges the JSON-lines event files in paths (each in time
// order: one writer stamps under one lock) into one time-ordered stream on w.
// It holds one event per file in memory. A torn last line — a node killed
// mid-write — is dropped and counted; any other bad line is an error.
func MergeEvents(w io.Writer, paths []string) (events, torn int, err error) {
	h := &evHeap{}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for i, p := range paths {
		f, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, 0, fmt.Errorf("merging events: %w", err)
		}
		closers = append(closers, f)
		src := &evSource{path: p, order: i, sc: bufio.NewScanner(f)}
		src.sc.Buffer(make([]byte, 64<<10), 16<<20)
		if err := src.next(); err != nil {
			return 0, 0, err
		}
		if src.ok {
			heap.Push(h, src)
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	for h.Len() > 0 {
		src := (*h)[0]
		if err := enc.Encode(&src.cur); err != nil {
			return events, torn, fmt.Errorf("merging events: %w", err)
		}
		events++
		if err := src.next(); err != nil {
			return events, torn, err
		}
		if src.ok {
			heap.Fix(h, 0)
		} else {
			torn += src.torn
			heap.Pop(h)
		}
	}
	if err := bw.Flush(); err != nil {
		return events, torn, fmt.Errorf("merging events: %w", err)
	}
	return events, torn, nil
}

// evSource is one event file being merged.
type evSource struct {
	path  string
	order int // tie-break: harness events (last) after node events at the same ns
	sc    *bufio.Scanner
	line  int
	cur   cluster.Event
	ok    bool
	torn  int
	bad   error // a bad line, reported unless it turns out to be the last
}

// next reads the next event; at the end ok is false.
func (s *evSource) next() error {
	for s.sc.Scan() {
		s.line++
		if s.bad != nil {
			return s.bad // the bad line was not the last one
		}
		b := s.sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var e cluster.Event
		if err := json.Unmarshal(b, &e); err != nil {
			s.bad = fmt.Errorf("merging events: %s:%d: %w", s.path, s.line, err)
			continue
		}
		s.cur, s.ok = e, true
		return nil
	}
	if err := s.sc.Err(); err != nil {
		return fmt.Errorf("merging events: %s: %w", s.path, err)
	}
	if s.bad != nil {
		s.torn++
	}
	s.ok = false
	return nil
}

type evHeap []*evSource

func (h evHeap) Len() int { return len(h) }
func (h evHeap) Less(i, j int) bool {
	if h[i].cur.Time != h[j].cur.Time {
		return h[i].cur.Time < h[j].cur.Time
	}
	return h[i].order < h[j].order
}
func (h evHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *evHeap) Push(x any)   { *h = append(*h, x.(*evSource)) }
func (h *evHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
