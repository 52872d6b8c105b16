package stego

import (
	"image"
	"image/color"
)

// ToNRGBA returns a new NRGBA copy of img with its origin at (0, 0), converted
// exactly as color.NRGBAModel would convert each pixel, except that an
// *image.NRGBA64 keeps the high byte of each sample: NRGBAModel goes through
// premultiplied colour and so turns a transparent pixel's colour to black
// ({65535 65535 0 0} to {0 0 0 0}), which an 8-bit NRGBA keeps. The types
// decoders produce for 8-bit PNGs and JPEGs (*image.NRGBA, *image.RGBA,
// *image.Gray, *image.Paletted, *image.YCbCr) and *image.NRGBA64 are
// converted without a per-pixel interface call; every other type goes
// through At. A nil img gives an empty image.
func ToNRGBA(img image.Image) *image.NRGBA {
	if img == nil {
		return image.NewNRGBA(image.Rectangle{})
	}
	b := img.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if b.Empty() {
		return dst
	}
	switch src := img.(type) {
	case *image.NRGBA:
		for y := range b.Dy() {
			copy(dst.Pix[y*dst.Stride:(y+1)*dst.Stride], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		rgbaToNRGBA(dst, src)
	case *image.NRGBA64:
		nrgba64ToNRGBA(dst, src)
	case *image.Gray:
		grayToNRGBA(dst, src)
	case *image.Paletted:
		palettedToNRGBA(dst, src)
	case *image.YCbCr:
		if !ycbcrToNRGBA(dst, src) {
			genericToNRGBA(dst, src)
		}
	default:
		genericToNRGBA(dst, img)
	}
	return dst
}

// ownNRGBA is ToNRGBA for an image nobody else holds (one just decoded): an
// NRGBA at the origin, or an opaque RGBA (whose premultiplied bytes equal the
// non-premultiplied ones), is reused instead of copied.
func ownNRGBA(img image.Image) *image.NRGBA {
	switch src := img.(type) {
	case *image.NRGBA:
		if src.Rect.Min == (image.Point{}) {
			return src
		}
	case *image.RGBA:
		if src.Rect.Min == (image.Point{}) && src.Opaque() {
			return &image.NRGBA{Pix: src.Pix, Stride: src.Stride, Rect: src.Rect}
		}
	}
	return ToNRGBA(img)
}

func rgbaToNRGBA(dst *image.NRGBA, src *image.RGBA) {
	b := src.Rect
	for y := range b.Dy() {
		s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:4*b.Dx()]
		d := dst.Pix[y*dst.Stride:][:4*b.Dx()]
		for i := 0; i+4 <= len(s); i += 4 {
			d[i], d[i+1], d[i+2], d[i+3] = unpremultiply(s[i], s[i+1], s[i+2], s[i+3])
		}
	}
}

// unpremultiply is color.NRGBAModel.Convert for an 8-bit color.RGBA, without
// the interface (the same arithmetic as image/png's encoder).
func unpremultiply(r, g, b, a uint8) (uint8, uint8, uint8, uint8) {
	switch a {
	case 0xff:
		return r, g, b, a
	case 0:
		return 0, 0, 0, 0
	}
	const m = 0x101 * 0xffff
	a32 := uint32(a) * 0x101
	return uint8(uint32(r) * m / a32 >> 8), uint8(uint32(g) * m / a32 >> 8), uint8(uint32(b) * m / a32 >> 8), a
}

func grayToNRGBA(dst *image.NRGBA, src *image.Gray) {
	b := src.Rect
	for y := range b.Dy() {
		s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()]
		d := dst.Pix[y*dst.Stride:][:4*len(s)]
		for x, v := range s {
			p := d[4*x : 4*x+4 : 4*x+4]
			p[0], p[1], p[2], p[3] = v, v, v, 0xff
		}
	}
}

func palettedToNRGBA(dst *image.NRGBA, src *image.Paletted) {
	// Indices past the palette (which image/png's decoder tolerates) are
	// opaque black, where At would panic.
	var table [256][4]uint8
	for i := range table {
		table[i] = [4]uint8{0, 0, 0, 0xff}
	}
	for i, c := range src.Palette[:min(len(src.Palette), 256)] {
		if c == nil {
			continue
		}
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		table[i] = [4]uint8{n.R, n.G, n.B, n.A}
	}
	b := src.Rect
	for y := range b.Dy() {
		s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()]
		d := dst.Pix[y*dst.Stride:][:4*len(s)]
		for x, idx := range s {
			*(*[4]uint8)(d[4*x:]) = table[idx]
		}
	}
}

