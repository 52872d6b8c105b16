package cluster_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net"
	"stegocloud/cluster"
	"strings"
	"sync"
	"testing"
	"time"

	"stegocloud/stego"
)

// shutdownAll stops every node cleanly so that its stop event, with the
// final message counters, is written.
func (pc *procCluster) shutdownAll() {
	pc.t.Helper()
	pc.stopAll()
}

// finalCounters sums the counters of every node's last stop event.
func finalCounters(evs []cluster.Event) map[string]int64 {
	last := map[int]map[string]int64{}
	for _, e := range evs {
		if e.Type == cluster.EvStop {
			last[e.Node] = e.Counters
		}
	}
	sum := map[string]int64{}
	for _, c := range last {
		for k, v := range c {
			sum[k] += v
		}
	}
	return sum
}

// requestPathMessages counts the messages a request costs, cluster-wide:
// the client's multicast copies, the coordinator's assign broadcast, the done
// notice and the response (and any missing-cover notices).
func requestPathMessages(c map[string]int64) int64 {
	return c["recv.request"] + c["sent.assign"] + c["sent.done"] + c["sent.response"] + c["sent.request_missing"]
}

// overheadMessages counts what the cluster sends regardless of requests.
func overheadMessages(c map[string]int64) int64 {
	return c["sent.heartbeat"] + c["sent.election"] + c["sent.ok"] + c["sent.coordinator"] + c["sent.sync_req"] + c["sent.sync_resp"]
}

