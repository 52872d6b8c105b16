package stego

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"reflect"
	"sync"
	"testing"

	"stegocloud/stego/imagegen"
	"stegocloud/stego/stegotest"
)

// pngColorType reads the colour type and bit depth from a PNG's IHDR.
func pngColorType(b []byte) (colorType, depth byte) {
	if len(b) < 26 {
		return 0xff, 0
	}
	return b[25], b[24]
}

// roundTripSizes are image sizes for a frame of n bytes: the smallest
// 1-pixel-high image that holds it, odd sizes that split chroma blocks and
// Adam7 passes unevenly, and a larger one.
func roundTripSizes(n int) []image.Point {
	return []image.Point{{carrierPixels(n), 1}, {31, 17}, {64, 48}, {201, 151}}
}

// TestHideRevealEveryModel hides metadata, plain and sealed, in the same
// picture stored in every colour model and checks: Reveal returns it; the
// output is an 8-bit PNG, RGB exactly when the input was opaque; and the
// output's pixels are the input's pixels with the frame in their LSBs,
// nothing else changed (so the encoding is lossless).
func TestHideRevealEveryModel(t *testing.T) {
	m := Metadata{ID: "every-model", Usernames: []string{"alice", "bob", "zoë"}, Quota: 5}
	key := testKey(7)
	for _, model := range stegotest.Models() {
		for _, k := range [][]byte{nil, key} {
			frameLen := FrameOverhead + jsonLen(t, m)
			if k != nil {
				frameLen += sealOverhead
			}
			for _, size := range roundTripSizes(frameLen) {
				name := fmt.Sprintf("%s/%dx%d/sealed=%v", model.Name, size.X, size.Y, k != nil)
				t.Run(name, func(t *testing.T) {
					cover, err := model.Encode(imagegen.PhotoLike(size.X, size.Y, int64(size.X)))
					if err != nil {
						t.Fatalf("encoding the cover: %v", err)
					}
					checkHideReveal(t, cover, m, k, model.Opaque, model.Deep)
				})
			}
		}
	}
}

func checkHideReveal(t *testing.T, cover []byte, m Metadata, key []byte, opaque, deep bool) {
	t.Helper()
	out, err := Hide(cover, m, key)
	if err != nil {
		t.Fatalf("Hide: %v", err)
	}
	got, err := Reveal(out, key)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("Reveal = %+v, %v; want %+v", got, err, m)
	}
	ct, depth := pngColorType(out)
	wantCT, wantDepth := byte(6), byte(8)
	if opaque {
		wantCT = 2
	}
	if deep {
		wantDepth = 16
	}
	if ct != wantCT || depth != wantDepth {
		t.Errorf("output png colour type %d depth %d, want colour type %d depth %d", ct, depth, wantCT, wantDepth)
	}

	decodedOut, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decoding the output with image/png: %v", err)
	}
	var stego image.Image = ToNRGBA(decodedOut)
	if deep {
		stego = ToNRGBA64(decodedOut)
	}
	want, err := Decode(cover)
	if err != nil {
		t.Fatalf("decoding the cover: %v", err)
	}
	frame, err := ExtractFrame(stego)
	if err != nil {
		t.Fatalf("ExtractFrame(output): %v", err)
	}
	if err := EmbedFrame(want, frame); err != nil {
		t.Fatalf("EmbedFrame(cover): %v", err)
	}
	if i := firstDiff(pixOf(stego), pixOf(want)); i >= 0 {
		t.Errorf("output pixel byte %d = %#02x, want cover with frame %#02x", i, pixOf(stego)[i], pixOf(want)[i])
	}
}