// ycbcrToNRGBA converts the usual decoder output (origin at or right of and
// below (0, 0), a known subsampling) and reports false for anything else.
// color.YCbCrToRGB gives the same bytes as NRGBAModel applied to the 16-bit
// YCbCr.RGBA, whose top byte is the same fixed-point result.
func ycbcrToNRGBA(dst *image.NRGBA, src *image.YCbCr) bool {
	var hs, vs int // chroma subsampling shifts
	switch src.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	case image.YCbCrSubsampleRatio411:
		hs = 2
	case image.YCbCrSubsampleRatio410:
		hs, vs = 2, 1
	default:
		return false
	}
	b := src.Rect
	if b.Min.X < 0 || b.Min.Y < 0 {
		return false
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		ys := src.Y[src.YOffset(b.Min.X, y):][:b.Dx()]
		crow := (y>>vs - b.Min.Y>>vs) * src.CStride
		d := dst.Pix[(y-b.Min.Y)*dst.Stride:][:4*len(ys)]
		for i, yy := range ys {
			ci := crow + (b.Min.X+i)>>hs - b.Min.X>>hs
			r, g, bl := color.YCbCrToRGB(yy, src.Cb[ci], src.Cr[ci])
			p := d[4*i : 4*i+4 : 4*i+4]
			p[0], p[1], p[2], p[3] = r, g, bl, 0xff
		}
	}
	return true
}

func genericToNRGBA(dst *image.NRGBA, img image.Image) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		d := dst.Pix[(y-b.Min.Y)*dst.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			at := img.At(x, y)
			if at == nil { // a broken image; leave the pixel transparent
				continue
			}
			c, _ := color.NRGBAModel.Convert(at).(color.NRGBA)
			i := 4 * (x - b.Min.X)
			d[i], d[i+1], d[i+2], d[i+3] = c.R, c.G, c.B, c.A
		}
	}
}

// nrgba64ToNRGBA keeps the high byte of each non-premultiplied sample.
func nrgba64ToNRGBA(dst *image.NRGBA, src *image.NRGBA64) {
	b := src.Rect
	for y := range b.Dy() {
		s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:8*b.Dx()]
		d := dst.Pix[y*dst.Stride:][:4*b.Dx()]
		for x := range b.Dx() {
			p, q := s[8*x:8*x+8:8*x+8], d[4*x:4*x+4:4*x+4]
			q[0], q[1], q[2], q[3] = p[0], p[2], p[4], p[6]
		}
	}
}

// ToNRGBA64 returns a new NRGBA64 copy of img with its origin at (0, 0),
// converted as color.NRGBA64Model would convert each pixel, except that an
// *image.NRGBA64 is copied as is (NRGBA64Model would too) and an
// *image.NRGBA is widened exactly (v·257), colour of transparent pixels
// included. A nil img gives an empty image.
func ToNRGBA64(img image.Image) *image.NRGBA64 {
	if img == nil {
		return image.NewNRGBA64(image.Rectangle{})
	}
	b := img.Bounds()
	dst := image.NewNRGBA64(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.NRGBA64:
		for y := range b.Dy() {
			copy(dst.Pix[y*dst.Stride:(y+1)*dst.Stride], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.Gray16:
		for y := range b.Dy() {
			s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:2*b.Dx()]
			d := dst.Pix[y*dst.Stride:][:8*b.Dx()]
			for x := range b.Dx() {
				hi, lo := s[2*x], s[2*x+1]
				p := d[8*x : 8*x+8 : 8*x+8]
				p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7] = hi, lo, hi, lo, hi, lo, 0xff, 0xff
			}
		}
	case *image.NRGBA:
		for y := range b.Dy() {
			s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:4*b.Dx()]
			d := dst.Pix[y*dst.Stride:][:8*b.Dx()]
			for i, v := range s {
				d[2*i], d[2*i+1] = v, v
			}
		}
	default:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if at := img.At(x, y); at != nil {
					dst.SetNRGBA64(x-b.Min.X, y-b.Min.Y, color.NRGBA64Model.Convert(at).(color.NRGBA64))
				}
			}
		}
	}
	return dst
}

// ownNRGBA64 is ToNRGBA64 for an image nobody else holds: an NRGBA64 at the
// origin, or an opaque RGBA64 (premultiplied samples equal the plain ones),
// is reused instead of copied.
func ownNRGBA64(img image.Image) *image.NRGBA64 {
	switch src := img.(type) {
	case *image.NRGBA64:
		if src.Rect.Min == (image.Point{}) {
			return src
		}
	case *image.RGBA64:
		if src.Rect.Min == (image.Point{}) && src.Opaque() {
			return &image.NRGBA64{Pix: src.Pix, Stride: src.Stride, Rect: src.Rect}
		}
	}
	return ToNRGBA64(img)
}
