package stego

import (
	"bytes"
	"errors"
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

func TestCapacity(t *testing.T) {
	tests := []struct {
		w, h, want int
	}{
		{0, 0, 0}, {-1, 5, 0}, {5, -1, 0}, {1, 1, 0}, {1, 2, 0}, {1, 3, 1}, {8, 1, 3},
		{35, 1, 13}, // 105 carrier bytes: the smallest 1-pixel-high image for an empty frame
		{1024, 1024, 393216},
		{math.MaxInt, 2, math.MaxInt / 8},
	}
	for _, tt := range tests {
		if got := Capacity(tt.w, tt.h); got != tt.want {
			t.Errorf("Capacity(%d, %d) = %d, want %d", tt.w, tt.h, got, tt.want)
		}
	}
}

func randomNRGBA(rng *rand.Rand, w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32())
	}
	return img
}

// TestSmallestImage embeds a frame in the smallest 1-pixel-high image that
// holds it and fails, with the right numbers, one carrier byte below.
func TestSmallestImage(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	m := Metadata{Usernames: []string{"alice", "bob"}, Quota: 5}
	frame, err := MarshalFrame(m, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fits := carrierPixels(len(frame))
	if Capacity(fits, 1) < len(frame) || Capacity(fits-1, 1) >= len(frame) {
		t.Fatalf("carrierPixels(%d) = %d is not the smallest width that fits", len(frame), fits)
	}
	img := randomNRGBA(rng, fits, 1)
	if err := EmbedFrame(img, frame); err != nil {
		t.Fatalf("EmbedFrame in %d×1 (capacity %d) of a %d-byte frame: %v", fits, Capacity(fits, 1), len(frame), err)
	}
	if got, err := Extract(img, nil); err != nil || got.Quota != m.Quota || len(got.Usernames) != 2 {
		t.Errorf("Extract from the smallest image = %+v, %v; want %+v", got, err, m)
	}

	// One byte too small: the largest width whose capacity is len(frame)-1.
	small := fits - 1
	for Capacity(small, 1) > len(frame)-1 {
		small--
	}
	err = EmbedFrame(randomNRGBA(rng, small, 1), frame)
	var ce *CapacityError
	if !errors.As(err, &ce) || !errors.Is(err, ErrCapacity) {
		t.Fatalf("EmbedFrame in %d×1: error %v, want a *CapacityError", small, err)
	}
	want := CapacityError{Width: small, Height: 1, Have: len(frame) - 1, Need: len(frame)}
	if *ce != want {
		t.Errorf("CapacityError = %+v, want %+v", *ce, want)
	}
}

func TestCapacityErrorMessage(t *testing.T) {
	tests := []struct {
		err  *CapacityError
		want string
	}{
		{&CapacityError{Width: 10, Height: 2, Have: 7, Need: 45}, "image too small for the payload: 10×2 image carries 7 bytes, frame needs 45 (32 payload + 13 framing)"},
		{&CapacityError{Width: 1, Height: 3, Have: 1, Need: 45}, "image too small for the payload: 1×3 image carries 1 byte, frame needs 45 (32 payload + 13 framing)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	_, err := ExtractFrame(image.NewNRGBA(image.Rect(0, 0, 1, 3)))
	if want := "no hidden data: 1×3 image carries 1 byte, less than an empty 13-byte frame"; err == nil || err.Error() != want {
		t.Errorf("ExtractFrame(1×3) error %v, want %q", err, want)
	}
}

// TestNonContiguousCarrier checks that a sub-image (rows not back to back)
// carries the same bits, in the same pixels, as a copy of it.
func TestNonContiguousCarrier(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	parent := randomNRGBA(rng, 40, 30)
	sub := parent.SubImage(image.Rect(5, 3, 27, 30)).(*image.NRGBA)
	cp := ToNRGBA(sub)
	frame := randomBytes(rng, 150)

	outside := bytes.Clone(parent.Pix)
	if err := EmbedFrame(sub, frame); err != nil {
		t.Fatal(err)
	}
	if err := EmbedFrame(cp, frame); err != nil {
		t.Fatal(err)
	}
	if got := ToNRGBA(sub); !bytes.Equal(got.Pix, cp.Pix) {
		t.Errorf("embedding in the sub-image and in its copy gave different pixels")
	}
	// Pixels of the parent outside the sub-image are untouched.
	for y := range 30 {
		for x := range 40 {
			if (image.Point{x, y}).In(sub.Rect) {
				continue
			}
			i := parent.PixOffset(x, y)
			if !bytes.Equal(parent.Pix[i:i+4], outside[i:i+4]) {
				t.Fatalf("pixel (%d,%d) outside the sub-image changed", x, y)
			}
		}
	}
	gotSub, gotCopy := make([]byte, len(frame)), make([]byte, len(frame))
	extractBytes(gotSub, gatherRows(sub, len(frame)))
	extractBytes(gotCopy, cp.Pix)
	if !bytes.Equal(gotSub, frame) || !bytes.Equal(gotCopy, frame) {
		t.Errorf("read back %x from the sub-image and %x from the copy, want %x", gotSub, gotCopy, frame)
	}
}

func TestExtractFrameErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	withFrame := func(w, h int, frame []byte) *image.NRGBA {
		img := randomNRGBA(rng, w, h)
		if err := EmbedFrame(img, frame); err != nil {
			t.Fatal(err)
		}
		return img
	}
	good, err := MarshalFrame(Metadata{Usernames: []string{"a"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[headerLen] ^= 0x40
	hugeLen := frameHeader{length: 1000}.bytes()

	tests := []struct {
		name    string
		img     *image.NRGBA
		wantErr error
	}{
		{"nil", nil, ErrNotImage},
		{"empty", image.NewNRGBA(image.Rect(0, 0, 0, 4)), ErrNotImage},
		{"short pix", &image.NRGBA{Pix: make([]byte, 10), Stride: 40, Rect: image.Rect(0, 0, 10, 10)}, ErrNotImage},
		{"stride too small", &image.NRGBA{Pix: make([]byte, 400), Stride: 4, Rect: image.Rect(0, 0, 10, 10)}, ErrNotImage},
		{"negative stride", &image.NRGBA{Pix: make([]byte, 400), Stride: -40, Rect: image.Rect(0, 0, 10, 10)}, ErrNotImage},
		{"too small for any frame", randomNRGBA(rng, 34, 1), ErrNoPayload},
		{"random pixels", randomNRGBA(rng, 64, 64), ErrNoPayload},
		{"zero pixels", image.NewNRGBA(image.Rect(0, 0, 64, 64)), ErrNoPayload},
		{"bit flipped", withFrame(64, 64, flipped), ErrCorrupt},
		{"length beyond image", withFrame(20, 20, hugeLen[:]), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExtractFrame(tt.img)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ExtractFrame = % x, %v; want error %v", got, err, tt.wantErr)
			}
		})
	}
}

func TestEmbedFrameRejectsMalformedImages(t *testing.T) {
	bad := &image.NRGBA{Pix: make([]byte, 3), Stride: 4, Rect: image.Rect(0, 0, 1, 1)}
	if err := EmbedFrame(bad, []byte{1}); !errors.Is(err, ErrNotImage) {
		t.Errorf("EmbedFrame(%d-byte pix for 1×1) = %v, want ErrNotImage", len(bad.Pix), err)
	}
}
