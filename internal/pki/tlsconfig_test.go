package pki

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func creds(t *testing.T, dir string, id Identity) *Credentials {
	t.Helper()
	c, err := Load(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// handshake runs both sides over a pipe; the client then reads, which is
// where a TLS 1.3 client learns that the server refused its certificate.
func handshake(server, client *tls.Config) (serverID Identity, serverErr, clientErr error) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	a.SetDeadline(time.Now().Add(5 * time.Second))
	b.SetDeadline(time.Now().Add(5 * time.Second))
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := tls.Server(a, server)
		if serverErr = s.Handshake(); serverErr == nil {
			serverID, serverErr = PeerIdentity(s.ConnectionState())
			s.Write([]byte("x"))
		}
		s.Close()
	}()
	c := tls.Client(b, client)
	if clientErr = c.Handshake(); clientErr == nil {
		_, clientErr = io.ReadFull(c, make([]byte, 1))
	}
	c.Close()
	<-done
	return serverID, serverErr, clientErr
}

func TestMutualTLS(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	for _, d := range []string{dir, other} {
		if _, err := Generate(d, Options{Nodes: 3}); err != nil {
			t.Fatal(err)
		}
	}
	node2 := creds(t, dir, Node(2))
	server := node2.ServerConfig()

	t.Run("client", func(t *testing.T) {
		id, serr, cerr := handshake(server, creds(t, dir, Client("")).ClientConfig(ExpectNode(2)))
		if serr != nil || cerr != nil || id != Client(DefaultName) {
			t.Errorf("server saw %v (%v), client %v; want a client identity and no errors", id, serr, cerr)
		}
	})
	t.Run("node dials node", func(t *testing.T) {
		id, serr, cerr := handshake(server, creds(t, dir, Node(1)).ClientConfig(ExpectNode(2)))
		if serr != nil || cerr != nil || id != Node(1) {
			t.Errorf("server saw %v (%v), client %v", id, serr, cerr)
		}
	})
	t.Run("dialled node 3, reached node 2", func(t *testing.T) {
		_, _, cerr := handshake(server, creds(t, dir, Node(1)).ClientConfig(ExpectNode(3)))
		if !errors.Is(cerr, ErrIdentity) {
			t.Errorf("client error %v, want ErrIdentity", cerr)
		}
	})
	t.Run("client of another CA", func(t *testing.T) {
		_, serr, cerr := handshake(server, creds(t, other, Client("")).ClientConfig(nil))
		if serr == nil || cerr == nil {
			t.Errorf("server %v, client %v; want both to fail", serr, cerr)
		}
	})
	t.Run("server of another CA", func(t *testing.T) {
		_, _, cerr := handshake(creds(t, other, Node(2)).ServerConfig(), creds(t, dir, Client("")).ClientConfig(nil))
		if cerr == nil || !strings.Contains(cerr.Error(), "certificate") {
			t.Errorf("client error %v, want a certificate error", cerr)
		}
	})
	t.Run("no client certificate", func(t *testing.T) {
		cfg := creds(t, dir, Client("")).ClientConfig(nil)
		cfg.Certificates = nil
		_, serr, cerr := handshake(server, cfg)
		if serr == nil || cerr == nil {
			t.Errorf("server %v, client %v; want both to fail", serr, cerr)
		}
	})
	t.Run("TLS 1.2 refused", func(t *testing.T) {
		cfg := creds(t, dir, Client("")).ClientConfig(nil)
		cfg.MaxVersion = tls.VersionTLS12
		if _, serr, _ := handshake(server, cfg); serr == nil {
			t.Errorf("a TLS 1.2 client was accepted")
		}
	})
}
