package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"stegocloud/stego"
)

// fakeCodec stands in for stego in tests that exercise the cluster, not the
// codec: it appends the metadata JSON after a marker. Covers must start with
// "IMG" or Hide fails, like a decoder would.
type fakeCodec struct{}

var fakeMark = []byte("\x00META:")

func (fakeCodec) Hide(cover []byte, m stego.Metadata, _ []byte) ([]byte, error) {
	if !bytes.HasPrefix(cover, []byte("IMG")) {
		return nil, errors.New("not an image")
	}
	j, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out := append(slices.Clone(cover), fakeMark...)
	return append(out, j...), nil
}

func (fakeCodec) Reveal(img []byte, _ []byte) (stego.Metadata, error) {
	i := bytes.LastIndex(img, fakeMark)
	if i < 0 {
		return stego.Metadata{}, errors.New("no payload")
	}
	var m stego.Metadata
	err := json.Unmarshal(img[i+len(fakeMark):], &m)
	return m, err
}

// lyingCodec reveals different metadata than was hidden: every response
// looks forged to the client.
type lyingCodec struct{ fakeCodec }

func (lyingCodec) Reveal([]byte, []byte) (stego.Metadata, error) {
	return stego.Metadata{Usernames: []string{"mallory"}, Quota: 99}, nil
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) events(t testing.TB) []Event {
	s.mu.Lock()
	data := bytes.Clone(s.b.Bytes())
	s.mu.Unlock()
	var out []Event
	if _, err := ReadEvents(bytes.NewReader(data), func(e Event) error { out = append(out, e); return nil }); err != nil {
		t.Fatalf("reading events: %v", err)
	}
	return out
}

// testCluster runs nodes in this process on an in-memory network.
type testCluster struct {
	t       testing.TB
	tr      Transport
	peers   Peers
	cfgs    map[int]Config
	cancel  map[int]context.CancelFunc
	done    map[int]chan error
	logs    map[int]*syncBuffer
	svc     Service
	ctl     Control
	clients []*Client
	opts    func(id int, o *NodeOptions) // changes a node's options before it starts
}

func newTestCluster(t testing.TB, n int, tweak func(*Config)) *testCluster {
	tc := &testCluster{
		t: t, tr: NewInmemNetwork(), peers: Peers{}, cfgs: map[int]Config{},
		cancel: map[int]context.CancelFunc{}, done: map[int]chan error{}, logs: map[int]*syncBuffer{},
		svc: CodecService{Codec: fakeCodec{}},
	}
	tc.ctl = Control{Transport: tc.tr}
	for id := 1; id <= n; id++ {
		tc.peers[id] = fmt.Sprintf("node%d:1", id)
	}
	for id := 1; id <= n; id++ {
		cfg := DefaultConfig()
		cfg.ID, cfg.Peers = id, tc.peers
		cfg.LoadBase = 0.5 + 0.1*float64(id-1)
		cfg.SyncDelay = 100 * time.Millisecond
		if tweak != nil {
			tweak(&cfg)
		}
		tc.cfgs[id] = cfg
	}
	return tc
}

func (tc *testCluster) start(id int) {
	tc.t.Helper()
	if tc.logs[id] == nil {
		tc.logs[id] = &syncBuffer{}
	}
	opts := NodeOptions{Transport: tc.tr, Service: tc.svc, Events: NewEventLog(tc.logs[id], nil)}
	if tc.opts != nil {
		tc.opts(id, &opts)
	}
	n, err := NewNode(tc.cfgs[id], opts)
	if err != nil {
		tc.t.Fatalf("node %d: %v", id, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	tc.cancel[id], tc.done[id] = cancel, done
}

func (tc *testCluster) startAll() {
	for _, id := range tc.peers.IDs() {
		tc.start(id)
	}
}

// stop ends node id like a crash as far as its peers can tell (connections
// close), but cleanly for the test (goroutines end, events flushed).
func (tc *testCluster) stop(id int) {
	if c := tc.cancel[id]; c != nil {
		c()
		if err := <-tc.done[id]; err != nil {
			tc.t.Errorf("node %d Run: %v", id, err)
		}
		delete(tc.cancel, id)
	}
}

// stopAll closes the clients and stops every node; tests defer it after
// goleak.VerifyNone so that it runs first.
func (tc *testCluster) stopAll() {
	for _, c := range tc.clients {
		c.Close()
	}
	for _, id := range tc.peers.IDs() {
		tc.stop(id)
	}
}

func (tc *testCluster) client(cfg ClientConfig) *Client {
	tc.t.Helper()
	cfg.Nodes, cfg.Transport = tc.peers, tc.tr
	if cfg.Codec == nil {
		cfg.Codec = fakeCodec{}
	}
	c, err := NewClient(cfg)
	if err != nil {
		tc.t.Fatalf("NewClient: %v", err)
	}
	tc.clients = append(tc.clients, c)
	return c
}

// statuses asks every running node for its status.
func (tc *testCluster) statuses() map[int]NodeStatus {
	out := map[int]NodeStatus{}
	for id := range tc.cancel {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		st, err := tc.ctl.Status(ctx, tc.peers[id])
		cancel()
		if err == nil {
			out[id] = st
		}
	}
	return out
}

// waitAgree polls until every running Active node follows one coordinator
// that is itself running, and returns it.
func (tc *testCluster) waitAgree(within time.Duration) int {
	tc.t.Helper()
	deadline := time.Now().Add(within)
	var last map[int]NodeStatus
	for time.Now().Before(deadline) {
		last = tc.statuses()
		if c, ok := agreement(last); ok && tc.cancel[c] != nil {
			return c
		}
		time.Sleep(10 * time.Millisecond)
	}
	tc.t.Fatalf("no agreement within %v: %+v", within, last)
	return 0
}

// agreement reports the coordinator every Active node in sts follows.
func agreement(sts map[int]NodeStatus) (int, bool) {
	coord, epoch := 0, uint64(0)
	for _, st := range sts {
		if st.State != StateActive {
			continue
		}
		if st.Coordinator == 0 || st.Epoch != st.CoordEpoch {
			return 0, false
		}
		if coord == 0 {
			coord, epoch = st.Coordinator, st.CoordEpoch
		} else if st.Coordinator != coord || st.CoordEpoch != epoch {
			return 0, false
		}
	}
	_, in := sts[coord]
	return coord, coord != 0 && in
}

var testMeta = stego.Metadata{Usernames: []string{"alice", "bob"}, Quota: 5}

// freePorts reserves n loopback ports by listening and closing.
func freePorts(t testing.TB, n int) []string {
	t.Helper()
	var addrs []string
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("reserving a port: %v", err)
		}
		lns = append(lns, ln)
		addrs = append(addrs, ln.Addr().String())
	}
	for _, ln := range lns {
		ln.Close()
	}
	return addrs
}