// pixOf returns the pixel bytes of an NRGBA or NRGBA64 (nil for others, so
// that a wrong type shows as a difference).
func pixOf(img image.Image) []byte {
	switch m := img.(type) {
	case *image.NRGBA:
		return m.Pix
	case *image.NRGBA64:
		return m.Pix
	}
	return nil
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func TestHideCapacityError(t *testing.T) {
	m := Metadata{ID: "c", Usernames: []string{"alice"}, Quota: 1}
	frameLen := FrameOverhead + jsonLen(t, m)
	w := carrierPixels(frameLen) - 1
	cover, err := stegotest.Models()[0].Encode(imagegen.PhotoLike(w, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Hide(cover, m, nil)
	var ce *CapacityError
	if !errors.As(err, &ce) || ce.Have != Capacity(w, 1) || ce.Need != frameLen {
		t.Errorf("Hide in %d×1: error %v, want a CapacityError with Have %d, Need %d", w, err, Capacity(w, 1), frameLen)
	}
}

func TestHideChecksMetadataFirst(t *testing.T) {
	_, err := Hide([]byte("not an image"), Metadata{}, nil)
	if !errors.Is(err, ErrInvalidMetadata) {
		t.Errorf("Hide(garbage, empty metadata) = %v, want ErrInvalidMetadata before any decoding", err)
	}
}

func TestRevealErrors(t *testing.T) {
	m := Metadata{ID: "r", Usernames: []string{"alice"}, Quota: 1}
	plainCover, err := stegotest.Models()[0].Encode(imagegen.PhotoLike(40, 30, 3))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Hide(plainCover, m, testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		img     []byte
		key     []byte
		wantErr error
	}{
		{"cover without data", plainCover, nil, ErrNoPayload},
		{"sealed, no key", sealed, nil, ErrSealed},
		{"sealed, wrong key", sealed, testKey(2), ErrAuth},
		{"not an image", []byte("GIF89a"), nil, ErrNotImage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Reveal(tt.img, tt.key)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Reveal = %+v, %v; want error %v", got, err, tt.wantErr)
			}
		})
	}
	_, err = Reveal(sealed, nil)
	want := fmt.Sprintf("while extracting: sealed: key needed: payload of %d bytes is sealed with AES-256-GCM", jsonLen(t, m)+sealOverhead)
	if err == nil || err.Error() != want {
		t.Errorf("Reveal(sealed, nil) error = %v, want %q", err, want)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Config)
		wantErr bool
	}{
		{"default", func(*Config) {}, false},
		{"best compression", func(c *Config) { c.Compression = png.BestCompression }, false},
		{"zero max pixels", func(c *Config) { c.MaxPixels = 0 }, true},
		{"negative max pixels", func(c *Config) { c.MaxPixels = -1 }, true},
		{"unknown level", func(c *Config) { c.Compression = 5 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			_, err := New(cfg)
			if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, ErrConfig)) {
				t.Errorf("New(%+v) error = %v, want error: %v", cfg, err, tt.wantErr)
			}
		})
	}
}

// TestConcurrentHideReveal shares one codec between goroutines, as a node
// does; run with -race.
func TestConcurrentHideReveal(t *testing.T) {
	cover, err := stegotest.Models()[0].Encode(imagegen.PhotoLike(48, 32, 5))
	if err != nil {
		t.Fatal(err)
	}
	key := testKey(3)
	var wg sync.WaitGroup
	errs := make(chan error, 8*10)
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				m := Metadata{ID: fmt.Sprintf("g%d.r%d", g, i), Usernames: []string{fmt.Sprintf("user-%d-%d", g, i)}, Quota: g*100 + i}
				k := key
				if i%2 == 0 {
					k = nil
				}
				out, err := Hide(cover, m, k)
				if err != nil {
					errs <- fmt.Errorf("goroutine %d, request %d: Hide: %w", g, i, err)
					continue
				}
				if got, err := Reveal(out, k); err != nil || !reflect.DeepEqual(got, m) {
					errs <- fmt.Errorf("goroutine %d, request %d: Reveal = %+v, %v; want %+v", g, i, got, err, m)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestHideDrawsAnID: metadata without an id gets a random one from the
// codec's source (crypto/rand by default), different on every call; a given
// id is kept exactly.
func TestHideDrawsAnID(t *testing.T) {
	cover, err := stegotest.Models()[0].Encode(imagegen.PhotoLike(40, 30, 3))
	if err != nil {
		t.Fatal(err)
	}
	m := Metadata{Usernames: []string{"alice"}, Quota: 1}
	seen := map[string]bool{}
	for range 3 {
		out, err := Hide(cover, m, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Reveal(out, nil)
		if err != nil || len(got.ID) != 32 || seen[got.ID] {
			t.Fatalf("Reveal = %+v, %v; want a new 32-digit id (seen %v)", got, err, seen)
		}
		seen[got.ID] = true
	}
	cfg := DefaultConfig()
	cfg.Rand = fixedRand(5)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Hide(cover, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := NewID(fixedRand(5))
	if got, err := c.Reveal(out, nil); err != nil || got.ID != want {
		t.Errorf("id from Config.Rand = %q, %v; want %q", got.ID, err, want)
	}
	given := Metadata{ID: "Given_ID-1.0", Usernames: []string{"alice"}, Quota: 1}
	if out, err = Hide(cover, given, testKey(1)); err != nil {
		t.Fatal(err)
	}
	if got, err := Reveal(out, testKey(1)); err != nil || !reflect.DeepEqual(got, given) {
		t.Errorf("Reveal = %+v, %v; want %+v", got, err, given)
	}
	if _, err := NewID(failingReader{}); !errors.Is(err, errNonce) {
		t.Errorf("NewID(failing source) error = %v, want %v", err, errNonce)
	}
}
