package cluster

import (
	"sync"
	"sync/atomic"
)

// frame is an encoded message shared by every connection it is queued on;
// the last holder returns it to the pool, so a broadcast or a multicast
// request is encoded once and its buffer reused.
type frame struct {
	buf  []byte
	typ  MsgType
	id   string
	done []string // the finished ids it carries, redelivered if it is dropped
	refs atomic.Int32
}

// maxPooledFrame keeps image-sized buffers out of the pool.
const maxPooledFrame = 256 << 10

var framePool = sync.Pool{New: func() any { return new(frame) }}

// newFrame encodes m into a pooled frame holding one reference for the caller.
func newFrame(m *Message) (*frame, error) {
	f := framePool.Get().(*frame)
	buf, err := AppendFrame(f.buf[:0], m)
	if err != nil {
		f.buf = buf[:0]
		framePool.Put(f)
		return nil, err
	}
	f.buf, f.typ, f.id, f.done = buf, m.Type, m.ID, m.Done
	f.refs.Store(1)
	return f, nil
}

func (f *frame) retain() { f.refs.Add(1) }

func (f *frame) release() {
	if f.refs.Add(-1) != 0 {
		return
	}
	if cap(f.buf) > maxPooledFrame {
		f.buf = nil
	}
	f.buf, f.id, f.done = f.buf[:0], "", nil
	framePool.Put(f)
}
