package cluster

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"stegocloud/cluster/wire"
	"stegocloud/internal/pki"
)

// FuzzHello feeds arbitrary bytes to a node's first-frame path: the reader
// with the hello limit, then admission against every kind of proven
// identity. It must never panic, never read past the hello limit, and admit
// a hello only when the identity allows its role: peer N only for node N, a
// client only for a client certificate, control only for a control one.
func FuzzHello(f *testing.F) {
	for _, m := range []Message{
		{Type: MsgHello, Role: RolePeer, From: 2},
		{Type: MsgHello, Role: RoleClient, MaxFrame: 1 << 20},
		{Type: MsgHello, Role: RoleControl},
		{Type: MsgHello, Role: RolePeer, From: 9},
	} {
		b, _ := AppendFrame(nil, &m)
		f.Add(b)
	}
	f.Add(rawFrame(4+16, 16, []byte(`{"type":"hello"}`)))
	f.Add([]byte("\x16\x03\x01\x00")) // a TLS record on a plaintext node
	cfg := DefaultConfig()
	cfg.Peers = Peers{1: "a:1", 2: "b:1", 3: "c:1"}
	n := &Node{cfg: cfg, links: map[int]*wire.Link{2: {}, 3: {}}}
	ids := []pki.Identity{pki.Node(1), pki.Node(2), pki.Node(3), pki.Client("c"), pki.Control("k")}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := wire.NewFrameReaderSize(bytes.NewReader(data), helloFrameLimit, connBuffer).Read()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, ErrFrameTooLarge) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrProtocol) {
				t.Fatalf("hello read failed with an unclassified error: %v", err)
			}
			return
		}
		if len(data) > helloFrameLimit+4 && len(m.Body) > helloFrameLimit {
			t.Fatalf("read a %d-byte body past the hello limit", len(m.Body))
		}
		if m.Type != MsgHello {
			return
		}
		for _, id := range ids {
			if n.admit(m, &id) != nil {
				continue
			}
			var ok bool
			switch m.Role {
			case RolePeer:
				ok = id == pki.Node(m.From) && m.From != cfg.ID
			case RoleClient:
				ok = id.Role == pki.RoleClient
			case RoleControl:
				ok = id.Role == pki.RoleControl
			}
			if !ok {
				t.Fatalf("hello %+v admitted for %s", m, id)
			}
		}
	})
}

// rawFrame builds a frame by hand, so tests can lie in its length fields.
func rawFrame(total, hdrLen uint32, rest []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, total)
	b = binary.BigEndian.AppendUint32(b, hdrLen)
	return append(b, rest...)
}
