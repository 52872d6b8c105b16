package stegotest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Model is one way to store a picture: a colour model and a file layout.
type Model struct {
	Name string
	// Opaque reports whether the stored picture has no transparency, so a
	// codec must write it back as an opaque (RGB) PNG.
	Opaque bool
	// Lossy reports whether the file does not keep 8-bit RGB exactly (JPEG).
	Lossy bool
	// Deep reports 16-bit samples, which a codec that keeps the depth
	// writes back as a 16-bit PNG.
	Deep bool
	// Encode stores img (an opaque picture such as PhotoLike's) in this
	// model; transparent models first apply WithAlpha.
	Encode func(img *image.NRGBA) ([]byte, error)
}

// Models lists a model for each image type Go's PNG and JPEG decoders return
// (Gray, Gray16, RGBA, RGBA64, NRGBA, NRGBA64, Paletted, YCbCr), reached
// through each PNG colour type at 8 and 16 bits, a 4-bit palette, a palette
// with transparency, and Adam7-interlaced files.
func Models() []Model {
	goPNG := func(convert func(*image.NRGBA) image.Image) func(*image.NRGBA) ([]byte, error) {
		return func(img *image.NRGBA) ([]byte, error) {
			var b bytes.Buffer
			err := png.Encode(&b, convert(img))
			return b.Bytes(), err
		}
	}
	own := func(convert func(*image.NRGBA) image.Image, opt PNGOptions) func(*image.NRGBA) ([]byte, error) {
		return func(img *image.NRGBA) ([]byte, error) { return EncodePNG(convert(img), opt) }
	}
	jpg := func(convert func(*image.NRGBA) image.Image) func(*image.NRGBA) ([]byte, error) {
		return func(img *image.NRGBA) ([]byte, error) {
			var b bytes.Buffer
			err := jpeg.Encode(&b, convert(img), &jpeg.Options{Quality: 90})
			return b.Bytes(), err
		}
	}
	asIs := func(img *image.NRGBA) image.Image { return img }
	alpha := func(img *image.NRGBA) image.Image { return WithAlpha(img) }
	return []Model{
		{Name: "png-rgb8", Opaque: true, Encode: goPNG(func(m *image.NRGBA) image.Image { return toRGBA(m) })},
		{Name: "png-rgba8", Encode: goPNG(alpha)},
		{Name: "png-gray8", Opaque: true, Encode: goPNG(func(m *image.NRGBA) image.Image { return convertTo(m, color.GrayModel) })},
		{Name: "png-gray16", Deep: true, Opaque: true, Encode: goPNG(func(m *image.NRGBA) image.Image { return convertTo(m, color.Gray16Model) })},
		{Name: "png-rgb16", Deep: true, Opaque: true, Encode: goPNG(func(m *image.NRGBA) image.Image { return convertTo(m, color.RGBA64Model) })},
		{Name: "png-rgba16", Deep: true, Encode: goPNG(func(m *image.NRGBA) image.Image { return convertTo(WithAlpha(m), color.NRGBA64Model) })},
		{Name: "png-paletted8", Opaque: true, Encode: goPNG(func(m *image.NRGBA) image.Image { return Quantize(m, Cube252, false) })},
		{Name: "png-paletted4", Opaque: true, Encode: goPNG(func(m *image.NRGBA) image.Image { return Quantize(m, Cube16, false) })},
		{Name: "png-paletted8-trns", Encode: goPNG(func(m *image.NRGBA) image.Image { return Quantize(m, Cube252, true) })},
		{Name: "png-grayalpha8", Encode: own(alpha, PNGOptions{ColorType: GrayAlpha, Depth: 8})},
		{Name: "png-grayalpha16", Deep: true, Encode: own(alpha, PNGOptions{ColorType: GrayAlpha, Depth: 16})},
		{Name: "png-interlaced-rgb8", Opaque: true, Encode: own(asIs, PNGOptions{ColorType: RGB, Depth: 8, Interlace: true})},
		{Name: "png-interlaced-rgba16", Deep: true, Encode: own(alpha, PNGOptions{ColorType: RGBA, Depth: 16, Interlace: true})},
		{Name: "png-interlaced-gray8", Opaque: true, Encode: own(asIs, PNGOptions{ColorType: Gray, Depth: 8, Interlace: true})},
		{Name: "png-interlaced-grayalpha8", Encode: own(alpha, PNGOptions{ColorType: GrayAlpha, Depth: 8, Interlace: true})},
		{Name: "png-interlaced-paletted8", Opaque: true, Encode: own(func(m *image.NRGBA) image.Image { return Quantize(m, Cube252, false) }, PNGOptions{ColorType: Indexed, Depth: 8, Interlace: true})},
		{Name: "jpeg-ycbcr", Opaque: true, Lossy: true, Encode: jpg(asIs)},
		{Name: "jpeg-gray", Opaque: true, Lossy: true, Encode: jpg(func(m *image.NRGBA) image.Image { return convertTo(m, color.GrayModel) })},
	}
}

// WithAlpha returns a copy of img with an alpha ramp across the columns, from
// fully transparent (column 0) to fully opaque, so transparent, translucent
// and opaque pixels all occur.
func WithAlpha(img *image.NRGBA) *image.NRGBA {
	out := image.NewNRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	w := img.Rect.Dx()
	for y := range img.Rect.Dy() {
		for x := range w {
			out.Pix[y*out.Stride+4*x+3] = uint8(x * 255 / max(1, w-1))
		}
	}
	return out
}

func toRGBA(img *image.NRGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix) // img is opaque: premultiplied bytes are the same
	return out
}

// convertTo copies img into a new image of the given colour model.
func convertTo(img *image.NRGBA, model color.Model) image.Image {
	b := img.Rect
	var out interface {
		image.Image
		Set(x, y int, c color.Color)
	}
	switch model {
	case color.GrayModel:
		out = image.NewGray(b)
	case color.Gray16Model:
		out = image.NewGray16(b)
	case color.RGBA64Model:
		out = image.NewRGBA64(b)
	default:
		out = image.NewNRGBA64(b)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(x, y, img.NRGBAAt(x, y))
		}
	}
	return out
}
