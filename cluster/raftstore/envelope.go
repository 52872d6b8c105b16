package raftstore

import (
	"encoding/binary"
	"fmt"

	"stegocloud/cluster/table"
)

// envelope is a log entry's data: who proposed it (node id, boot count,
// proposal id within that boot) and the table op.
//
//	byte 1 (version) | uvarint node | uvarint boot | uvarint seq | op JSON (table.EncodeOp)
//
// The proposer recognises its own entries when it applies them and hands the
// result to the waiting caller; every other replica just applies the op.
type envelope struct {
	node, boot, seq uint64
	op              table.Op
}

const envelopeVersion = 1

func encodeEnvelope(e envelope) ([]byte, error) {
	op, err := table.EncodeOp(e.op)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 1+3*binary.MaxVarintLen64+len(op))
	b = append(b, envelopeVersion)
	b = binary.AppendUvarint(b, e.node)
	b = binary.AppendUvarint(b, e.boot)
	b = binary.AppendUvarint(b, e.seq)
	return append(b, op...), nil
}

// decodeEnvelope parses a log entry's data; any defect is ErrBadEntry.
func decodeEnvelope(b []byte) (envelope, error) {
	var e envelope
	if len(b) == 0 || b[0] != envelopeVersion {
		return e, fmt.Errorf("%w: unknown version", ErrBadEntry)
	}
	b = b[1:]
	for _, p := range []*uint64{&e.node, &e.boot, &e.seq} {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return e, fmt.Errorf("%w: bad header varint", ErrBadEntry)
		}
		*p, b = v, b[n:]
	}
	op, err := table.DecodeOp(b)
	if err != nil {
		return e, fmt.Errorf("%w: %w", ErrBadEntry, err)
	}
	e.op = op
	return e, nil
}
