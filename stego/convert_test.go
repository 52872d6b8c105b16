package stego

import (
	"bytes"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// referenceNRGBA is the definition ToNRGBA must match: NRGBAModel per pixel,
// but the high byte of each sample of an NRGBA64 (whose colour NRGBAModel
// would premultiply away).
func referenceNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y))
			if n64, ok := img.(*image.NRGBA64); ok {
				p := n64.NRGBA64At(x, y)
				c = color.NRGBA{uint8(p.R >> 8), uint8(p.G >> 8), uint8(p.B >> 8), uint8(p.A >> 8)}
			}
			out.Set(x-b.Min.X, y-b.Min.Y, c)
		}
	}
	return out
}

// TestTransparentColourSurvives: a fully transparent pixel keeps its colour
// through every conversion of a 16-bit image, as an 8-bit one does (issue
// 15: {65535 65535 0 0} became {0 0 0 0}).
func TestTransparentColourSurvives(t *testing.T) {
	src := image.NewNRGBA64(image.Rect(0, 0, 2, 1))
	src.SetNRGBA64(0, 0, color.NRGBA64{65535, 65535, 0, 0})
	src.SetNRGBA64(1, 0, color.NRGBA64{0x1234, 0x5678, 0x9abc, 0})
	if got := ToNRGBA(src).NRGBAAt(0, 0); got != (color.NRGBA{255, 255, 0, 0}) {
		t.Errorf("ToNRGBA({65535 65535 0 0}) = %v, want {255 255 0 0}", got)
	}
	if got := ToNRGBA64(src); !bytes.Equal(got.Pix, src.Pix) {
		t.Errorf("ToNRGBA64(NRGBA64) = %x, want %x", got.Pix, src.Pix)
	}
	if got := ownNRGBA64(src); got != src {
		t.Errorf("ownNRGBA64 copied an NRGBA64 at the origin")
	}
	n8 := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	n8.SetNRGBA(0, 0, color.NRGBA{0xff, 0x80, 0x01, 0})
	if got := ToNRGBA64(n8).NRGBA64At(0, 0); got != (color.NRGBA64{0xffff, 0x8080, 0x0101, 0}) {
		t.Errorf("ToNRGBA64(NRGBA {255 128 1 0}) = %v, want each byte widened", got)
	}
}

// randomImages returns one image of every type ToNRGBA knows, with random
// pixels (every alpha value occurs), including sub-images off the origin.
func randomImages(rng *rand.Rand) map[string]image.Image {
	r := image.Rect(0, 0, 13, 7)
	fill := func(pix []byte) []byte {
		for i := range pix {
			pix[i] = byte(rng.Uint32())
		}
		return pix
	}
	rgba := image.NewRGBA(r)
	fill(rgba.Pix)
	for i := 0; i < len(rgba.Pix); i += 4 { // premultiplied: colour ≤ alpha
		a := rgba.Pix[i+3]
		for c := range 3 {
			rgba.Pix[i+c] = byte(uint(rgba.Pix[i+c]) * uint(a) / 255)
		}
	}
	nrgba := image.NewNRGBA(r)
	fill(nrgba.Pix)
	gray := image.NewGray(r)
	fill(gray.Pix)
	pal := make(color.Palette, 200)
	for i := range pal {
		pal[i] = color.NRGBA{byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32())}
	}
	paletted := image.NewPaletted(r, pal)
	for i := range paletted.Pix {
		paletted.Pix[i] = byte(rng.IntN(len(pal)))
	}
	images := map[string]image.Image{
		"rgba": rgba, "nrgba": nrgba, "gray": gray, "paletted": paletted,
		"rgba-sub":     rgba.SubImage(image.Rect(2, 1, 11, 6)),
		"nrgba-sub":    nrgba.SubImage(image.Rect(3, 2, 13, 7)),
		"gray-sub":     gray.SubImage(image.Rect(1, 1, 5, 6)),
		"paletted-sub": paletted.SubImage(image.Rect(4, 0, 9, 3)),
		"gray16":       &image.Gray16{Pix: fill(make([]byte, 2*13*7)), Stride: 26, Rect: r},
		"rgba64":       &image.RGBA64{Pix: fill(make([]byte, 8*13*7)), Stride: 104, Rect: r},
		"nrgba64":      &image.NRGBA64{Pix: fill(make([]byte, 8*13*7)), Stride: 104, Rect: r},
		"cmyk":         &image.CMYK{Pix: fill(make([]byte, 4*13*7)), Stride: 52, Rect: r},
		"alpha":        &image.Alpha{Pix: fill(make([]byte, 13*7)), Stride: 13, Rect: r},
	}
	ratios := map[string]image.YCbCrSubsampleRatio{
		"444": image.YCbCrSubsampleRatio444, "422": image.YCbCrSubsampleRatio422,
		"420": image.YCbCrSubsampleRatio420, "440": image.YCbCrSubsampleRatio440,
		"411": image.YCbCrSubsampleRatio411, "410": image.YCbCrSubsampleRatio410,
	}
	for name, ratio := range ratios {
		y := image.NewYCbCr(r, ratio)
		fill(y.Y)
		fill(y.Cb)
		fill(y.Cr)
		images["ycbcr"+name] = y
		images["ycbcr"+name+"-sub"] = y.SubImage(image.Rect(3, 1, 12, 6))
		a := image.NewNYCbCrA(r, ratio)
		fill(a.Y)
		fill(a.Cb)
		fill(a.Cr)
		fill(a.A)
		images["nycbcra"+name] = a
	}
	return images
}

func TestToNRGBAMatchesNRGBAModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 20 {
		for name, img := range randomImages(rng) {
			got, want := ToNRGBA(img), referenceNRGBA(img)
			if got.Rect != want.Rect || got.Stride != want.Stride || !bytes.Equal(got.Pix, want.Pix) {
				t.Fatalf("trial %d, %s %v: ToNRGBA gave %v stride %d\n%x\nwant %v stride %d\n%x",
					trial, name, img.Bounds(), got.Rect, got.Stride, got.Pix, want.Rect, want.Stride, want.Pix)
			}
		}
	}
}

func TestToNRGBAEdgeCases(t *testing.T) {
	if got := ToNRGBA(nil); !got.Rect.Empty() {
		t.Errorf("ToNRGBA(nil).Rect = %v, want empty", got.Rect)
	}
	empty := image.NewRGBA(image.Rect(5, 5, 5, 9))
	if got := ToNRGBA(empty); !got.Rect.Empty() {
		t.Errorf("ToNRGBA(empty %v).Rect = %v, want empty", empty.Rect, got.Rect)
	}
	// Paletted images whose indices exceed the palette, as image/png's
	// decoder tolerates, become opaque black instead of panicking.
	p := image.NewPaletted(image.Rect(0, 0, 2, 1), color.Palette{color.NRGBA{1, 2, 3, 4}})
	p.Pix[1] = 9
	got := ToNRGBA(p)
	if want := []byte{1, 2, 3, 4, 0, 0, 0, 0xff}; !bytes.Equal(got.Pix, want) {
		t.Errorf("ToNRGBA(paletted with index past the palette).Pix = %v, want %v", got.Pix, want)
	}
	if got := ToNRGBA(image.NewPaletted(image.Rect(0, 0, 1, 1), nil)); !bytes.Equal(got.Pix, []byte{0, 0, 0, 0xff}) {
		t.Errorf("ToNRGBA(paletted with no palette).Pix = %v, want opaque black", got.Pix)
	}
}

func TestToNRGBACopies(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	dst := ToNRGBA(src)
	dst.Pix[0] = 9
	if src.Pix[0] != 0 {
		t.Errorf("writing to ToNRGBA's result changed its source")
	}
}

func TestOwnNRGBAReusesOnlyWhatIsExact(t *testing.T) {
	opaque := image.NewRGBA(image.Rect(0, 0, 2, 2))
	for i := range opaque.Pix {
		opaque.Pix[i] = 0xff
	}
	translucent := image.NewRGBA(image.Rect(0, 0, 2, 2))
	translucent.Pix[3] = 0x80
	nrgba := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	tests := []struct {
		name   string
		img    image.Image
		shared bool
	}{
		{"nrgba", nrgba, true},
		{"nrgba off origin", nrgba.SubImage(image.Rect(1, 1, 2, 2)), false},
		{"opaque rgba", opaque, true},
		{"translucent rgba", translucent, false},
		{"gray", image.NewGray(image.Rect(0, 0, 2, 2)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ownNRGBA(tt.img)
			if want := referenceNRGBA(tt.img); !bytes.Equal(got.Pix, want.Pix) || got.Rect != want.Rect {
				t.Errorf("ownNRGBA = %v %x, want %v %x", got.Rect, got.Pix, want.Rect, want.Pix)
			}
			if shared := sharesPix(got, tt.img); shared != tt.shared {
				t.Errorf("ownNRGBA shares the source pixels = %v, want %v", shared, tt.shared)
			}
		})
	}
}

func sharesPix(a *image.NRGBA, img image.Image) bool {
	var pix []byte
	switch s := img.(type) {
	case *image.NRGBA:
		pix = s.Pix
	case *image.RGBA:
		pix = s.Pix
	case *image.Gray:
		pix = s.Pix
	}
	return len(pix) > 0 && len(a.Pix) > 0 && &pix[0] == &a.Pix[0]
}
