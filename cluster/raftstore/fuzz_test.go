package raftstore

import (
	"bytes"
	"reflect"
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"

	"stegocloud/cluster/table"
)

// FuzzReplayWAL: any segment bytes (and any checksummed record) replay
// without panicking; the good
// prefix replays to the same state on its own, and re-encoding that state
// as one batch replays to it again.
func FuzzReplayWAL(f *testing.F) {
	f.Add(batch(nil, []*pb.Entry{ent(1, 1, "a"), ent(2, 1, "b")}, hs(1, 2)))
	f.Add(batch(&pb.SnapshotMetadata{Index: proto.Uint64(4), Term: proto.Uint64(2)}, []*pb.Entry{ent(5, 2, "e")}, hs(2, 5)))
	f.Add(append(batch(nil, []*pb.Entry{ent(1, 1, "a")}, nil), 1, 2, 3))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 0 { // also a checksummed record of any type and payload
			var st walState
			st.replay(appendRecord(nil, b[0], b[1:]))
		}
		var st walState
		good, _ := st.replay(b)
		if good < 0 || good > len(b) {
			t.Fatalf("good prefix %d of %d bytes", good, len(b))
		}
		var again walState
		if n, err := again.replay(b[:good]); err != nil || n != good || summary(again) != summary(st) {
			t.Fatalf("the good prefix replays to %s (%v), the whole to %s", summary(again), err, summary(st))
		}
		var re walState
		if _, err := re.replay(batch(st.mark, st.ents, st.hs)); err != nil || summary(re) != summary(st) {
			t.Fatalf("re-encoded state replays to %s (%v), want %s", summary(re), err, summary(st))
		}
	})
}

// FuzzDecodeSnapshotFile: accepted snapshot files re-encode to the same bytes.
func FuzzDecodeSnapshotFile(f *testing.F) {
	snap := &pb.Snapshot{Data: table.New(0).Snapshot(), Metadata: &pb.SnapshotMetadata{Index: proto.Uint64(3), Term: proto.Uint64(1),
		ConfState: &pb.ConfState{Voters: []uint64{1, 2, 3}}}}
	p, _ := proto.Marshal(snap)
	f.Add(appendRecord(nil, recSnapshot, p))
	f.Add(appendRecord(nil, recBoot, []byte{1, 0, 0, 0, 0, 0, 0, 0}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if boot, err := decodeBoot(b); err == nil {
			var le [8]byte
			for i := range le {
				le[i] = byte(boot >> (8 * i))
			}
			if !bytes.Equal(appendRecord(nil, recBoot, le[:]), b) {
				t.Fatalf("boot %d does not re-encode to its bytes", boot)
			}
		}
		snap, err := decodeSnapshotFile(b)
		if err != nil {
			return
		}
		p, err := proto.Marshal(snap)
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeSnapshotFile(appendRecord(nil, recSnapshot, p))
		if err != nil || !proto.Equal(again, snap) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzDecodeEnvelope: accepted log entries re-encode to an equal envelope.
func FuzzDecodeEnvelope(f *testing.F) {
	good, _ := encodeEnvelope(envelope{node: 1, boot: 2, seq: 3, op: view("r", "img", 4)})
	f.Add(good)
	f.Add([]byte{1, 1, 1, 1, '{', '}'})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEnvelope(b)
		if err != nil {
			return
		}
		enc, err := encodeEnvelope(e)
		if err != nil {
			t.Fatalf("re-encoding a decoded envelope: %v", err)
		}
		again, err := decodeEnvelope(enc)
		if err != nil || !reflect.DeepEqual(again, e) {
			t.Fatalf("round trip: %+v → %+v, %v", e, again, err)
		}
	})
}

// FuzzDecodeMessage: wire bytes either fail or give a peer-sendable message
// that re-marshals and decodes to an equal one.
func FuzzDecodeMessage(f *testing.F) {
	m := &pb.Message{Type: pb.MessageType_MsgApp.Enum(), From: proto.Uint64(1), To: proto.Uint64(2), Term: proto.Uint64(3),
		Entries: []*pb.Entry{ent(4, 3, "x")}}
	b, _ := proto.Marshal(m)
	f.Add(b)
	f.Add([]byte{0x08, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMessage(b, 1<<20)
		if err != nil {
			return
		}
		enc, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeMessage(enc, 1<<20)
		if err != nil || !proto.Equal(again, m) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
