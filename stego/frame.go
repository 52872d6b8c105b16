package stego

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Frame layout constants; doc.go draws the layout.
const (
	frameVersion   = 2 // what writers write: the payload carries the image id
	frameVersionV1 = 1 // still read: no id in the payload
	headerLen      = 9 // magic(3) + version(1) + flags(1) + length(4)
	crcLen         = 4

	// FrameOverhead is what a frame adds to its payload: header and CRC-32.
	FrameOverhead = headerLen + crcLen

	// MaxPayload is the largest payload length a reader accepts: the largest
	// metadata JSON plus the sealing overhead.
	MaxPayload = MaxMetadataBytes + sealOverhead

	flagSealed   = 1 << 0
	flagsDefined = flagSealed
)

// magic marks a frame of this package; random LSBs match it and the version
// byte with probability 2^-32.
var magic = [3]byte{'S', 'T', 'G'}

// frameHeader is the decoded fixed-size start of a frame. The zero value's
// version is the one writers write.
type frameHeader struct {
	v1     bool // a version-1 frame (read only)
	sealed bool
	length int // payload bytes
}

func (h frameHeader) version() byte {
	if h.v1 {
		return frameVersionV1
	}
	return frameVersion
}

// size is the length of the whole frame the header announces.
func (h frameHeader) size() int { return FrameOverhead + h.length }

// bytes renders the header; it is also the additional authenticated data of a
// sealed payload, so version, flags and length cannot be altered without the
// key.
func (h frameHeader) bytes() [headerLen]byte {
	var b [headerLen]byte
	copy(b[:3], magic[:])
	b[3] = h.version()
	if h.sealed {
		b[4] = flagSealed
	}
	binary.BigEndian.PutUint32(b[5:], uint32(h.length))
	return b
}

// parseHeader decodes the first headerLen bytes of a frame. It tells "no frame
// here" (ErrNoPayload) from "a frame from a newer writer" (ErrUnsupported) and
// from "a damaged frame" (ErrCorrupt).
func parseHeader(b []byte) (frameHeader, error) {
	if len(b) < headerLen {
		return frameHeader{}, fmt.Errorf("%w: %s cannot hold a %d-byte frame header", ErrNoPayload, byteCount(len(b)), headerLen)
	}
	if [3]byte(b[:3]) != magic {
		return frameHeader{}, fmt.Errorf("%w: frame magic absent (found % x, want % x)", ErrNoPayload, b[:3], magic[:])
	}
	if b[3] != frameVersion && b[3] != frameVersionV1 {
		return frameHeader{}, fmt.Errorf("%w: frame version %d, this build reads versions %d and %d", ErrUnsupported, b[3], frameVersionV1, frameVersion)
	}
	flags := b[4]
	if flags&^flagsDefined != 0 {
		return frameHeader{}, fmt.Errorf("%w: unknown frame flags %#02x", ErrCorrupt, flags)
	}
	n := binary.BigEndian.Uint32(b[5:headerLen])
	if n > MaxPayload {
		return frameHeader{}, fmt.Errorf("%w: payload length field is %d, at most %d allowed", ErrCorrupt, n, MaxPayload)
	}
	return frameHeader{v1: b[3] == frameVersionV1, sealed: flags&flagSealed != 0, length: int(n)}, nil
}

// appendFrame appends header, payload and CRC-32 to dst.
func appendFrame(dst []byte, h frameHeader, payload []byte) []byte {
	start := len(dst)
	hb := h.bytes()
	dst = append(dst, hb[:]...)
	dst = append(dst, payload...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// parseFrame checks a whole frame (as many bytes as its header announces) and
// returns its header and payload, which aliases b.
func parseFrame(b []byte) (frameHeader, []byte, error) {
	h, err := parseHeader(b)
	if err != nil {
		return frameHeader{}, nil, err
	}
	if len(b) != h.size() {
		return frameHeader{}, nil, fmt.Errorf("%w: frame is %s, its header announces %d", ErrCorrupt, byteCount(len(b)), h.size())
	}
	body := b[:headerLen+h.length]
	want := binary.BigEndian.Uint32(b[len(body):])
	if got := crc32.ChecksumIEEE(body); got != want {
		return frameHeader{}, nil, fmt.Errorf("%w: crc-32 is %08x, frame says %08x", ErrCorrupt, got, want)
	}
	return h, b[headerLen : headerLen+h.length], nil
}
