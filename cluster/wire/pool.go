package wire

import (
	"sync"
	"sync/atomic"
)

// Frame is an encoded message shared by every connection it is queued on;
// the last holder returns it to the pool, so a broadcast or a multicast
// request is encoded once and its buffer reused. Its fields are read-only.
type Frame struct {
	Buf  []byte   // the whole frame, length prefix included
	Type MsgType  // of the message
	ID   string   // the message's request id
	Done []string // the finished ids it carries, redelivered if it is dropped
	refs atomic.Int32
}

// maxPooledFrame keeps image-sized buffers out of the pool.
const maxPooledFrame = 256 << 10

var framePool = sync.Pool{New: func() any { return new(Frame) }}

// NewFrame encodes m into a pooled frame holding one reference for the caller.
func NewFrame(m *Message) (*Frame, error) {
	f := framePool.Get().(*Frame)
	buf, err := AppendFrame(f.Buf[:0], m)
	if err != nil {
		f.Buf = buf[:0]
		framePool.Put(f)
		return nil, err
	}
	f.Buf, f.Type, f.ID, f.Done = buf, m.Type, m.ID, m.Done
	f.refs.Store(1)
	return f, nil
}

// Retain takes another reference.
func (f *Frame) Retain() { f.refs.Add(1) }

// Release drops a reference; the last one returns the frame to the pool.
func (f *Frame) Release() {
	if f.refs.Add(-1) != 0 {
		return
	}
	if cap(f.Buf) > maxPooledFrame {
		f.Buf = nil
	}
	f.Buf, f.ID, f.Done = f.Buf[:0], "", nil
	framePool.Put(f)
}
