package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"stegocloud/stego"
)

func TestFrameRoundTrip(t *testing.T) {
	meta := &stego.Metadata{Usernames: []string{"alice", "bob"}, Quota: 5}
	cases := []struct {
		name string
		msg  Message
	}{
		{"hello", Message{Type: MsgHello, Role: RolePeer, From: 2}},
		{"heartbeat with done ids", Message{Type: MsgHeartbeat, From: 1, Epoch: 515, CoordEpoch: 515, Coordinator: 2,
			State: StateActive, Load: 0.7, Base: 0.5, PerRequest: 0.1, Done: []string{"a-1", "a-2"}}},
		{"request with binary body", Message{Type: MsgRequest, ID: "c-9", Attempt: 2, Meta: meta, Body: []byte{0, 1, 2, 255, '\n'}}},
		{"assign with loads", Message{Type: MsgAssign, From: 2, CoordEpoch: 3, ID: "x", Assignee: 3, Attempt: 1,
			Loads: map[int]float64{1: 0.5, 2: 0.6}}},
		{"response error", Message{Type: MsgResponse, From: 3, ID: "x", Error: "not an image", Code: CodeRejected}},
		{"control status reply", Message{Type: MsgCtlReply, Status: &NodeStatus{ID: 1, State: StateFailed, Suspects: []int{2}}}},
		{"control fail", Message{Type: MsgCtlFail, Duration: 1500 * time.Millisecond}},
		{"raft with binary body", Message{Type: MsgRaft, From: 2, Body: []byte{0x08, 0x03, 0x00, 0xff}}},
	}
	var stream bytes.Buffer
	for _, c := range cases {
		if err := WriteFrame(&stream, &c.msg); err != nil {
			t.Fatalf("%s: WriteFrame: %v", c.name, err)
		}
	}
	fr := NewFrameReader(&stream, 1<<20)
	for _, c := range cases {
		got, err := fr.Read()
		if err != nil {
			t.Fatalf("%s: Read: %v", c.name, err)
		}
		if !reflect.DeepEqual(got, c.msg) {
			t.Errorf("%s: round trip\n got  %+v\n want %+v", c.name, got, c.msg)
		}
	}
	if _, err := fr.Read(); err != io.EOF {
		t.Errorf("after the last frame: %v, want io.EOF", err)
	}
}

func TestReadFrameRejectsBadInput(t *testing.T) {
	good, _ := AppendFrame(nil, &Message{Type: MsgHeartbeat, From: 1})
	hdr := func(s string) []byte { return rawFrame(uint32(4+len(s)), uint32(len(s)), []byte(s)) }
	cases := []struct {
		name  string
		input []byte
		want  error
	}{
		{"garbage", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), ErrFrameTooLarge},
		{"length prefix cut", good[:2], ErrTruncated},
		{"header cut", good[:10], ErrTruncated},
		{"body cut", rawFrame(100, 2, []byte("{}")), ErrTruncated},
		{"oversize length", rawFrame(1<<30, 2, nil), ErrFrameTooLarge},
		{"frame shorter than its header length", rawFrame(3, 0, nil), ErrProtocol},
		{"zero header length", rawFrame(8, 0, []byte("abcd")), ErrProtocol},
		{"header longer than frame", rawFrame(10, 7, []byte("abcdef")), ErrProtocol},
		{"header not JSON", hdr("not json"), ErrProtocol},
		{"unknown type", hdr(`{"type":"launch_missiles","from":1}`), ErrProtocol},
		{"missing type", hdr(`{"from":1}`), ErrProtocol},
		{"node id out of range", hdr(`{"type":"heartbeat","from":300}`), ErrProtocol},
		{"request without meta", hdr(`{"type":"request","id":"x","attempt":1}`), ErrProtocol},
		{"body on a heartbeat", rawFrame(4+27+3, 27, []byte(`{"type":"heartbeat","from":1}xyz`)), ErrProtocol},
		{"unknown role", hdr(`{"type":"hello","role":"admin"}`), ErrProtocol},
		{"peer hello without id", hdr(`{"type":"hello","role":"peer"}`), ErrProtocol},
		{"overlong request id", hdr(`{"type":"missing","from":1,"id":"` + strings.Repeat("x", 300) + `"}`), ErrProtocol},
		{"bad state", hdr(`{"type":"heartbeat","from":1,"state":"zombie"}`), ErrProtocol},
		{"raft without a body", hdr(`{"type":"raft","from":1}`), ErrProtocol},
		{"raft without a sender", rawFrame(4+15+2, 15, []byte(`{"type":"raft"}xy`)), ErrProtocol},
		{"raft with a request id", rawFrame(4+34+2, 34, []byte(`{"type":"raft","from":1,"id":"r1"}xy`)), ErrProtocol},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewFrameReader(bytes.NewReader(c.input), 1<<20).Read()
			if !errors.Is(err, c.want) {
				t.Errorf("Read(%q) error %v, want %v", truncate(c.input), err, c.want)
			}
		})
	}
}

func truncate(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// rawFrame builds a frame by hand, so tests can lie in its length fields.
func rawFrame(total, hdrLen uint32, rest []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, total)
	b = binary.BigEndian.AppendUint32(b, hdrLen)
	return append(b, rest...)
}
