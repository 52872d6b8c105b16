package cluster

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"
	"time"

	"stegocloud/stego"
)

// rawFrame builds a frame by hand, so tests can lie in its length fields.
func rawFrame(total, hdrLen uint32, rest []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, total)
	b = binary.BigEndian.AppendUint32(b, hdrLen)
	return append(b, rest...)
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
			b, err := AppendFrame(nil, &m)
			if err != nil {
				t.Fatalf("re-encoding accepted message %+v: %v", m, err)
			}
			again, err := NewFrameReader(bytes.NewReader(b), 1<<20).Read()
			if err != nil {
				t.Fatalf("re-decoding accepted message %+v: %v", m, err)
			}
			if !reflect.DeepEqual(normalize(again), normalize(m)) {
				t.Fatalf("round trip changed the message\n got  %+v\n want %+v", again, m)
			}
		}
	})
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
	return m
}
