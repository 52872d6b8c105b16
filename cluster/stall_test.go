package cluster

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// gateWriter blocks every Write until opened, like a file on a hung disk or
// a pipe nobody reads.
type gateWriter struct{ open chan struct{} }

func (g gateWriter) Write(p []byte) (int, error) {
	<-g.open
	return len(p), nil
}

// A node whose event file stops taking writes keeps running its protocol:
// it still answers, agrees on a coordinator, and counts the events it lost.
func TestWedgedEventSinkDoesNotStallTheLoop(t *testing.T) {
	defer goleak.VerifyNone(t)
	gate := gateWriter{open: make(chan struct{})}
	tc := newTestCluster(t, 2, func(c *Config) { c.LoadSample = time.Millisecond })
	tc.opts = func(id int, o *NodeOptions) {
		if id == 1 {
			o.Events = newEventLog(gate, nil, 4096)
		}
	}
	defer tc.stopAll()
	defer close(gate.open) // before stopAll: the final flush may then drain
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	time.Sleep(300 * time.Millisecond) // ~300 load events: far over 4 KiB
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := tc.ctl.Status(ctx, tc.peers[1])
	if err != nil {
		t.Fatalf("node 1 with a wedged event file does not answer: %v", err)
	}
	if st.Counters["lost.events"] == 0 {
		t.Errorf("node 1 counters %v: want lost.events > 0 with its event file wedged", st.Counters)
	}
	tc.waitAgree(2 * time.Second)
}
