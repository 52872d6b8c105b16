package raftstore

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Record types in WAL segments and snapshot files.
const (
	recEntry    byte = 1 // payload: raftpb.Entry
	recState    byte = 2 // payload: raftpb.HardState
	recSnapMark byte = 3 // payload: raftpb.SnapshotMetadata; the log restarts after it
	recSnapshot byte = 4 // payload: raftpb.Snapshot (the only record of a snapshot file)
	recBoot     byte = 5 // payload: uint64 LE boot count (the only record of the boot file)
)

// recordHeader is the bytes before a record's type and payload:
// uint32 LE length (of type + payload) | uint32 LE CRC-32C (of type + payload).
const recordHeader = 8

// maxRecord bounds one record's length, so that a garbage length is a torn
// or bad record rather than an allocation.
const maxRecord = 256 << 20

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// appendRecord appends one framed record to buf.
func appendRecord(buf []byte, typ byte, payload []byte) []byte {
	n := 1 + len(payload)
	crc := crc32.Update(crc32.Update(0, crcTable, []byte{typ}), crcTable, payload)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(n))
	buf = binary.LittleEndian.AppendUint32(buf, crc)
	buf = append(buf, typ)
	return append(buf, payload...)
}

// readRecord parses the record at the start of b and returns its type,
// payload (aliasing b) and total size. Any defect — short header, length 0
// or over maxRecord, fewer bytes than the length, checksum mismatch, unknown
// type — is ErrBadRecord: at the end of the last segment it means a torn
// write, elsewhere corruption.
func readRecord(b []byte) (typ byte, payload []byte, size int, err error) {
	if len(b) < recordHeader {
		return 0, nil, 0, fmt.Errorf("%w: %d bytes, short header", ErrBadRecord, len(b))
	}
	n := binary.LittleEndian.Uint32(b)
	if n == 0 || n > maxRecord {
		return 0, nil, 0, fmt.Errorf("%w: length %d", ErrBadRecord, n)
	}
	if uint64(len(b)-recordHeader) < uint64(n) {
		return 0, nil, 0, fmt.Errorf("%w: length %d, only %d bytes left", ErrBadRecord, n, len(b)-recordHeader)
	}
	body := b[recordHeader : recordHeader+int(n)]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(b[4:]) {
		return 0, nil, 0, fmt.Errorf("%w: checksum mismatch", ErrBadRecord)
	}
	typ = body[0]
	if typ < recEntry || typ > recBoot {
		return 0, nil, 0, fmt.Errorf("%w: unknown type %d", ErrBadRecord, typ)
	}
	return typ, body[1:], recordHeader + int(n), nil
}
