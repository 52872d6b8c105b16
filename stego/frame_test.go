package stego

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"reflect"
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

func TestFrameRoundTrip(t *testing.T) {
	m := Metadata{Usernames: []string{"alice", "bob", "ünï-çødé"}, Quota: 7}
	for _, key := range [][]byte{nil, testKey(1)} {
		frame, err := MarshalFrame(m, key, fixedRand(1))
		if err != nil {
			t.Fatalf("MarshalFrame(%+v, key=%v): %v", m, key != nil, err)
		}
		wantLen := FrameOverhead + jsonLen(t, m)
		if key != nil {
			wantLen += sealOverhead
		}
		if len(frame) != wantLen {
			t.Errorf("sealed=%v: frame is %d bytes, want %d", key != nil, len(frame), wantLen)
		}
		got, err := UnmarshalFrame(frame, key)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("sealed=%v: UnmarshalFrame = %+v, %v; want %+v", key != nil, got, err, m)
		}
	}
}

func TestSealedFrameHidesTheMetadata(t *testing.T) {
	m := Metadata{Usernames: []string{"alice"}, Quota: 3}
	frame, err := MarshalFrame(m, testKey(1), fixedRand(2))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(frame, []byte("alice")) || bytes.Contains(frame, []byte("usernames")) {
		t.Errorf("sealed frame % x contains the plaintext", frame)
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
	m := Metadata{Usernames: []string{"alice", "bob"}, Quota: 2}
	plain, err := MarshalFrame(m, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := MarshalFrame(m, testKey(1), fixedRand(4))
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
		{"json trailing data", withPayload(false, `{"usernames":["a"],"quota":1} {}`), nil, ErrCorrupt},
		{"json trailing brace", withPayload(false, `{"usernames":["a"],"quota":1}}`), nil, ErrCorrupt},
		{"json unknown field", withPayload(false, `{"usernames":["a"],"quota":1,"admin":true}`), nil, ErrCorrupt},
		{"json invalid metadata", withPayload(false, `{"usernames":[],"quota":1}`), nil, ErrInvalidMetadata},
		{"json negative quota", withPayload(false, `{"usernames":["a"],"quota":-1}`), nil, ErrCorrupt},
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
