package stego

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"io"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// fixedRand is a deterministic nonce source for tests.
func fixedRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return rand.NewChaCha8(s)
}

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

// refreshCRC recomputes a frame's CRC after a test edited it, as a forger
// would: it turns a corruption into a tampering.
func refreshCRC(frame []byte) {
	n := len(frame) - crcLen
	binary.BigEndian.PutUint32(frame[n:], crc32.ChecksumIEEE(frame[:n]))
}

func TestParseHeader(t *testing.T) {
	valid := frameHeader{sealed: true, length: 42}.bytes()
	edit := func(f func(b []byte)) []byte {
		b := bytes.Clone(valid[:])
		f(b)
		return b
	}
	tests := []struct {
		name    string
		in      []byte
		want    frameHeader
		wantErr error
	}{
		{"valid sealed", valid[:], frameHeader{sealed: true, length: 42}, nil},
		{"version 1", edit(func(b []byte) { b[3] = 1 }), frameHeader{v1: true, sealed: true, length: 42}, nil},
		{"version 0", edit(func(b []byte) { b[3] = 0 }), frameHeader{}, ErrUnsupported},
		{"valid plain, empty", edit(func(b []byte) { b[4] = 0; binary.BigEndian.PutUint32(b[5:], 0) }), frameHeader{}, nil},
		{"max payload", edit(func(b []byte) { binary.BigEndian.PutUint32(b[5:], MaxPayload) }), frameHeader{sealed: true, length: MaxPayload}, nil},
		{"short", valid[:headerLen-1], frameHeader{}, ErrNoPayload},
		{"no magic", edit(func(b []byte) { b[0] = 'X' }), frameHeader{}, ErrNoPayload},
		{"all zero", make([]byte, headerLen), frameHeader{}, ErrNoPayload},
		{"newer version", edit(func(b []byte) { b[3] = frameVersion + 1 }), frameHeader{}, ErrUnsupported},
		{"unknown flag", edit(func(b []byte) { b[4] |= 0x80 }), frameHeader{}, ErrCorrupt},
		{"length over max", edit(func(b []byte) { binary.BigEndian.PutUint32(b[5:], MaxPayload+1) }), frameHeader{}, ErrCorrupt},
		{"length 4 GiB", edit(func(b []byte) { binary.BigEndian.PutUint32(b[5:], 0xffffffff) }), frameHeader{}, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseHeader(tt.in)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("parseHeader(% x) = %+v, %v; want %+v, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestFrameRoundTrip: a version-2 frame carries the id exactly; one without
// an id gets a random one, 32 hex digits from the codec's random source.
func TestFrameRoundTrip(t *testing.T) {
	given := Metadata{ID: "c17.3f9a_X-1", Usernames: []string{"alice", "bob", "ünï-çødé"}, Quota: 7}
	longest := Metadata{ID: strings.Repeat("Az09._-", 10)[:MaxIDBytes], Usernames: []string{"a"}, Quota: MaxQuota}
	drawn := Metadata{Usernames: []string{"alice"}, Quota: 0}
	for _, m := range []Metadata{given, longest, drawn} {
		for _, key := range [][]byte{nil, testKey(1)} {
			frame, err := MarshalFrame(m, key, fixedRand(1))
			if err != nil {
				t.Fatalf("MarshalFrame(%+v, key=%v): %v", m, key != nil, err)
			}
			if frame[3] != 2 {
				t.Errorf("frame version %d, want 2", frame[3])
			}
			want := m
			if want.ID == "" {
				id, err := NewID(fixedRand(1)) // the same source: the id is drawn first
				if err != nil {
					t.Fatal(err)
				}
				want.ID = id
			}
			wantLen := FrameOverhead + jsonLen(t, want)
			if key != nil {
				wantLen += sealOverhead
			}
			if len(frame) != wantLen {
				t.Errorf("sealed=%v: frame is %d bytes, want %d", key != nil, len(frame), wantLen)
			}
			got, err := UnmarshalFrame(frame, key)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("sealed=%v: UnmarshalFrame = %+v, %v; want %+v", key != nil, got, err, want)
			}
			if m.ID == "" && !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got.ID) {
				t.Errorf("drawn id %q, want 32 lowercase hex digits", got.ID)
			}
		}
	}
}

// Version-1 frames written by the code before ids (62f4150), for
// {"usernames":["alice","bob"],"quota":5}: plain, and sealed with key 7…7 and
// nonce 1…1. Their ids are "v1-" + hex(SHA-256(frame)[:16]).
const (
	goldenV1Plain  = "5354470100000000277b22757365726e616d6573223a5b22616c696365222c22626f62225d2c2271756f7461223a357d40b31639"
	goldenV1Sealed = "5354470101000000430101010101010101010101010dc3fcc4f5cd826fbcb1af034a6c5250c49277913abb19713753613f4a9647ceadc66992a626f8fe0abf9f6867fe71dbf1749b87c7519a606cebfb"
)

// marshalV1 writes a version-1 frame as the code before ids did: the
// metadata's JSON without an id, sealed with the version-1 header as AAD.
// Only tests write version 1.
func marshalV1(t testing.TB, m Metadata, key []byte, rand io.Reader) []byte {
	t.Helper()
	plain, err := json.Marshal(metadataV1{Usernames: m.Usernames, Quota: m.Quota})
	if err != nil {
		t.Fatal(err)
	}
	if key == nil {
		return appendFrame(nil, frameHeader{v1: true, length: len(plain)}, plain)
	}
	aead, err := newAEAD(key)
	if err != nil {
		t.Fatal(err)
	}
	h := frameHeader{v1: true, sealed: true, length: len(plain) + sealOverhead}
	aad := h.bytes()
	sealed, err := seal(aead, plain, aad[:], rand)
	if err != nil {
		t.Fatal(err)
	}
	return appendFrame(nil, h, sealed)
}

func TestMarshalV1MatchesTheOldWriter(t *testing.T) {
	m := Metadata{Usernames: []string{"alice", "bob"}, Quota: 5}
	for _, tt := range []struct {
		key    []byte
		golden string
	}{{nil, goldenV1Plain}, {testKey(7), goldenV1Sealed}} {
		got := marshalV1(t, m, tt.key, bytes.NewReader(bytes.Repeat([]byte{1}, nonceSize)))
		if hex.EncodeToString(got) != tt.golden {
			t.Errorf("marshalV1(key=%v) = %x, the old writer wrote %s", tt.key != nil, got, tt.golden)
		}
	}
}

func TestVersion1FramesStayReadable(t *testing.T) {
	tests := []struct {
		name   string
		frame  string
		key    []byte
		wantID string
	}{
		{"plain", goldenV1Plain, nil, "v1-27303e1b473edff2792b789a3bfa1c26"},
		{"sealed", goldenV1Sealed, testKey(7), "v1-dda1400c6453ea624bcb498fad108bf3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frame, err := hex.DecodeString(tt.frame)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(frame)
			if derived := "v1-" + hex.EncodeToString(sum[:16]); derived != tt.wantID {
				t.Fatalf("the pinned id %s is not the documented hash %s", tt.wantID, derived)
			}
			want := Metadata{ID: tt.wantID, Usernames: []string{"alice", "bob"}, Quota: 5}
			got, err := UnmarshalFrame(frame, tt.key)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("UnmarshalFrame = %+v, %v; want %+v", got, err, want)
			}
			// The same through an image: Extract and Reveal of an old output.
			img := image.NewNRGBA(image.Rect(0, 0, 64, 16))
			if err := EmbedFrame(img, frame); err != nil {
				t.Fatal(err)
			}
			var png bytes.Buffer
			if err := defaultCodec.EncodePNG(&png, img); err != nil {
				t.Fatal(err)
			}
			if got, err := Reveal(png.Bytes(), tt.key); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Reveal(old image) = %+v, %v; want %+v", got, err, want)
			}
			// Hiding the revealed metadata again writes version 2 and keeps the id.
			again, err := MarshalFrame(got, tt.key, fixedRand(3))
			if err != nil {
				t.Fatal(err)
			}
			if back, err := UnmarshalFrame(again, tt.key); again[3] != 2 || err != nil || back.ID != tt.wantID {
				t.Errorf("re-hidden: version %d, id %q, %v; want version 2 and id %s", again[3], back.ID, err, tt.wantID)
			}
		})
	}
}

