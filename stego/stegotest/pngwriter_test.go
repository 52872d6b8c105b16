package stegotest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"stegocloud/stego/imagegen"
)

// TestEncodePNGDecodesBack decodes every layout EncodePNG writes with Go's
// decoder and compares each pixel with the conversion the layout implies.
func TestEncodePNGDecodesBack(t *testing.T) {
	src := WithAlpha(imagegen.PhotoLike(19, 11, 4))
	pal := Quantize(imagegen.PhotoLike(19, 11, 4), Cube252, true)
	tests := []struct {
		name string
		img  image.Image
		opt  PNGOptions
		// want is the colour image/png must decode at (x, y).
		want func(x, y int) color.Color
	}{
		{"gray8", src, PNGOptions{ColorType: Gray, Depth: 8}, func(x, y int) color.Color { return color.Gray{uint8(luma16(src, x, y) >> 8)} }},
		{"gray16", src, PNGOptions{ColorType: Gray, Depth: 16}, func(x, y int) color.Color { return color.Gray16{luma16(src, x, y)} }},
		{"grayalpha8", src, PNGOptions{ColorType: GrayAlpha, Depth: 8}, func(x, y int) color.Color {
			g := uint8(luma16(src, x, y) >> 8)
			return color.NRGBA{g, g, g, src.NRGBAAt(x, y).A}
		}},
		{"grayalpha16", src, PNGOptions{ColorType: GrayAlpha, Depth: 16}, func(x, y int) color.Color {
			g := luma16(src, x, y)
			return color.NRGBA64{g, g, g, uint16(src.NRGBAAt(x, y).A) * 0x101}
		}},
		{"rgb8", src, PNGOptions{ColorType: RGB, Depth: 8}, func(x, y int) color.Color {
			c := src.NRGBAAt(x, y)
			return color.RGBA{c.R, c.G, c.B, 0xff}
		}},
		{"rgba16", src, PNGOptions{ColorType: RGBA, Depth: 16}, func(x, y int) color.Color {
			return nrgba64At(src, x, y)
		}},
		{"indexed", pal, PNGOptions{ColorType: Indexed, Depth: 8}, func(x, y int) color.Color {
			return color.NRGBAModel.Convert(pal.At(x, y))
		}},
	}
	for _, tt := range tests {
		for _, interlace := range []bool{false, true} {
			opt := tt.opt
			opt.Interlace = interlace
			data, err := EncodePNG(tt.img, opt)
			if err != nil {
				t.Fatalf("%s interlace=%v: EncodePNG: %v", tt.name, interlace, err)
			}
			if got := data[28]; got != map[bool]byte{false: 0, true: 1}[interlace] {
				t.Errorf("%s interlace=%v: IHDR interlace byte %d", tt.name, interlace, got)
			}
			got, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s interlace=%v: png.Decode: %v", tt.name, interlace, err)
			}
			b := tt.img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					g, w := color.NRGBA64Model.Convert(got.At(x, y)), color.NRGBA64Model.Convert(tt.want(x, y))
					if g != w {
						t.Fatalf("%s interlace=%v: pixel (%d,%d) decoded as %v, want %v", tt.name, interlace, x, y, g, w)
					}
				}
			}
		}
	}
}

func luma16(img *image.NRGBA, x, y int) uint16 {
	c := nrgba64At(img, x, y)
	return uint16((19595*uint32(c.R) + 38470*uint32(c.G) + 7471*uint32(c.B) + 1<<15) >> 16)
}

func TestEncodePNGRefuses(t *testing.T) {
	img := imagegen.PhotoLike(4, 4, 1)
	tests := []struct {
		name string
		img  image.Image
		opt  PNGOptions
	}{
		{"empty", image.NewNRGBA(image.Rect(0, 0, 0, 0)), PNGOptions{ColorType: RGB, Depth: 8}},
		{"depth 4", img, PNGOptions{ColorType: RGB, Depth: 4}},
		{"indexed without palette", img, PNGOptions{ColorType: Indexed, Depth: 8}},
		{"unknown colour type", img, PNGOptions{ColorType: 5, Depth: 8}},
	}
	for _, tt := range tests {
		if _, err := EncodePNG(tt.img, tt.opt); err == nil {
			t.Errorf("EncodePNG(%s, %+v) succeeded, want an error", tt.name, tt.opt)
		}
	}
}
