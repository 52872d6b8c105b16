package netfault

import (
	"sync"
	"time"
)

// chunk is what one Read returned, or the end of the stream.
type chunk struct {
	buf    []byte
	pooled *[]byte   // buf's backing array, back to bufPool after delivery
	due    time.Time // zero: deliver at once
	eof    bool
}

// fifo is the bounded queue between one direction's reader and writer (one
// producer, one consumer). It is bounded in bytes, not chunks, so a delayed
// stream of small frames is limited by volume like a real link, not by count.
type fifo struct {
	mu    sync.Mutex
	items []chunk
	bytes int
	limit int
	data  chan struct{} // wakes the consumer
	space chan struct{} // wakes the producer
}

func newFIFO(limit int) *fifo {
	return &fifo{limit: limit, data: make(chan struct{}, 1), space: make(chan struct{}, 1)}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// push appends c, waiting while the queue holds limit bytes or more; it
// returns false if done closed first.
func (q *fifo) push(c chunk, done <-chan struct{}) bool {
	for {
		q.mu.Lock()
		if q.bytes < q.limit || len(q.items) == 0 {
			q.items = append(q.items, c)
			q.bytes += len(c.buf)
			q.mu.Unlock()
			signal(q.data)
			return true
		}
		q.mu.Unlock()
		select {
		case <-q.space:
		case <-done:
			return false
		}
	}
}

func (q *fifo) empty() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) == 0
}

func (q *fifo) tryPop() (chunk, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return chunk{}, false
	}
	c := q.items[0]
	q.items[0] = chunk{}
	q.items = q.items[1:]
	q.bytes -= len(c.buf)
	signal(q.space)
	return c, true
}