func TestSealedFrameHidesTheMetadata(t *testing.T) {
	m := Metadata{ID: "image-4711", Usernames: []string{"alice"}, Quota: 3}
	frame, err := MarshalFrame(m, testKey(1), fixedRand(2))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"alice", "usernames", "image-4711", `"id"`} {
		if bytes.Contains(frame, []byte(s)) {
			t.Errorf("sealed frame % x contains the plaintext %q", frame, s)
		}
	}
	other, err := MarshalFrame(m, testKey(1), fixedRand(3))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(frame, other) {
		t.Errorf("two seals of the same metadata with different nonces are identical: % x", frame)
	}
}

func TestUnmarshalFrameErrors(t *testing.T) {
	m := Metadata{ID: "img-1", Usernames: []string{"alice", "bob"}, Quota: 2}
	plain, err := MarshalFrame(m, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := MarshalFrame(m, testKey(1), fixedRand(4))
	if err != nil {
		t.Fatal(err)
	}
	sealedV1, err := hex.DecodeString(goldenV1Sealed)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(frame []byte, f func(b []byte)) []byte {
		b := bytes.Clone(frame)
		f(b)
		return b
	}
	withPayload := func(sealedFlag bool, payload string) []byte {
		return appendFrame(nil, frameHeader{sealed: sealedFlag, length: len(payload)}, []byte(payload))
	}
	v1WithPayload := func(payload string) []byte {
		return appendFrame(nil, frameHeader{v1: true, length: len(payload)}, []byte(payload))
	}
	tests := []struct {
		name    string
		frame   []byte
		key     []byte
		wantErr error
	}{
		{"plain bit flip", edit(plain, func(b []byte) { b[headerLen+2] ^= 1 }), nil, ErrCorrupt},
		{"crc flip", edit(plain, func(b []byte) { b[len(b)-1] ^= 1 }), nil, ErrCorrupt},
		{"truncated", plain[:len(plain)-1], nil, ErrCorrupt},
		{"trailing byte", append(bytes.Clone(plain), 0), nil, ErrCorrupt},
		{"sealed without key", sealed, nil, ErrSealed},
		{"sealed wrong key", sealed, testKey(2), ErrAuth},
		{"sealed short key", sealed, testKey(1)[:16], ErrKey},
		{"plain with key", plain, testKey(1), ErrAuth},
		{"sealed ciphertext tampered, crc fixed", edit(sealed, func(b []byte) { b[headerLen+nonceSize] ^= 1; refreshCRC(b) }), testKey(1), ErrAuth},
		{"sealed nonce tampered, crc fixed", edit(sealed, func(b []byte) { b[headerLen] ^= 1; refreshCRC(b) }), testKey(1), ErrAuth},
		{"seal stripped, crc fixed", edit(sealed, func(b []byte) { b[4] = 0; refreshCRC(b) }), testKey(1), ErrAuth},
		{"seal stripped, crc fixed, no key", edit(sealed, func(b []byte) { b[4] = 0; refreshCRC(b) }), nil, ErrCorrupt},
		{"sealed shorter than nonce and tag", withPayload(true, "short"), testKey(1), ErrCorrupt},
		{"not json", withPayload(false, "hello"), nil, ErrCorrupt},
		{"json trailing data", withPayload(false, `{"id":"x","usernames":["a"],"quota":1} {}`), nil, ErrCorrupt},
		{"json trailing brace", withPayload(false, `{"id":"x","usernames":["a"],"quota":1}}`), nil, ErrCorrupt},
		{"json unknown field", withPayload(false, `{"id":"x","usernames":["a"],"quota":1,"admin":true}`), nil, ErrCorrupt},
		{"json invalid metadata", withPayload(false, `{"id":"x","usernames":[],"quota":1}`), nil, ErrInvalidMetadata},
		{"json negative quota", withPayload(false, `{"id":"x","usernames":["a"],"quota":-1}`), nil, ErrCorrupt},
		{"v2 without id", withPayload(false, `{"usernames":["a"],"quota":1}`), nil, ErrCorrupt},
		{"v2 empty id", withPayload(false, `{"id":"","usernames":["a"],"quota":1}`), nil, ErrCorrupt},
		{"v2 id with a space", withPayload(false, `{"id":"a b","usernames":["a"],"quota":1}`), nil, ErrInvalidMetadata},
		{"v2 id too long", withPayload(false, `{"id":"`+strings.Repeat("x", MaxIDBytes+1)+`","usernames":["a"],"quota":1}`), nil, ErrInvalidMetadata},
		{"v1 with an id", v1WithPayload(`{"id":"x","usernames":["a"],"quota":1}`), nil, ErrCorrupt},
		{"v1 not json", v1WithPayload(`hello`), nil, ErrCorrupt},
		{"sealed v2 relabelled v1, crc fixed", edit(sealed, func(b []byte) { b[3] = 1; refreshCRC(b) }), testKey(1), ErrAuth},
		{"sealed v1 relabelled v2, crc fixed", edit(sealedV1, func(b []byte) { b[3] = 2; refreshCRC(b) }), testKey(7), ErrAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := UnmarshalFrame(tt.frame, tt.key)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("UnmarshalFrame(% x, key=%v) = %+v, %v; want error %v", tt.frame, tt.key != nil, got, err, tt.wantErr)
			}
		})
	}
}

func TestMarshalFrameErrors(t *testing.T) {
	tests := []struct {
		name    string
		m       Metadata
		key     []byte
		rand    io.Reader
		wantErr error
	}{
		{"invalid metadata", Metadata{}, nil, fixedRand(5), ErrInvalidMetadata},
		{"bad key length", Metadata{Usernames: []string{"a"}}, []byte("short"), fixedRand(5), ErrKey},
		{"nonce source fails", Metadata{Usernames: []string{"a"}}, testKey(1), failingReader{}, errNonce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := MarshalFrame(tt.m, tt.key, tt.rand); !errors.Is(err, tt.wantErr) {
				t.Errorf("MarshalFrame(%+v, key=%q) error = %v, want %v", tt.m, tt.key, err, tt.wantErr)
			}
		})
	}
}

var errNonce = errors.New("entropy exhausted")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errNonce }
