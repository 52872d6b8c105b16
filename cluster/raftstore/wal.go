package raftstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// wal is the append-only log of a data directory: numbered segment files
// wal-<16 hex>.log of records (record.go). Replaying every segment in order
// gives the persisted Raft state:
//
//	entry      append at its index, dropping any stored entries at or after it
//	hardstate  replaces the last one
//	snap mark  the log restarts after the snapshot (its file must exist)
//
// One Ready is written as one batch [mark] entries… [hardstate] with one
// write and at most one fsync, so any prefix of the file is a state that was
// current at some point: a hardstate's commit never refers to entries after
// it. After a snapshot, rewrite starts a new segment holding only the mark,
// the entries after it and the hardstate, and deletes the older segments.
type wal struct {
	dir    string
	sync   bool
	f      *os.File
	seq    uint64 // current segment number
	size   int64  // bytes in the current segment
	synced int64  // of which known to be on disk
	buf    []byte
	stats  *Stats
}

// walState is the persisted Raft state a replay yields.
type walState struct {
	mark *pb.SnapshotMetadata // last snapshot mark; nil: none
	hs   *pb.HardState        // last hardstate; nil: none
	ents []*pb.Entry          // contiguous, starting right after mark's index
}

func segmentName(seq uint64) string { return fmt.Sprintf("wal-%016x.log", seq) }

// openWAL replays dir's segments, truncates a torn tail of the last one
// (returning how many bytes it cut), and opens the last segment for appending.
func openWAL(dir string, sync bool, stats *Stats) (*wal, walState, int64, error) {
	var st walState
	seqs, err := listSeq(dir, "wal-", ".log")
	if err != nil {
		return nil, st, 0, err
	}
	w := &wal{dir: dir, sync: sync, stats: stats}
	if len(seqs) == 0 {
		if err := w.create(1, nil); err != nil {
			return nil, st, 0, err
		}
		return w, st, 0, nil
	}
	var torn int64
	for i, seq := range seqs {
		path := filepath.Join(dir, segmentName(seq))
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, st, 0, fmt.Errorf("reading wal segment: %w", err)
		}
		good, err := st.replay(data)
		if err != nil && (i < len(seqs)-1 || !errors.Is(err, ErrBadRecord)) {
			return nil, st, 0, fmt.Errorf("%w: %s at offset %d: %w", ErrCorrupt, path, good, err)
		}
		if err != nil { // the last segment's torn tail
			torn = int64(len(data) - good)
			if err := truncateSync(path, int64(good), sync); err != nil {
				return nil, st, 0, err
			}
		}
	}
	last := seqs[len(seqs)-1]
	f, err := os.OpenFile(filepath.Join(dir, segmentName(last)), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, st, 0, fmt.Errorf("opening wal segment: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, st, 0, fmt.Errorf("opening wal segment: %w", err)
	}
	w.f, w.seq, w.size, w.synced = f, last, fi.Size(), fi.Size()
	for _, seq := range seqs[:len(seqs)-1] { // left over by a crash during rewrite
		if err := os.Remove(filepath.Join(dir, segmentName(seq))); err != nil {
			return nil, st, 0, fmt.Errorf("removing old wal segment: %w", err)
		}
	}
	return w, st, torn, nil
}

