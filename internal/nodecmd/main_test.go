package nodecmd

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
)

// gateWriter blocks every Write until opened: a stderr pipe nobody reads.
type gateWriter struct{ open chan struct{} }

func (g gateWriter) Write(p []byte) (int, error) {
	<-g.open
	return len(p), nil
}

func freePorts(t *testing.T, n int) []string {
	t.Helper()
	var addrs []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, ln.Addr().String())
		defer ln.Close()
	}
	return addrs
}

// A node whose stderr nobody reads keeps running: its logs queue and then
// drop, the loop never waits for them.
func TestUnreadStderrDoesNotStallTheNode(t *testing.T) {
	addrs := freePorts(t, 2)
	peers := fmt.Sprintf("1=%s,2=%s", addrs[0], addrs[1])
	gate := gateWriter{open: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	for id, stderr := range map[int]io.Writer{1: gate, 2: io.Discard} {
		args := []string{"--id", fmt.Sprint(id), "--peers", peers, "--log-level", "debug", "--load-base", fmt.Sprint(0.4 + 0.1*float64(id))}
		go func() { done <- Main(ctx, args, io.Discard, stderr) }()
	}
	defer func() {
		close(gate.open)
		cancel()
		for range 2 {
			if err := <-done; err != nil {
				t.Errorf("Main: %v", err)
			}
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		sctx, scancel := context.WithTimeout(ctx, time.Second)
		st, err := cluster.Status(sctx, addrs[0])
		scancel()
		if err == nil && st.Coordinator == 1 && st.IsCoordinator {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("node 1, stderr unread, never became the agreed coordinator: %+v, %v", st, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Keep asking for a while: the loop (which answers status) must stay free
	// while log lines pile up behind the unread pipe.
	for range 20 {
		sctx, scancel := context.WithTimeout(ctx, time.Second)
		_, err := cluster.Status(sctx, addrs[0])
		scancel()
		if err != nil {
			t.Fatalf("node 1 stopped answering with its stderr unread: %v", err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func TestHelpAndBadFlags(t *testing.T) {
	var out bytes.Buffer
	if err := Main(context.Background(), []string{"--help"}, &out, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"Usage: stegocloud node", "-peers", "-tls"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	for _, args := range [][]string{{"--colour"}, {"--id", "1", "--peers", "1=127.0.0.1:1", "extra"}, {"--id", "0"}} {
		if err := Main(context.Background(), args, io.Discard, io.Discard); !errors.Is(err, cluster.ErrConfig) {
			t.Errorf("Main(%q) = %v, want ErrConfig", args, err)
		}
	}
}
