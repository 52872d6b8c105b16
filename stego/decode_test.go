package stego

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"strings"
	"testing"

	"stegocloud/stego/imagegen"
)

// pngWithSize returns a real 2×2 PNG whose IHDR claims w×h (CRC fixed), so
// that only a decoder that trusts the header allocates w·h pixels.
func pngWithSize(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	ihdr := b[8+8 : 8+8+13] // after signature, length and "IHDR"
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(b[8+8+13:], crc32.ChecksumIEEE(b[8+4:8+8+13]))
	return b
}

// jpegWithSize returns a real 16×16 JPEG whose SOF0 claims w×h.
func jpegWithSize(t *testing.T, w, h uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, imagegen.PhotoLike(16, 16, 1), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0 marker in the encoded jpeg")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    Format
		wantErr error
		wantMsg string // the whole message, when an error is expected
	}{
		{"png", []byte(pngSignature + "rest"), FormatPNG, nil, ""},
		{"jpeg", []byte{0xff, 0xd8, 0xff, 0xe0}, FormatJPEG, nil, ""},
		{"empty", nil, "", ErrNotImage, "not a decodable png or jpeg image: the input is empty (0 bytes)"},
		{"gif", []byte("GIF89a"), "", ErrNotImage,
			"not a decodable png or jpeg image: signature 47 49 46 38 39 61 is neither png (89 50 4e 47 0d 0a 1a 0a) nor jpeg (ff d8 ff)"},
		{"png prefix only", []byte(pngSignature[:7]), "", ErrNotImage,
			"not a decodable png or jpeg image: 7 bytes (89 50 4e 47 0d 0a 1a), shorter than a png or jpeg signature"},
		{"one byte of jpeg", []byte{0xff}, "", ErrNotImage,
			"not a decodable png or jpeg image: 1 byte (ff), shorter than a png or jpeg signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sniff(tt.in)
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("Sniff(% x) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err != nil && err.Error() != tt.wantMsg {
				t.Errorf("Sniff(% x) error %q, want %q", tt.in, err, tt.wantMsg)
			}
		})
	}
}

func TestDecodeRefusesBeforeAllocating(t *testing.T) {
	small := func(maxPixels int) *Codec {
		cfg := DefaultConfig()
		cfg.MaxPixels = maxPixels
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	good := pngWithSize(t, 2, 2)
	tests := []struct {
		name    string
		codec   *Codec
		in      []byte
		wantErr error
	}{
		{"png 100k×100k", defaultCodec, pngWithSize(t, 100000, 100000), ErrTooLarge},
		{"png 2^31-1 wide", defaultCodec, pngWithSize(t, 1<<31-1, 1), ErrTooLarge},
		{"png zero width", defaultCodec, pngWithSize(t, 0, 5), ErrNotImage},
		{"jpeg 65535²", defaultCodec, jpegWithSize(t, 65535, 65535), ErrTooLarge},
		{"png over a small limit", small(3), good, ErrTooLarge},
		{"png at a small limit", small(4), good, nil},
		{"png lies about its size", defaultCodec, pngWithSize(t, 3000, 3000), ErrNotImage},
		{"truncated png", defaultCodec, good[:len(good)-20], ErrNotImage},
		{"truncated jpeg", defaultCodec, jpegWithSize(t, 16, 16)[:100], ErrNotImage},
		{"text", defaultCodec, []byte("hello"), ErrNotImage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := tt.codec.Decode(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Decode = %v, %v; want error %v", img != nil, err, tt.wantErr)
			}
		})
	}
}

// TestDecodeNamesTheLimit: exact pixel counts, so that one pixel over the
// limit does not read "64.0 Mpx exceeds the limit of 64.0 Mpx".
func TestDecodeNamesTheLimit(t *testing.T) {
	tests := []struct {
		w, h uint32
		want string
	}{
		{10000, 8000, "image too large: 10000×8000 = 80000000 pixels, more than the limit of 67108864"},
		{8193, 8192, "image too large: 8193×8192 = 67117056 pixels, more than the limit of 67108864"},
	}
	for _, tt := range tests {
		_, err := Decode(pngWithSize(t, tt.w, tt.h))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Decode(%d×%d header) error = %v, want %q", tt.w, tt.h, err, tt.want)
		}
	}
	if err := checkSize(math.MaxInt32, math.MaxInt32, math.MaxInt); err != nil {
		t.Errorf("checkSize(2^31-1 squared, limit MaxInt) = %v, want nil", err)
	}
	if err := checkSize(math.MaxInt, 3, math.MaxInt); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "= 27670116110564327421 pixels") {
		t.Errorf("checkSize(MaxInt×3) = %v, want ErrTooLarge with the exact product", err)
	}
}
