package wire

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// AppendFrame appends m's frame to dst: a 4-byte big-endian frame length, a
// 4-byte big-endian header length, the JSON header, then the body.
func AppendFrame(dst []byte, m *Message) ([]byte, error) {
	hdr, err := json.Marshal(m)
	if err != nil {
		return dst, fmt.Errorf("encoding %s header: %w", m.Type, err)
	}
	total := uint64(headerLenBytes) + uint64(len(hdr)) + uint64(len(m.Body))
	if total > 1<<32-1 {
		return dst, fmt.Errorf("encoding %s frame of %d bytes: %w", m.Type, total, ErrFrameTooLarge)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(total))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(hdr)))
	dst = append(dst, hdr...)
	return append(dst, m.Body...), nil
}

// WriteFrame writes m's frame to w.
func WriteFrame(w io.Writer, m *Message) error {
	b, err := AppendFrame(nil, m)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("writing %s frame: %w", m.Type, err)
	}
	return nil
}

// FrameReader decodes frames from a stream, enforcing a size limit. Headers
// and bodies are read incrementally, into buffers that grow only as bytes
// actually arrive: a frame that declares 60 MiB and then stalls costs what
// was sent, not what was declared. Only a small header buffer is reused
// between frames; each body is a fresh allocation the caller may keep.
type FrameReader struct {
	r   *bufio.Reader
	max int
	hdr []byte // scratch for headers up to keptHeader bytes
}

// keptHeader is the largest header buffer a FrameReader keeps between
// frames; a larger header gets a buffer of its own, dropped after use.
const keptHeader = 4 << 10

// firstChunk is the first allocation for a body or large header.
const firstChunk = 64 << 10

// NewFrameReader reads frames of at most maxFrame bytes (after the length
// prefix) from r.
func NewFrameReader(r io.Reader, maxFrame int) *FrameReader {
	return NewFrameReaderSize(r, maxFrame, 32<<10)
}

// NewFrameReaderSize is NewFrameReader with a read buffer of buffer bytes
// (bodies bypass it), for connections that should cost little while idle.
func NewFrameReaderSize(r io.Reader, maxFrame, buffer int) *FrameReader {
	return &FrameReader{r: bufio.NewReaderSize(r, buffer), max: maxFrame}
}

// SetLimit changes the largest accepted frame, for instance once a hello
// has said what the connection is for.
func (fr *FrameReader) SetLimit(maxFrame int) { fr.max = maxFrame }

// Read returns the next message. io.EOF means the stream ended cleanly between
// frames; every other error wraps ErrFrameTooLarge, ErrTruncated or
// ErrProtocol, or is the underlying read error.
func (fr *FrameReader) Read() (Message, error) {
	var pre [frameLenBytes + headerLenBytes]byte
	if _, err := io.ReadFull(fr.r, pre[:frameLenBytes]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Message{}, fmt.Errorf("reading frame length: %w", ErrTruncated)
		}
		return Message{}, err
	}
	n := binary.BigEndian.Uint32(pre[:frameLenBytes])
	if uint64(n) > uint64(fr.max) {
		return Message{}, fmt.Errorf("frame of %d bytes, limit %d: %w", n, fr.max, ErrFrameTooLarge)
	}
	if n < headerLenBytes {
		return Message{}, fmt.Errorf("frame of %d bytes has no header length: %w", n, ErrProtocol)
	}
	if err := readFull(fr.r, pre[frameLenBytes:]); err != nil {
		return Message{}, err
	}
	h := binary.BigEndian.Uint32(pre[frameLenBytes:])
	if h == 0 || h > n-headerLenBytes {
		return Message{}, fmt.Errorf("header length %d in a frame of %d bytes: %w", h, n, ErrProtocol)
	}
	var hdr []byte
	if h <= keptHeader {
		if fr.hdr == nil {
			fr.hdr = make([]byte, keptHeader)
		}
		hdr = fr.hdr[:h]
		if err := readFull(fr.r, hdr); err != nil {
			return Message{}, err
		}
	} else {
		var err error
		if hdr, err = readGrowing(fr.r, int(h)); err != nil {
			return Message{}, err
		}
	}
	var m Message
	if err := json.Unmarshal(hdr, &m); err != nil {
		return Message{}, fmt.Errorf("parsing header: %v: %w", err, ErrProtocol)
	}
	if bodyLen := n - headerLenBytes - h; bodyLen > 0 {
		body, err := readGrowing(fr.r, int(bodyLen))
		if err != nil {
			return Message{}, err
		}
		m.Body = body
	}
	if err := m.Validate(); err != nil {
		return Message{}, err
	}
	return m, nil
}

// readGrowing reads exactly n bytes into a buffer that starts small and
// doubles as bytes arrive, so memory follows what the sender really sent.
func readGrowing(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, firstChunk))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*cap(buf), n))
			copy(grown, buf)
			buf = grown
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err != nil && len(buf) < n {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("reading frame: %w", ErrTruncated)
			}
			return nil, err
		}
	}
	return buf, nil
}

// readFull reads inside a frame, where any end of stream is a truncation.
func readFull(r io.Reader, b []byte) error {
	if _, err := io.ReadFull(r, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("reading frame: %w", ErrTruncated)
		}
		return err
	}
	return nil
}