// replay applies the records of one segment to st and returns the offset
// after the last good record. A record that fails its checksum is
// ErrBadRecord (torn or corrupt, the caller decides); a record that passes
// it but does not make sense is ErrCorrupt.
func (st *walState) replay(data []byte) (int, error) {
	off := 0
	for off < len(data) {
		typ, payload, n, err := readRecord(data[off:])
		if err != nil {
			return off, err
		}
		if err := st.apply(typ, payload); err != nil {
			return off, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		off += n
	}
	return off, nil
}

func (st *walState) apply(typ byte, payload []byte) error {
	switch typ {
	case recEntry:
		e := &pb.Entry{}
		if err := proto.Unmarshal(payload, e); err != nil {
			return fmt.Errorf("entry: %w", err)
		}
		return st.addEntry(e)
	case recState:
		hs := &pb.HardState{}
		if err := proto.Unmarshal(payload, hs); err != nil {
			return fmt.Errorf("hardstate: %w", err)
		}
		st.hs = hs
	case recSnapMark:
		m := &pb.SnapshotMetadata{}
		if err := proto.Unmarshal(payload, m); err != nil {
			return fmt.Errorf("snapshot mark: %w", err)
		}
		if m.GetIndex() == 0 {
			return fmt.Errorf("snapshot mark at index 0")
		}
		st.mark, st.ents = m, nil
	default:
		return fmt.Errorf("record type %d in a wal segment", typ)
	}
	return nil
}

func (st *walState) addEntry(e *pb.Entry) error {
	first := st.mark.GetIndex() + 1
	idx := e.GetIndex()
	if idx < first { // covered by the snapshot
		return nil
	}
	if last := first + uint64(len(st.ents)); idx > last {
		return fmt.Errorf("entry %d after a gap (log ends at %d)", idx, last-1)
	}
	st.ents = append(st.ents[:idx-first], e)
	return nil
}

// appendBatch writes one Ready's records in one write: the snapshot mark,
// the entries, the hardstate (each may be absent).
func (w *wal) appendBatch(mark *pb.SnapshotMetadata, ents []*pb.Entry, hs *pb.HardState) error {
	buf, err := encodeBatch(w.buf[:0], mark, ents, hs)
	if err != nil {
		return err
	}
	w.buf = buf
	if len(buf) == 0 {
		return nil
	}
	if _, err := w.f.Write(buf); err != nil {
		return fmt.Errorf("writing wal: %w", err)
	}
	w.size += int64(len(buf))
	w.stats.WALBytesWritten += uint64(len(buf))
	return nil
}

func encodeBatch(buf []byte, mark *pb.SnapshotMetadata, ents []*pb.Entry, hs *pb.HardState) ([]byte, error) {
	add := func(typ byte, m proto.Message) error {
		p, err := proto.Marshal(m)
		if err != nil {
			return fmt.Errorf("encoding wal record: %w", err)
		}
		buf = appendRecord(buf, typ, p)
		return nil
	}
	if mark != nil {
		if err := add(recSnapMark, mark); err != nil {
			return nil, err
		}
	}
	for _, e := range ents {
		if err := add(recEntry, e); err != nil {
			return nil, err
		}
	}
	if hs != nil {
		if err := add(recState, hs); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// syncNow makes every written byte durable (a no-op without Config sync).
func (w *wal) syncNow() error {
	if w.synced == w.size {
		return nil
	}
	if w.sync {
		if err := w.f.Sync(); err != nil {
			return fmt.Errorf("syncing wal: %w", err)
		}
		w.stats.Fsyncs++
	}
	w.synced = w.size
	return nil
}

// rewrite replaces the log by a new segment holding mark, ents and hs (its
// snapshot file must already be durable), then deletes the older segments.
// A crash at any point leaves a directory that replays to the same state.
func (w *wal) rewrite(mark *pb.SnapshotMetadata, ents []*pb.Entry, hs *pb.HardState) error {
	buf, err := encodeBatch(nil, mark, ents, hs)
	if err != nil {
		return err
	}
	old := w.seq
	if err := w.create(old+1, buf); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(w.dir, segmentName(old))); err != nil {
		return fmt.Errorf("removing old wal segment: %w", err)
	}
	w.stats.WALRewrites++
	return nil
}

// create writes a new segment seq with content (through a temporary file,
// synced, renamed, directory synced) and makes it the current one.
func (w *wal) create(seq uint64, content []byte) error {
	path := filepath.Join(w.dir, segmentName(seq))
	if err := writeFileAtomic(path, content, w.sync, w.stats); err != nil {
		return fmt.Errorf("creating wal segment: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("opening wal segment: %w", err)
	}
	if w.f != nil {
		w.f.Close()
	}
	w.f, w.seq, w.size, w.synced = f, seq, int64(len(content)), int64(len(content))
	w.stats.WALBytesWritten += uint64(len(content))
	return nil
}

func (w *wal) close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// listSeq returns the numbers of the files prefix<16 hex>suffix in dir,
// sorted, and removes leftover temporary files.
func listSeq(dir, prefix, suffix string) ([]uint64, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("listing data directory: %w", err)
	}
	var seqs []uint64
	for _, de := range des {
		name := de.Name()
		if strings.HasSuffix(name, ".tmp") {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return nil, fmt.Errorf("removing temporary file: %w", err)
			}
			continue
		}
		var seq uint64
		if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) ||
			len(name) != len(prefix)+16+len(suffix) {
			continue
		}
		if _, err := fmt.Sscanf(name[len(prefix):len(prefix)+16], "%016x", &seq); err != nil {
			continue
		}
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	return seqs, nil
}

// writeFileAtomic writes path through path.tmp: write, fsync, rename, fsync
// the directory (the syncs only with sync).
func writeFileAtomic(path string, content []byte, sync bool, stats *Stats) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		stats.Fsyncs++
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path), sync, stats)
}

func syncDir(dir string, sync bool, stats *Stats) error {
	if !sync {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return err
	}
	stats.Fsyncs++
	return nil
}

func truncateSync(path string, size int64, sync bool) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("truncating torn wal tail: %w", err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("truncating torn wal tail: %w", err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("truncating torn wal tail: %w", err)
		}
	}
	return nil
}
