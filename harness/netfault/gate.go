package netfault

import (
	"sync"
	"sync/atomic"
)

// direction is the shared state of one direction of one link: its current
// gate, broadcast to every connection's pump, and its counters.
type direction struct {
	mu      sync.Mutex
	gate    Gate
	changed chan struct{} // closed and replaced whenever gate changes

	bytes, chunks       atomic.Int64
	buffered, maxBuffer atomic.Int64
	heldChunks          atomic.Int64
}

func newDirection() *direction { return &direction{changed: make(chan struct{})} }

func (d *direction) load() (Gate, <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.gate, d.changed
}

func (d *direction) set(g Gate) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if g == d.gate {
		return
	}
	d.gate = g
	close(d.changed)
	d.changed = make(chan struct{})
}

// waitOpen blocks while the direction is held. It returns the gate then in
// force, whether it had to wait, and false if done closed first.
func (d *direction) waitOpen(done <-chan struct{}) (g Gate, waited, ok bool) {
	for {
		g, ch := d.load()
		if !g.Hold {
			return g, waited, true
		}
		waited = true
		select {
		case <-ch:
		case <-done:
			return g, waited, false
		}
	}
}

func (d *direction) addBuffered(n int64) {
	v := d.buffered.Add(n)
	for m := d.maxBuffer.Load(); v > m && !d.maxBuffer.CompareAndSwap(m, v); m = d.maxBuffer.Load() {
	}
}

func (d *direction) stats() FlowStats {
	g, _ := d.load()
	return FlowStats{
		Gate:        g,
		Bytes:       d.bytes.Load(),
		Chunks:      d.chunks.Load(),
		Buffered:    d.buffered.Load(),
		MaxBuffered: d.maxBuffer.Load(),
		HeldChunks:  d.heldChunks.Load(),
	}
}
