package raftstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// Snapshot files: snap-<16 hex index>.snap, one record holding the
// raftpb.Snapshot (metadata and the table's bytes). A snapshot counts only
// once a WAL mark names it; files no mark names are left over by a crash
// and deleted on open.

func snapName(index uint64) string { return fmt.Sprintf("snap-%016x.snap", index) }

func saveSnapshot(dir string, snap *pb.Snapshot, sync bool, stats *Stats) error {
	p, err := proto.Marshal(snap)
	if err != nil {
		return fmt.Errorf("encoding snapshot: %w", err)
	}
	content := appendRecord(nil, recSnapshot, p)
	if err := writeFileAtomic(filepath.Join(dir, snapName(snap.GetMetadata().GetIndex())), content, sync, stats); err != nil {
		return fmt.Errorf("saving snapshot: %w", err)
	}
	stats.SnapshotBytesWritten += uint64(len(content))
	return nil
}

// decodeSnapshotFile parses a snapshot file's bytes: exactly one snapshot
// record whose metadata is at a non-zero index.
func decodeSnapshotFile(b []byte) (*pb.Snapshot, error) {
	typ, payload, n, err := readRecord(b)
	if err != nil {
		return nil, err
	}
	if typ != recSnapshot || n != len(b) {
		return nil, fmt.Errorf("%w: not one snapshot record (type %d, %d of %d bytes)", ErrBadRecord, typ, n, len(b))
	}
	snap := &pb.Snapshot{}
	if err := proto.Unmarshal(payload, snap); err != nil {
		return nil, fmt.Errorf("%w: snapshot: %v", ErrBadRecord, err)
	}
	if snap.GetMetadata().GetIndex() == 0 {
		return nil, fmt.Errorf("%w: snapshot at index 0", ErrBadRecord)
	}
	return snap, nil
}

// loadSnapshot reads the snapshot the WAL's last mark names and deletes
// every other snapshot file.
func loadSnapshot(dir string, mark *pb.SnapshotMetadata) (*pb.Snapshot, error) {
	seqs, err := listSeq(dir, "snap-", ".snap")
	if err != nil {
		return nil, err
	}
	for _, idx := range seqs {
		if mark == nil || idx != mark.GetIndex() {
			if err := os.Remove(filepath.Join(dir, snapName(idx))); err != nil {
				return nil, fmt.Errorf("removing unused snapshot: %w", err)
			}
		}
	}
	if mark == nil {
		return nil, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, snapName(mark.GetIndex())))
	if err != nil {
		return nil, fmt.Errorf("%w: the log names snapshot %d: %w", ErrCorrupt, mark.GetIndex(), err)
	}
	snap, err := decodeSnapshotFile(b)
	if err != nil {
		return nil, fmt.Errorf("%w: snapshot %d: %w", ErrCorrupt, mark.GetIndex(), err)
	}
	if m := snap.GetMetadata(); m.GetIndex() != mark.GetIndex() || m.GetTerm() != mark.GetTerm() {
		return nil, fmt.Errorf("%w: snapshot file at %d/%d, log mark at %d/%d", ErrCorrupt,
			m.GetIndex(), m.GetTerm(), mark.GetIndex(), mark.GetTerm())
	}
	return snap, nil
}

// removeSnapshotsBefore deletes snapshot files older than index (after the
// WAL was rewritten to name index).
func removeSnapshotsBefore(dir string, index uint64) error {
	seqs, err := listSeq(dir, "snap-", ".snap")
	if err != nil {
		return err
	}
	for _, idx := range seqs {
		if idx < index {
			if err := os.Remove(filepath.Join(dir, snapName(idx))); err != nil {
				return fmt.Errorf("removing old snapshot: %w", err)
			}
		}
	}
	return nil
}

// nextBoot increments the directory's boot count (file "boot", one record)
// and returns it. Proposals carry it so that a restarted process never takes
// an entry proposed by its previous life for one of its own.
func nextBoot(dir string, sync bool, stats *Stats) (uint64, error) {
	path := filepath.Join(dir, "boot")
	var boot uint64
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return 0, fmt.Errorf("reading boot count: %w", err)
	default:
		if boot, err = decodeBoot(b); err != nil {
			return 0, fmt.Errorf("%w: boot file: %w", ErrCorrupt, err)
		}
	}
	boot++
	rec := appendRecord(nil, recBoot, binary.LittleEndian.AppendUint64(nil, boot))
	if err := writeFileAtomic(path, rec, sync, stats); err != nil {
		return 0, fmt.Errorf("writing boot count: %w", err)
	}
	return boot, nil
}

func decodeBoot(b []byte) (uint64, error) {
	typ, payload, n, err := readRecord(b)
	if err != nil {
		return 0, err
	}
	if typ != recBoot || n != len(b) || len(payload) != 8 {
		return 0, fmt.Errorf("%w: not one boot record", ErrBadRecord)
	}
	return binary.LittleEndian.Uint64(payload), nil
}
