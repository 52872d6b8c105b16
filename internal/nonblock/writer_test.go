package nonblock

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// gate is a sink that blocks every Write until released, like a pipe
// nobody reads.
type gate struct {
	mu      sync.Mutex
	release chan struct{}
	got     bytes.Buffer
	writes  []string
}

func (g *gate) Write(p []byte) (int, error) {
	<-g.release
	g.mu.Lock()
	defer g.mu.Unlock()
	g.got.Write(p)
	g.writes = append(g.writes, string(p))
	return len(p), nil
}

func TestWriteNeverWaitsForAWedgedSink(t *testing.T) {
	g := &gate{release: make(chan struct{})}
	w := New(g, 64)
	start := time.Now()
	for i := range 100 {
		w.Write([]byte("line " + strings.Repeat("x", i%7) + "\n"))
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("100 writes to a wedged sink took %v; Write must not wait", took)
	}
	if w.Dropped() == 0 {
		t.Errorf("Dropped() = 0 after 100 lines into a 64-byte budget with the sink blocked")
	}
	if err := w.Flush(50 * time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Errorf("Flush with the sink blocked = %v, want ErrTimeout", err)
	}
	close(g.release)
	if err := w.Close(5 * time.Second); err != nil {
		t.Fatalf("Close after release: %v", err)
	}
	for _, line := range strings.SplitAfter(g.got.String(), "\n") {
		if line != "" && !strings.HasPrefix(line, "line ") {
			t.Errorf("sink received a torn line %q", line)
		}
	}
	kept := strings.Count(g.got.String(), "\n")
	if int64(kept)+w.Dropped() != 100 {
		t.Errorf("kept %d + dropped %d lines, want 100", kept, w.Dropped())
	}
}

func TestFlushDeliversEverythingInOrder(t *testing.T) {
	var mu sync.Mutex
	var got bytes.Buffer
	w := New(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return got.Write(p)
	}), 1<<20)
	var want bytes.Buffer
	for i := range 1000 {
		line := []byte(strings.Repeat("a", i%50) + "\n")
		want.Write(line)
		w.Write(line)
	}
	if err := w.Flush(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("sink got %d bytes, want the %d written, in order", got.Len(), want.Len())
	}
	mu.Unlock()
	if err := w.Close(time.Second); err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("after close\n"))
	if w.Dropped() != 1 {
		t.Errorf("a write after Close: Dropped() = %d, want 1", w.Dropped())
	}
}

func TestFlushReportsTheSinkError(t *testing.T) {
	boom := errors.New("disk full")
	w := New(writerFunc(func([]byte) (int, error) { return 0, boom }), 1024)
	w.Write([]byte("x\n"))
	if err := w.Flush(5 * time.Second); !errors.Is(err, boom) {
		t.Errorf("Flush = %v, want the sink's error", err)
	}
	w.Close(time.Second)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
