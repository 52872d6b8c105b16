package stego

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"stegocloud/stego/stegotest"
)

// deepCovers returns 16-bit covers whose low bytes are independent of their
// high bytes (unlike an 8-bit picture widened by 257), PngSuite style: grey
// (basn0g16), RGB (basn2c16), RGBA (basn6a16), grey+alpha (basn4a16) and an
// interlaced RGBA (basi6a16). The alpha ones hold fully transparent pixels
// with colour, {65535 65535 0 0} among them.
func deepCovers(t *testing.T, w, h int) map[string][]byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	gray := image.NewGray16(image.Rect(0, 0, w, h))
	rgb := image.NewRGBA64(image.Rect(0, 0, w, h))
	rgba := image.NewNRGBA64(image.Rect(0, 0, w, h))
	grayAlpha := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := func() uint16 { return uint16(rng.Uint32()) }
			gray.SetGray16(x, y, color.Gray16{v()})
			rgb.SetRGBA64(x, y, color.RGBA64{v(), v(), v(), 0xffff})
			a := v()
			if x%3 == 0 {
				a = 0
			}
			rgba.SetNRGBA64(x, y, color.NRGBA64{v(), v(), v(), a})
			g := v()
			grayAlpha.SetNRGBA64(x, y, color.NRGBA64{g, g, g, a})
		}
	}
	rgba.SetNRGBA64(0, 0, color.NRGBA64{65535, 65535, 0, 0})
	covers := map[string][]byte{}
	for name, img := range map[string]image.Image{"gray16": gray, "rgb16": rgb, "rgba16": rgba} {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		covers[name] = b.Bytes()
	}
	for name, enc := range map[string]struct {
		img image.Image
		opt stegotest.PNGOptions
	}{
		"grayalpha16":       {grayAlpha, stegotest.PNGOptions{ColorType: stegotest.GrayAlpha, Depth: 16}},
		"interlaced-rgba16": {rgba, stegotest.PNGOptions{ColorType: stegotest.RGBA, Depth: 16, Interlace: true}},
	} {
		data, err := stegotest.EncodePNG(enc.img, enc.opt)
		if err != nil {
			t.Fatal(err)
		}
		covers[name] = data
	}
	return covers
}

// TestHideKeepsSixteenBits: a 16-bit cover gives a 16-bit PNG whose samples
// are the cover's but for the least significant bit of R, G and B in the
// frame's pixels; alpha and the colour of transparent pixels are kept; the
// PSNR is that of 16-bit samples changed by at most 1.
func TestHideKeepsSixteenBits(t *testing.T) {
	m := Metadata{ID: "deep", Usernames: []string{"alice", "bob"}, Quota: 3}
	wantType := map[string]byte{"gray16": 2, "rgb16": 2, "rgba16": 6, "grayalpha16": 6, "interlaced-rgba16": 6}
	for name, cover := range deepCovers(t, 37, 23) {
		t.Run(name, func(t *testing.T) {
			out, err := Hide(cover, m, nil)
			if err != nil {
				t.Fatalf("Hide: %v", err)
			}
			if ct, depth := pngColorType(out); ct != wantType[name] || depth != 16 {
				t.Errorf("output colour type %d depth %d, want %d depth 16", ct, depth, wantType[name])
			}
			if got, err := Reveal(out, nil); err != nil || !reflect.DeepEqual(got, m) {
				t.Fatalf("Reveal = %+v, %v; want %+v", got, err, m)
			}
			decodedCover, err := png.Decode(bytes.NewReader(cover))
			if err != nil {
				t.Fatal(err)
			}
			decodedOut, err := png.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			before, after := ToNRGBA64(decodedCover), ToNRGBA64(decodedOut)
			frameBytes := len(mustFrame(t, m))
			changed := 0
			for i := range before.Pix {
				sample, px := i%8, i/8
				diff := before.Pix[i] ^ after.Pix[i]
				switch {
				case diff == 0:
				case sample%2 == 1 && sample < 6 && diff == 1 && px < carrierPixels(frameBytes):
					changed++
				default:
					t.Fatalf("pixel %d byte %d: cover %#02x, output %#02x; only the LSB of R, G, B in the frame's %d pixels may change",
						px, sample, before.Pix[i], after.Pix[i], carrierPixels(frameBytes))
				}
			}
			if changed == 0 {
				t.Errorf("no sample changed: the frame is not in the 16-bit LSBs")
			}
			if wantType[name] == 6 {
				if c := after.NRGBA64At(0, 0); c.A != 0 || c == (color.NRGBA64{}) {
					t.Errorf("transparent pixel (0,0) came out as %v, its colour lost", c)
				}
			}
			psnr, err := PSNR(before, after)
			if err != nil || psnr < 96.3 {
				t.Errorf("PSNR = %.2f dB, %v; want ≥ 96.3 (16-bit samples off by at most 1)", psnr, err)
			}
		})
	}
}