func TestE2EBalanceAndMessagesPerRequest(t *testing.T) {
	const clients, perClient = 60, 50
	pc := newProcCluster(t, 3, func(c *cluster.Config) {
		// The coordinator serves its own requests without the assign and
		// done hops the others pay; a service time long against those hops
		// keeps that edge small (measured in the report).
		c.ServiceDelay = 200 * time.Millisecond
		c.LoadSample = time.Hour // only the stop events carry counters here
	})
	pc.startAll()
	pc.waitAgree(10 * time.Second)
	served := make([]map[int]int, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		cl := pc.client(cluster.ClientConfig{Name: fmt.Sprintf("c%d", c), Timeout: 10 * time.Second})
		served[c] = map[int]int{}
		wg.Go(func() {
			for i := range perClient {
				m := stego.Metadata{Usernames: []string{fmt.Sprintf("c%d", c)}, Quota: i}
				r, err := cl.Encrypt(context.Background(), e2eCover(i), m)
				if err != nil {
					t.Errorf("client %d request %d: %v", c, i, err)
					return
				}
				served[c][r.Node]++
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := map[int]int{}
	for _, s := range served {
		for n, k := range s {
			total[n] += k
		}
	}
	n := clients * perClient
	var shares []string
	for id := 1; id <= 3; id++ {
		share := float64(total[id]) / float64(n)
		shares = append(shares, fmt.Sprintf("node %d %d (%.1f%%)", id, total[id], 100*share))
		if math.Abs(share-1.0/3) > 0.05/3 {
			t.Errorf("node %d served %d of %d (%.2f%%), want within ±5%% of a third", id, total[id], n, 100*share)
		}
	}
	t.Logf("%d requests from %d clients in %v (%.0f req/s): %s", n, clients, elapsed.Round(time.Millisecond),
		float64(n)/elapsed.Seconds(), strings.Join(shares, ", "))

	pc.shutdownAll()
	evs := pc.events()
	checkOneCoordinatorPerEpoch(t, evs)
	kinds := map[string]int{}
	for _, e := range evs {
		switch e.Type {
		case cluster.EvAssign, cluster.EvElectionStart:
			kinds[string(e.Type)+" "+e.Cause]++
		case cluster.EvReassign, cluster.EvSuspect:
			kinds[string(e.Type)+" "+e.Reason]++
		}
	}
	t.Logf("events: %v", kinds)
	if n := kinds["reassign assignee-lost"]; n > 0 {
		// Shutting down right after the load must not strand finished
		// requests: a stopping node sends its last done ids first.
		t.Errorf("%d requests reassigned at shutdown, want 0", n)
	}
	c := finalCounters(evs)
	req, over := requestPathMessages(c), overheadMessages(c)
	t.Logf("messages per request: %.2f on the request path (request %d, assign %d, done %d, response %d, missing %d); "+
		"background %d (heartbeat %d, election %d, ok %d, coordinator %d) = %.2f per request, %.0f per second",
		float64(req)/float64(n), c["recv.request"], c["sent.assign"], c["sent.done"], c["sent.response"], c["sent.request_missing"],
		over, c["sent.heartbeat"], c["sent.election"], c["sent.ok"], c["sent.coordinator"],
		float64(over)/float64(n), float64(over)/elapsed.Seconds())
	// Every request costs its 3 copies, 2 assigns and 1 response; the done
	// notice only when the coordinator did not serve it itself.
	if perReq := float64(req) / float64(n); perReq < 6 || perReq > 7.5 {
		t.Errorf("%.2f request-path messages per request, want between 6 and 7.5 for 3 nodes", perReq)
	}
}

func TestE2EBadInputLeavesNodeServing(t *testing.T) {
	pc := newProcCluster(t, 3, func(c *cluster.Config) {
		c.HandshakeTimeout = 300 * time.Millisecond
		c.MaxFrame = 1 << 20
	})
	pc.startAll()
	coord := pc.waitAgree(10 * time.Second)
	target := pc.peers[1]
	frame := func(m cluster.Message) []byte { b, _ := cluster.AppendFrame(nil, &m); return b }
	hello := frame(cluster.Message{Type: cluster.MsgHello, Role: cluster.RoleClient})
	request := frame(cluster.Message{Type: cluster.MsgRequest, ID: "x-1", Attempt: 1, Meta: &cluster.TestMeta, Body: e2eCover(0)})
	oversize := binary.BigEndian.AppendUint32(nil, 64<<20)
	cases := []struct {
		name  string
		bytes []byte
	}{
		{"garbage", []byte("GET / HTTP/1.1\r\nHost: node\r\n\r\n")},
		{"truncated frame", append(hello, request[:len(request)/2]...)},
		{"oversize length", append(hello, oversize...)},
		{"unknown type", append(hello, cluster.RawFrame(4+18, 18, []byte(`{"type":"launch"}`+" "))...)},
		{"heartbeat on a client connection", append(hello, frame(cluster.Message{Type: cluster.MsgHeartbeat, From: 2})...)},
		{"peer hello from a stranger", frame(cluster.Message{Type: cluster.MsgHello, Role: cluster.RolePeer, From: 9})},
		{"silent connection", nil},
	}
	cl := pc.client(cluster.ClientConfig{Timeout: 5 * time.Second})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", target)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Write(c.bytes); err != nil {
				t.Fatalf("writing: %v", err)
			}
			if c.name == "truncated frame" {
				conn.(*net.TCPConn).CloseWrite()
			}
			conn.SetReadDeadline(time.Now().Add(3 * time.Second))
			if n, err := conn.Read(make([]byte, 1)); err != io.EOF && !isReset(err) {
				t.Errorf("after %s: read %d bytes, %v; want the node to close the connection", c.name, n, err)
			}
			if _, err := cl.Encrypt(context.Background(), e2eCover(1), cluster.TestMeta); err != nil {
				t.Errorf("after %s: Encrypt: %v", c.name, err)
			}
		})
	}
	if c := pc.waitAgree(5 * time.Second); c != coord {
		t.Errorf("coordinator changed from %d to %d: bad input disturbed the cluster", coord, c)
	}
	var reasons []string
	for _, e := range pc.events() {
		if e.Type == cluster.EvProtocolError && e.Node == 1 {
			reasons = append(reasons, e.Reason)
		}
	}
	if len(reasons) != len(cases) {
		t.Errorf("%d protocol_error events on node 1, want %d:\n%s", len(reasons), len(cases), strings.Join(reasons, "\n"))
	}
	t.Logf("protocol errors:\n  %s", strings.Join(reasons, "\n  "))
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}
