package netfault

import (
	"io"
	"net"
	"testing"
	"time"
)

// The reader's fast path must never overtake a chunk the writer has not
// delivered yet, nor bypass a gate that does more than pass.
func TestFastPathNeverOvertakes(t *testing.T) {
	checkLeaks(t)
	dst, far := net.Pipe()
	defer dst.Close()
	defer far.Close()
	got := make(chan []byte, 1)
	go func() { b, _ := io.ReadAll(far); got <- b }()

	c := &pconn{p: newProxy(nil, Link{}, "", nil), done: make(chan struct{})}
	p := &pump{c: c, dir: newDirection(), dst: dst, q: newFIFO(queueLimit)}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()

	p.q.push(chunk{buf: []byte("first")}, c.done)
	if done, _ := p.fastPath([]byte("second"), Gate{}, timer); done {
		t.Fatal("fast path delivered while an earlier chunk was queued")
	}
	p.q.tryPop()
	if done, _ := p.fastPath([]byte("x"), Gate{Delay: time.Millisecond}, timer); done {
		t.Fatal("fast path delivered under a delay")
	}
	p.wmu.Lock() // the writer is delivering a chunk
	if done, _ := p.fastPath([]byte("x"), Gate{}, timer); done {
		t.Fatal("fast path delivered while the writer held a chunk")
	}
	p.wmu.Unlock()
	if done, ok := p.fastPath([]byte("now"), Gate{}, timer); !done || !ok {
		t.Fatalf("fast path on an idle pump: done %v ok %v, want it to deliver", done, ok)
	}
	_ = dst.Close()
	if b := <-got; string(b) != "now" {
		t.Fatalf("delivered %q, want %q", b, "now")
	}
}
