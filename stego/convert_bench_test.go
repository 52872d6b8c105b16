package stego

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"stegocloud/stego/imagegen"
	"stegocloud/stego/stegotest"
)

// BenchmarkToNRGBA converts a 1024×1024 picture from each decoder output
// type; "generic" is the At-per-pixel path every other type takes, and
// draw.Draw is what a straightforward program would call instead.
func BenchmarkToNRGBA(b *testing.B) {
	src := imagegen.PhotoLike(1024, 1024, 3)
	ycc := image.NewYCbCr(src.Rect, image.YCbCrSubsampleRatio420)
	for y := range 1024 {
		for x := range 1024 {
			c := src.NRGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			ycc.Y[ycc.YOffset(x, y)] = yy
			ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = cb, cr
		}
	}
	translucent := image.NewRGBA(src.Rect)
	draw.Draw(translucent, src.Rect, stegotest.WithAlpha(src), image.Point{}, draw.Src)
	images := []struct {
		name string
		img  image.Image
	}{
		{"ycbcr420", ycc},
		{"paletted", stegotest.Quantize(src, stegotest.Cube252, false)},
		{"rgba-translucent", translucent},
		{"generic-nrgba64", convertVia(src, color.NRGBA64Model)},
	}
	for _, im := range images {
		b.Run(im.name, func(b *testing.B) {
			b.SetBytes(4 * 1024 * 1024) // NRGBA bytes written
			b.ReportAllocs()
			for b.Loop() {
				ToNRGBA(im.img)
			}
		})
		if im.name != "ycbcr420" {
			continue // one reference point is enough; make bench has a time budget
		}
		b.Run(im.name+"/draw.Draw", func(b *testing.B) {
			b.SetBytes(4 * 1024 * 1024)
			b.ReportAllocs()
			for b.Loop() {
				dst := image.NewNRGBA(im.img.Bounds())
				draw.Draw(dst, dst.Rect, im.img, im.img.Bounds().Min, draw.Src)
			}
		})
	}
}

func convertVia(src *image.NRGBA, m color.Model) image.Image {
	out := image.NewNRGBA64(src.Rect)
	for y := range src.Rect.Dy() {
		for x := range src.Rect.Dx() {
			out.Set(x, y, m.Convert(src.NRGBAAt(x, y)))
		}
	}
	return out
}
