package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// FuzzMessageFields feeds arbitrary headers and bodies to the frame reader,
// seeded with every table message. Whatever it accepts must hold what
// Validate promises the node: ops the table accepts, results that decode as
// results, a request's fields matching its kind, bodies only where they
// belong; and it must survive an encode/decode round trip.
func FuzzMessageFields(f *testing.F) {
	view := &table.Op{ID: "c.1-1", View: &table.View{Image: "img", User: "alice", Quota: 2, Authorized: true}}
	granted := &table.Result{View: &table.ViewResult{Granted: true, Remaining: 1}}
	for _, m := range []Message{
		{Type: MsgRequest, ID: "c.1-1", Attempt: 1, Kind: KindView, User: "alice", Body: []byte("png")},
		{Type: MsgRequest, ID: "c.1-2", Attempt: 2, Kind: KindRegister, User: "bob", Addr: "127.0.0.1:1"},
		{Type: MsgRequest, ID: "c.1-3", Attempt: 1, Kind: KindUnregister, User: "bob"},
		{Type: MsgRequest, ID: "c.1-4", Attempt: 1, Kind: KindOnline},
		{Type: MsgRequest, ID: "c.1-5", Attempt: 1, Meta: &stego.Metadata{ID: "i", Usernames: []string{"a"}, Quota: 1}, Body: []byte{1}},
		{Type: MsgTableOp, From: 2, ID: "c.1-1", Attempt: 1, Op: view},
		{Type: MsgTableUpdate, From: 1, ID: "c.1-1", Op: view, Result: granted, CoordEpoch: 259, Table: &Pos{Epoch: 259, Seq: 3}, Prev: 259},
		{Type: MsgTableResult, From: 1, ID: "c.1-4", Result: &table.Result{Peers: []table.Peer{{User: "a", Addr: "x"}}}, Table: &Pos{Epoch: 3, Seq: 9}, CoordEpoch: 515},
		{Type: MsgTableSync, From: 3},
		{Type: MsgTableCopy, From: 1, CoordEpoch: 259, Table: &Pos{Epoch: 259, Seq: 1}, Body: []byte(`{"version":1}`)},
		{Type: MsgSyncReq, From: 2, WantTable: true},
		{Type: MsgRaft, From: 2, Body: []byte{0x08, 0x03}},
		{Type: MsgSyncResp, From: 1, Epoch: 9, Table: &Pos{Epoch: 9, Seq: 2}, Body: []byte(`{}`)},
		{Type: MsgHeartbeat, From: 1, Epoch: 9, CoordEpoch: 9, Coordinator: 1, Table: &Pos{Epoch: 9, Seq: 2}},
		{Type: MsgResponse, From: 2, ID: "c.1-1", Result: granted, Applier: 1, CoordEpoch: 259, Table: &Pos{Epoch: 259, Seq: 3}},
	} {
		b, err := AppendFrame(nil, &m)
		if err != nil {
			f.Fatal(err)
		}
		if _, err := NewFrameReader(bytes.NewReader(b), 1<<20).Read(); err != nil {
			f.Fatalf("seed %s does not validate: %v", m.Type, err)
		}
		hdrLen := int(b[4])<<24 | int(b[5])<<16 | int(b[6])<<8 | int(b[7])
		f.Add(b[8:8+hdrLen], b[8+hdrLen:])
	}
	f.Fuzz(func(t *testing.T, hdr, body []byte) {
		frame := rawFrame(uint32(4+len(hdr)+len(body)), uint32(len(hdr)), append(append([]byte(nil), hdr...), body...))
		m, err := NewFrameReader(bytes.NewReader(frame), 1<<20).Read()
		if err != nil {
			return
		}
		if m.Op != nil {
			if err := m.Op.Validate(); err != nil {
				t.Fatalf("accepted an op the table refuses: %v", err)
			}
		}
		if m.Result != nil {
			j, _ := json.Marshal(m.Result)
			if _, err := table.DecodeResult(j); err != nil {
				t.Fatalf("accepted a result that does not decode: %s: %v", j, err)
			}
		}
		switch m.Type {
		case MsgRequest:
			if !requestFits(m) {
				t.Fatalf("accepted a %q request with meta %v, user %q, addr %q, %d body bytes", m.Kind, m.Meta, m.User, m.Addr, len(m.Body))
			}
		case MsgTableUpdate:
			if m.Table == nil || m.Table.Seq == 0 || m.Table.Epoch != m.CoordEpoch || m.Op == nil || m.Result == nil {
				t.Fatalf("accepted an update without its op, result or position: %+v", m)
			}
		case MsgRaft:
			if m.From == 0 || len(m.Body) == 0 || m.Op != nil || m.Result != nil || m.Table != nil {
				t.Fatalf("accepted a raft message without sender or body, or with table fields: %+v", m)
			}
		case MsgResponse, MsgSyncResp, MsgTableCopy:
		default:
			if len(m.Body) > 0 {
				t.Fatalf("accepted a body on %s", m.Type)
			}
		}
		roundTrip(t, m)
	})
}

