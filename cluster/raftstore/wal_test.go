package raftstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

func ent(index, term uint64, data string) *pb.Entry {
	return &pb.Entry{Index: proto.Uint64(index), Term: proto.Uint64(term), Data: []byte(data)}
}

func hs(term, commit uint64) *pb.HardState {
	return &pb.HardState{Term: proto.Uint64(term), Vote: proto.Uint64(1), Commit: proto.Uint64(commit)}
}

// summary renders a replayed state compactly for comparisons.
func summary(st walState) string {
	s := fmt.Sprintf("mark=%d/%d hs=%d/%d ents=", st.mark.GetIndex(), st.mark.GetTerm(), st.hs.GetTerm(), st.hs.GetCommit())
	for _, e := range st.ents {
		s += fmt.Sprintf("%d.%d:%s ", e.GetIndex(), e.GetTerm(), e.GetData())
	}
	return s
}

func mustOpenWAL(t *testing.T, dir string) (*wal, walState, int64) {
	t.Helper()
	w, st, torn, err := openWAL(dir, false, &Stats{})
	if err != nil {
		t.Fatalf("openWAL: %v", err)
	}
	t.Cleanup(func() { w.close() })
	return w, st, torn
}

// TestWALTornTail cuts the last, unsynced batch at every byte: reopening
// must give exactly the state before it (or after it, when whole), and cut
// the file back to the last whole record.
func TestWALTornTail(t *testing.T) {
	base := t.TempDir()
	w, _, _ := mustOpenWAL(t, base)
	for i := uint64(1); i <= 5; i++ {
		if err := w.appendBatch(nil, []*pb.Entry{ent(i, 1, fmt.Sprint("e", i))}, hs(1, i-1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.syncNow(); err != nil {
		t.Fatal(err)
	}
	synced := w.size
	if err := w.appendBatch(nil, []*pb.Entry{ent(6, 2, "e6"), ent(7, 2, "e7")}, hs(2, 5)); err != nil {
		t.Fatal(err)
	}
	full := w.size
	w.close()
	seg := filepath.Join(base, segmentName(1))
	content, _ := os.ReadFile(seg)
	_, before, _ := mustOpenWAL(t, copyDirWith(t, seg, content[:synced]))
	_, after, _ := mustOpenWAL(t, copyDirWith(t, seg, content))
	for cut := synced; cut <= full; cut++ {
		dir := copyDirWith(t, seg, content[:cut])
		_, st, torn := mustOpenWAL(t, dir)
		want, wantTorn := before, cut-synced
		if cut == full {
			want, wantTorn = after, 0
		}
		// A cut that falls between records keeps the whole records before it.
		if got := summary(st); got != summary(want) && !(cut > synced && prefixState(t, content[:cut]) == got) {
			t.Fatalf("cut at %d: state %s, want %s", cut, got, summary(want))
		}
		fi, _ := os.Stat(filepath.Join(dir, segmentName(1)))
		if torn < 0 || torn > wantTorn || fi.Size() != cut-torn {
			t.Fatalf("cut at %d: torn %d (file now %d), want ≤ %d", cut, torn, fi.Size(), wantTorn)
		}
	}
}

// prefixState replays the whole records of b.
func prefixState(t *testing.T, b []byte) string {
	var st walState
	st.replay(b)
	return summary(st)
}

func copyDirWith(t *testing.T, seg string, content []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(seg)), content, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestWALGarbageTail(t *testing.T) {
	dir := t.TempDir()
	w, _, _ := mustOpenWAL(t, dir)
	w.appendBatch(nil, []*pb.Entry{ent(1, 1, "a"), ent(2, 1, "b")}, hs(1, 2))
	size := w.size
	w.close()
	f, _ := os.OpenFile(filepath.Join(dir, segmentName(1)), os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte{9, 0, 0, 0, 1, 2, 3, 4, 1, 0, 0}) // a header promising 9 bytes, then 3
	f.Close()
	_, st, torn := mustOpenWAL(t, dir)
	if torn != 11 || len(st.ents) != 2 || st.hs.GetCommit() != 2 {
		t.Fatalf("torn %d, state %s", torn, summary(st))
	}
	if fi, _ := os.Stat(filepath.Join(dir, segmentName(1))); fi.Size() != size {
		t.Fatalf("file is %d bytes after truncation, want %d", fi.Size(), size)
	}
}

func TestWALReplaySemantics(t *testing.T) {
	cases := []struct {
		name    string
		batches [][]byte
		want    string
		wantErr error
	}{
		{"overwrite a suffix", [][]byte{
			batch(nil, []*pb.Entry{ent(1, 1, "a"), ent(2, 1, "b"), ent(3, 1, "c")}, hs(1, 1)),
			batch(nil, []*pb.Entry{ent(2, 2, "B")}, hs(2, 2)),
		}, "mark=0/0 hs=2/2 ents=1.1:a 2.2:B ", nil},
		{"snapshot mark restarts the log", [][]byte{
			batch(nil, []*pb.Entry{ent(1, 1, "a"), ent(2, 1, "b")}, nil),
			batch(&pb.SnapshotMetadata{Index: proto.Uint64(5), Term: proto.Uint64(2)}, []*pb.Entry{ent(4, 2, "old"), ent(6, 2, "f")}, hs(2, 6)),
		}, "mark=5/2 hs=2/6 ents=6.2:f ", nil},
		{"gap", [][]byte{batch(nil, []*pb.Entry{ent(1, 1, "a"), ent(3, 1, "c")}, nil)}, "", ErrCorrupt},
		{"checksummed garbage", [][]byte{appendRecord(nil, recEntry, []byte{0xff, 0xff})}, "", ErrCorrupt},
		{"snapshot record in a segment", [][]byte{appendRecord(nil, recSnapshot, nil)}, "", ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st walState
			var err error
			for _, b := range c.batches {
				if _, err = st.replay(b); err != nil {
					break
				}
			}
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("replay error = %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil || summary(st) != c.want {
				t.Fatalf("replay = %s, %v; want %s", summary(st), err, c.want)
			}
		})
	}
}

func batch(mark *pb.SnapshotMetadata, ents []*pb.Entry, h *pb.HardState) []byte {
	b, err := encodeBatch(nil, mark, ents, h)
	if err != nil {
		panic(err)
	}
	return b
}

// TestWALCorruptBeforeTail: a bad record in a segment that is not the last
// is corruption, not a torn tail.
func TestWALCorruptBeforeTail(t *testing.T) {
	dir := t.TempDir()
	one := batch(nil, []*pb.Entry{ent(1, 1, "a")}, hs(1, 1))
	one[len(one)-1] ^= 0xff
	os.WriteFile(filepath.Join(dir, segmentName(1)), one, 0o644)
	os.WriteFile(filepath.Join(dir, segmentName(2)), batch(nil, []*pb.Entry{ent(2, 1, "b")}, nil), 0o644)
	if _, _, _, err := openWAL(dir, false, &Stats{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("openWAL error = %v, want ErrCorrupt", err)
	}
}

// TestWALRewriteCrash: a crash after the new segment is in place but before
// the old one is deleted replays to the same state, and open cleans up.
func TestWALRewriteCrash(t *testing.T) {
	dir := t.TempDir()
	w, _, _ := mustOpenWAL(t, dir)
	w.appendBatch(nil, []*pb.Entry{ent(1, 1, "a"), ent(2, 1, "b"), ent(3, 1, "c")}, hs(1, 2))
	old, _ := os.ReadFile(filepath.Join(dir, segmentName(1)))
	mark := &pb.SnapshotMetadata{Index: proto.Uint64(2), Term: proto.Uint64(1)}
	if err := w.rewrite(mark, []*pb.Entry{ent(3, 1, "c")}, hs(1, 2)); err != nil {
		t.Fatal(err)
	}
	w.close()
	_, clean, _ := mustOpenWAL(t, dir)
	os.WriteFile(filepath.Join(dir, segmentName(1)), old, 0o644)         // the old segment came back
	os.WriteFile(filepath.Join(dir, "wal-x.tmp"), []byte("junk"), 0o644) // and a temporary file
	_, crashed, _ := mustOpenWAL(t, dir)
	if summary(crashed) != summary(clean) || summary(clean) != "mark=2/1 hs=1/2 ents=3.1:c " {
		t.Fatalf("after a crash during rewrite: %s, clean %s", summary(crashed), summary(clean))
	}
	seqs, _ := listSeq(dir, "wal-", ".log")
	if !reflect.DeepEqual(seqs, []uint64{2}) {
		t.Fatalf("segments after open: %v, want [2]", seqs)
	}
	if _, err := os.Stat(filepath.Join(dir, "wal-x.tmp")); !os.IsNotExist(err) {
		t.Fatalf("temporary file survived open: %v", err)
	}
}

// TestSnapshotFiles: the log's mark must find its snapshot; unnamed ones go.
func TestSnapshotFiles(t *testing.T) {
	dir := t.TempDir()
	snap := &pb.Snapshot{Data: []byte("table"), Metadata: &pb.SnapshotMetadata{Index: proto.Uint64(7), Term: proto.Uint64(2),
		ConfState: &pb.ConfState{Voters: []uint64{1, 2, 3}}}}
	for _, idx := range []uint64{3, 7, 9} {
		s := proto.Clone(snap).(*pb.Snapshot)
		s.Metadata.Index = proto.Uint64(idx)
		if err := saveSnapshot(dir, s, false, &Stats{}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := loadSnapshot(dir, snap.GetMetadata())
	if err != nil || !proto.Equal(got, snap) {
		t.Fatalf("loadSnapshot = %v, %v", got, err)
	}
	seqs, _ := listSeq(dir, "snap-", ".snap")
	if !reflect.DeepEqual(seqs, []uint64{7}) {
		t.Fatalf("snapshots left: %v, want [7]", seqs)
	}
	wrongTerm := &pb.SnapshotMetadata{Index: proto.Uint64(7), Term: proto.Uint64(3)}
	if _, err := loadSnapshot(dir, wrongTerm); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("mark with another term: %v, want ErrCorrupt", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, snapName(7)))
	b[len(b)-1] ^= 1
	os.WriteFile(filepath.Join(dir, snapName(7)), b, 0o644)
	if _, err := loadSnapshot(dir, snap.GetMetadata()); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged snapshot: %v, want ErrCorrupt", err)
	}
	if _, err := loadSnapshot(t.TempDir(), snap.GetMetadata()); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("missing snapshot: %v, want ErrCorrupt", err)
	}
}

func TestBootCount(t *testing.T) {
	dir := t.TempDir()
	for want := uint64(1); want <= 3; want++ {
		if got, err := nextBoot(dir, false, &Stats{}); err != nil || got != want {
			t.Fatalf("boot = %d, %v; want %d", got, err, want)
		}
	}
	os.WriteFile(filepath.Join(dir, "boot"), []byte("garbage!!"), 0o644)
	if _, err := nextBoot(dir, false, &Stats{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged boot file: %v, want ErrCorrupt", err)
	}
}
