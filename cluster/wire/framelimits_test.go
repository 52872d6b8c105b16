package wire

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// allocated is the bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A frame that declares a 60 MiB body and then stops costs what arrived,
// not what was declared.
func TestStalledLargeFrameAllocatesOnlyWhatArrived(t *testing.T) {
	hdr := []byte(`{"type":"request","id":"x","attempt":1,"meta":{"usernames":["a"],"quota":1}}`)
	frame := rawFrame(uint32(4+len(hdr)+60<<20), uint32(len(hdr)), append(hdr, make([]byte, 1000)...))
	var err error
	got := allocated(func() {
		_, err = NewFrameReader(bytes.NewReader(frame), 64<<20).Read()
	})
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("Read of a stalled frame: %v, want ErrTruncated", err)
	}
	if got > 1<<20 {
		t.Errorf("reading 1 KB of a frame declaring 60 MiB allocated %d bytes, want under 1 MiB", got)
	}
}

// A large header once does not leave its buffer with the reader.
func TestFrameReaderDoesNotKeepALargeHeader(t *testing.T) {
	big := Message{Type: MsgResponse, From: 1, ID: "x", Error: strings.Repeat("e", 1<<20), Code: CodeRejected}
	small := Message{Type: MsgResponse, From: 1, ID: "y", Error: "no", Code: CodeRejected}
	var stream bytes.Buffer
	for _, m := range []*Message{&big, &small} {
		if err := WriteFrame(&stream, m); err != nil {
			t.Fatal(err)
		}
	}
	fr := NewFrameReader(&stream, 4<<20)
	for range 2 {
		if _, err := fr.Read(); err != nil {
			t.Fatal(err)
		}
	}
	if cap(fr.hdr) > 4<<10 {
		t.Errorf("after a 1 MiB header the reader keeps a %d-byte header buffer, want at most 4 KiB", cap(fr.hdr))
	}
}

// Bodies arriving in small pieces still read back exactly.
func TestGrowingReadMatchesTheBody(t *testing.T) {
	body := make([]byte, 300<<10+7)
	for i := range body {
		body[i] = byte(i * 7)
	}
	var stream bytes.Buffer
	if err := WriteFrame(&stream, &Message{Type: MsgResponse, From: 2, ID: "z", Body: body}); err != nil {
		t.Fatal(err)
	}
	got, err := NewFrameReader(&trickle{b: stream.Bytes(), n: 1500}, 1<<20).Read()
	if err != nil || !bytes.Equal(got.Body, body) {
		t.Fatalf("read %d bytes (%v), want the %d-byte body intact", len(got.Body), err, len(body))
	}
}

// trickle returns at most n bytes a call, like a slow socket.
type trickle struct {
	b []byte
	n int
}

func (t *trickle) Read(p []byte) (int, error) {
	if len(t.b) == 0 {
		return 0, errors.New("eof")
	}
	k := copy(p[:min(len(p), t.n)], t.b)
	t.b = t.b[k:]
	return k, nil
}