// FuzzReadFrame feeds arbitrary bytes to the decoder: it must never panic,
// and every message it accepts must survive an encode/decode round trip.
func FuzzReadFrame(f *testing.F) {
	for _, m := range []Message{
		{Type: MsgHeartbeat, From: 1, Epoch: 3, Done: []string{"a"}},
		{Type: MsgRequest, ID: "c-1", Attempt: 1, Meta: &stego.Metadata{Usernames: []string{"u"}, Quota: 1}, Body: []byte{1, 2}},
		{Type: MsgCtlFail, Duration: time.Second},
	} {
		b, _ := AppendFrame(nil, &m)
		f.Add(b)
	}
	f.Add([]byte{0, 0, 0, 0})
	f.Add(rawFrame(6, 2, []byte("{}")))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := NewFrameReader(bytes.NewReader(data), 4096)
		for range 8 {
			m, err := fr.Read()
			if err != nil {
				return
			}
			roundTrip(t, m)
		}
	})
}

// roundTrip asserts that an accepted message encodes and decodes to itself.
func roundTrip(t *testing.T, m Message) {
	t.Helper()
	b, err := AppendFrame(nil, &m)
	if err != nil {
		t.Fatalf("re-encoding accepted message %+v: %v", m, err)
	}
	back, err := NewFrameReader(bytes.NewReader(b), 1<<20).Read()
	if err != nil {
		t.Fatalf("re-decoding accepted message %+v: %v", m, err)
	}
	if !reflect.DeepEqual(normalize(back), normalize(m)) {
		t.Fatalf("round trip changed the message\n got  %+v\n want %+v", back, m)
	}
}

// requestFits says, independently of Validate, what a request of each kind
// carries.
func requestFits(m Message) bool {
	has := func(meta, user, addr, body bool) bool {
		return (m.Meta != nil) == meta && (m.User != "") == user && (m.Addr != "") == addr && (len(m.Body) > 0 || !body) &&
			(body || len(m.Body) == 0 || m.Kind == KindEncrypt)
	}
	switch m.Kind {
	case KindEncrypt:
		return has(true, false, false, false)
	case KindView:
		return has(false, true, false, true)
	case KindRegister:
		return has(false, true, true, false)
	case KindUnregister:
		return has(false, true, false, false)
	case KindOnline:
		return has(false, false, false, false)
	}
	return false
}

// normalize maps empty collections to nil: JSON cannot tell them apart.
func normalize(m Message) Message {
	if len(m.Body) == 0 {
		m.Body = nil
	}
	if len(m.Done) == 0 {
		m.Done = nil
	}
	if len(m.Suspects) == 0 {
		m.Suspects = nil
	}
	if len(m.Loads) == 0 {
		m.Loads = nil
	}
	if len(m.States) == 0 {
		m.States = nil
	}
	if m.Result != nil && len(m.Result.Peers) == 0 {
		r := *m.Result
		r.Peers = nil
		m.Result = &r
	}
	if m.Meta != nil && len(m.Meta.Usernames) == 0 {
		meta := *m.Meta
		meta.Usernames = nil
		m.Meta = &meta
	}
	return m
}
