package cluster_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/internal/pki"
)

// TestE2EMutualTLS runs a 3-node TLS cluster of real processes, serves a
// request through it, and shows each way in without the right certificate
// refused: plaintext, a certificate of another CA, a client certificate on
// the control path, a node certificate claiming another node's id, and a
// client certificate claiming to be a peer. The cluster keeps serving and
// its coordinator does not change.
func TestE2EMutualTLS(t *testing.T) {
	pc := newProcCluster(t, 3, func(c *cluster.Config) { c.HandshakeTimeout = 500 * time.Millisecond })
	pc.useTLS()
	pc.startAll()
	coord := pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 5 * time.Second})
	if r, err := cl.Encrypt(context.Background(), e2eCover(1), cluster.TestMeta); err != nil {
		t.Fatalf("Encrypt over TLS: %v", err)
	} else {
		t.Logf("TLS cluster served the request on node %d in %v", r.Node, r.Latency)
	}

	other := filepath.Join(t.TempDir(), "other")
	if _, err := pki.Generate(other, pki.Options{Nodes: 3}); err != nil {
		t.Fatal(err)
	}
	load := func(dir string, id pki.Identity) *pki.Credentials {
		c, err := pki.Load(dir, id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	target := pc.peers[1]
	quick := cluster.ClientConfig{Timeout: 300 * time.Millisecond, Nodes: cluster.Peers{1: target}}

	t.Run("plaintext client", func(t *testing.T) {
		c, err := cluster.NewClient(quick)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Encrypt(context.Background(), e2eCover(2), cluster.TestMeta)
		if err == nil || !strings.Contains(err.Error(), "closed each connection right after the hello") {
			t.Errorf("a plaintext client of a TLS node: %v, want an error saying the node closed its connections", err)
		}
	})
	t.Run("plaintext control", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := cluster.FailFor(ctx, target, time.Hour); err == nil {
			t.Errorf("a plaintext control request failed a TLS node")
		}
	})
	t.Run("client certificate of another CA", func(t *testing.T) {
		cfg := quick
		cfg.TLS = load(other, pki.Client(""))
		c, err := cluster.NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Encrypt(context.Background(), e2eCover(3), cluster.TestMeta)
		if err == nil || !strings.Contains(err.Error(), "unknown authority") {
			t.Errorf("a client of another CA: %v, want an error naming the unknown authority", err)
		}
	})
	t.Run("client certificate on the control path", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		ctl := cluster.Control{TLS: pc.ctls}
		err := ctl.Shutdown(ctx, target)
		if err == nil || !strings.Contains(err.Error(), "unauthorized") {
			t.Errorf("Shutdown with a client certificate: %v, want a refusal naming unauthorized", err)
		}
	})
	t.Run("node certificate claiming another id", func(t *testing.T) {
		// Node 2's real certificate, saying hello as node 3.
		if got := peerHello(t, target, load(pc.tls, pki.Node(2)), 3); got != nil {
			t.Errorf("hello as peer 3 with node 2's certificate: connection stayed open (%v)", got)
		}
	})
	t.Run("client certificate claiming to be a peer", func(t *testing.T) {
		if got := peerHello(t, target, pc.ctls, 2); got != nil {
			t.Errorf("hello as peer 2 with a client certificate: connection stayed open (%v)", got)
		}
	})

	if c := pc.waitAgree(5 * time.Second); c != coord {
		t.Errorf("coordinator changed from %d to %d: the refused connections disturbed the cluster", coord, c)
	}
	if _, err := cl.Encrypt(context.Background(), e2eCover(4), cluster.TestMeta); err != nil {
		t.Errorf("Encrypt after the refusals: %v", err)
	}
	var reasons []string
	for _, e := range pc.events() {
		if e.Type == cluster.EvProtocolError && e.Node == 1 {
			reasons = append(reasons, e.Reason)
		}
	}
	t.Logf("node 1 refused:\n  %s", strings.Join(reasons, "\n  "))
	for _, want := range []string{
		"tls handshake", // plaintext, another CA
		"hello as control from a connection that proved spiffe://stegocloud/client/default",
		"hello as peer 3 from a connection that proved spiffe://stegocloud/node/2",
		"hello as peer 2 from a connection that proved spiffe://stegocloud/client/default",
	} {
		if !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, want) }) {
			t.Errorf("no protocol_error on node 1 mentions %q", want)
		}
	}
}

// peerHello dials addr with creds, says hello as peer from, and returns nil
// if the node then closed the connection (as it must), or what happened.
func peerHello(t *testing.T, addr string, creds *pki.Credentials, from int) error {
	t.Helper()
	d := tls.Dialer{Config: creds.ClientConfig(nil)}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil // refused at the handshake: fine too
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(3 * time.Second))
	if err := cluster.WriteFrame(conn, &cluster.Message{Type: cluster.MsgHello, Role: cluster.RolePeer, From: from}); err != nil {
		return nil
	}
	_, err = conn.Read(make([]byte, 1))
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF), isReset(err):
		return nil
	case errors.As(err, &ne) && ne.Timeout():
		return err
	}
	return nil
}