func mustFrame(t *testing.T, m Metadata) []byte {
	t.Helper()
	f, err := MarshalFrame(m, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestWidenedEightBitStillReveals: the LSB of v·257 is the LSB of v, so our
// 8-bit output converted to 16 bits by an image tool reveals the same frame.
func TestWidenedEightBitStillReveals(t *testing.T) {
	m := Metadata{ID: "widened", Usernames: []string{"alice"}, Quota: 1}
	cover, err := stegotest.Models()[0].Encode(randomNRGBA(rand.New(rand.NewPCG(1, 2)), 40, 30))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Hide(cover, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var wide bytes.Buffer
	if err := png.Encode(&wide, ToNRGBA64(ToNRGBA(img))); err != nil {
		t.Fatal(err)
	}
	if ct, depth := pngColorType(wide.Bytes()); depth != 16 {
		t.Fatalf("widened output has colour type %d depth %d, want depth 16", ct, depth)
	}
	if got, err := Reveal(wide.Bytes(), nil); err != nil || !reflect.DeepEqual(got, m) {
		t.Errorf("Reveal(widened) = %+v, %v; want %+v", got, err, m)
	}
}

// naiveEmbed64 is the textbook loop on 16-bit samples: carrier byte k is the
// low byte of channel k%3 of pixel k/3 (pixels in row order).
func naiveEmbed64(img *image.NRGBA64, data []byte) {
	w := img.Rect.Dx()
	for i, b := range data {
		for bit := range 8 {
			k := 8*i + bit
			px := k / 3
			off := (px/w)*img.Stride + 8*(px%w) + 2*(k%3) + 1
			img.Pix[off] = img.Pix[off]&0xfe | b>>(7-bit)&1
		}
	}
}

// TestCarrier64MatchesNaive: on random 16-bit images of random shapes,
// sub-images included, EmbedFrame writes exactly what the textbook loop
// writes and ExtractFrame reads the frame back.
func TestCarrier64MatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	frame := mustFrame(t, Metadata{Usernames: []string{"alice", "bob"}, Quota: 9})
	for trial := range 100 {
		w, h := 1+rng.IntN(40), 1+rng.IntN(40)
		parent := image.NewNRGBA64(image.Rect(0, 0, w+3, h+2))
		for i := range parent.Pix {
			parent.Pix[i] = byte(rng.Uint32())
		}
		var img *image.NRGBA64 = parent
		if trial%2 == 1 {
			img = parent.SubImage(image.Rect(2, 1, w+2, h+1)).(*image.NRGBA64)
		}
		want := ToNRGBA64(img)
		err := EmbedFrame(img, frame)
		if Capacity(img.Rect.Dx(), img.Rect.Dy()) < len(frame) {
			if !errors.Is(err, ErrCapacity) {
				t.Fatalf("trial %d: EmbedFrame in %v = %v, want ErrCapacity", trial, img.Rect, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("trial %d: EmbedFrame in %v: %v", trial, img.Rect, err)
		}
		naiveEmbed64(want, frame)
		if got := ToNRGBA64(img); !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("trial %d: %v: EmbedFrame and the textbook loop differ at byte %d", trial, img.Rect, firstDiff(got.Pix, want.Pix))
		}
		if got, err := ExtractFrame(img); err != nil || !bytes.Equal(got, frame) {
			t.Fatalf("trial %d: ExtractFrame = %x, %v; want %x", trial, got, err, frame)
		}
	}
}

func TestPSNRSixteenBit(t *testing.T) {
	a := image.NewNRGBA64(image.Rect(0, 0, 2, 2))
	b := image.NewNRGBA64(image.Rect(0, 0, 2, 2))
	b.Pix[1] = 1                                // one of 12 samples off by 1
	b.Pix[7] = 0xff                             // alpha: not counted
	want := 10 * math.Log10(65535.0*65535.0*12) // MSE 1/12
	if got, err := PSNR(a, b); err != nil || math.Abs(got-want) > 1e-9 {
		t.Errorf("PSNR = %v, %v; want %v", got, err, want)
	}
	if _, err := PSNR(a, image.NewNRGBA(image.Rect(0, 0, 2, 2))); !errors.Is(err, ErrMismatch) {
		t.Errorf("PSNR(NRGBA64, NRGBA) error = %v, want ErrMismatch", err)
	}
	if _, err := PSNR(a, image.NewRGBA(image.Rect(0, 0, 2, 2))); !errors.Is(err, ErrNotImage) {
		t.Errorf("PSNR(NRGBA64, RGBA) error = %v, want ErrNotImage", err)
	}
	var nilImg *image.NRGBA64
	if _, err := PSNR(a, nilImg); !errors.Is(err, ErrNotImage) {
		t.Errorf("PSNR(NRGBA64, nil NRGBA64) error = %v, want ErrNotImage", err)
	}
}

// TestToNRGBA64MatchesNRGBA64Model: NRGBA64Model per pixel, but an NRGBA is
// widened exactly (NRGBA64Model would premultiply away transparent colour).
func TestToNRGBA64MatchesNRGBA64Model(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for name, img := range randomImages(rng) {
		b := img.Bounds()
		got := ToNRGBA64(img)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				want := color.NRGBA64Model.Convert(img.At(x, y)).(color.NRGBA64)
				if n, ok := img.(*image.NRGBA); ok {
					c := n.NRGBAAt(x, y)
					want = color.NRGBA64{uint16(c.R) * 257, uint16(c.G) * 257, uint16(c.B) * 257, uint16(c.A) * 257}
				}
				if g := got.NRGBA64At(x-b.Min.X, y-b.Min.Y); g != want {
					t.Fatalf("%s (%d,%d): ToNRGBA64 = %v, want %v", name, x, y, g, want)
				}
			}
		}
	}
}
