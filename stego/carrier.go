package stego

import (
	"fmt"
	"image"
	"math"
	"math/bits"
)

// Capacity is how many bytes the carrier of a w×h image holds: one bit in
// each of its 3·w·h R, G and B bytes. Frames need FrameOverhead of them.
func Capacity(w, h int) int {
	if w <= 0 || h <= 0 {
		return 0
	}
	hi, px := bits.Mul64(uint64(w), uint64(h))
	if hi != 0 || px > math.MaxInt/3 {
		return math.MaxInt / 8
	}
	return int(3 * px / 8)
}

// EmbedFrame writes frame into the carrier of img, in place, starting at the
// first pixel. img is an *image.NRGBA or, for 16-bit covers, an
// *image.NRGBA64 (doc.go, Carrier). A frame that does not fit is a
// *CapacityError.
func EmbedFrame(img image.Image, frame []byte) error {
	c, err := carrierOf(img)
	if err != nil {
		return err
	}
	if have := Capacity(c.w, c.h); len(frame) > have {
		return &CapacityError{Width: c.w, Height: c.h, Have: have, Need: len(frame)}
	}
	buf := c.read(len(frame))
	embedBytes(buf, frame)
	c.write(buf)
	return nil
}

// ExtractFrame reads the frame at the start of img's carrier and checks it
// (magic, version, flags, length, CRC-32); it returns the whole frame. It
// reads only the pixels the frame occupies.
func ExtractFrame(img image.Image) ([]byte, error) {
	c, err := carrierOf(img)
	if err != nil {
		return nil, err
	}
	have := Capacity(c.w, c.h)
	if have < FrameOverhead {
		return nil, fmt.Errorf("%w: %d×%d image carries %s, less than an empty %d-byte frame", ErrNoPayload, c.w, c.h, byteCount(have), FrameOverhead)
	}
	read := func(n int) []byte {
		out := make([]byte, n)
		extractBytes(out, c.read(n))
		return out
	}
	hdr, err := parseHeader(read(headerLen))
	if err != nil {
		return nil, err
	}
	if hdr.size() > have {
		return nil, fmt.Errorf("%w: header announces a %d-byte frame, the %d×%d image carries only %d", ErrCorrupt, hdr.size(), c.w, c.h, have)
	}
	frame := read(hdr.size())
	if _, _, err := parseFrame(frame); err != nil {
		return nil, err
	}
	return frame, nil
}

// carrier is a checked image whose R, G and B samples carry a frame.
// Exactly one of nrgba and nrgba64 is set.
type carrier struct {
	nrgba      *image.NRGBA
	nrgba64    *image.NRGBA64
	w, h       int
	contiguous bool // nrgba's rows are back to back (Stride = 4·w)
}

// carrierOf checks that img is a well-formed, non-empty *image.NRGBA or
// *image.NRGBA64 (Pix long enough for its Rect and Stride).
func carrierOf(img image.Image) (carrier, error) {
	var (
		c         carrier
		pix       int // len(Pix)
		stride    int
		pixelSize int
	)
	switch m := img.(type) {
	case *image.NRGBA:
		if m == nil {
			return carrier{}, fmt.Errorf("%w: nil image", ErrNotImage)
		}
		c = carrier{nrgba: m, w: m.Rect.Dx(), h: m.Rect.Dy()}
		pix, stride, pixelSize = len(m.Pix), m.Stride, 4
	case *image.NRGBA64:
		if m == nil {
			return carrier{}, fmt.Errorf("%w: nil image", ErrNotImage)
		}
		c = carrier{nrgba64: m, w: m.Rect.Dx(), h: m.Rect.Dy()}
		pix, stride, pixelSize = len(m.Pix), m.Stride, 8
	case nil:
		return carrier{}, fmt.Errorf("%w: nil image", ErrNotImage)
	default:
		return carrier{}, fmt.Errorf("%w: a %T carries nothing; want an *image.NRGBA or *image.NRGBA64", ErrNotImage, img)
	}
	if c.w <= 0 || c.h <= 0 {
		return carrier{}, fmt.Errorf("%w: empty %d×%d image", ErrNotImage, c.w, c.h)
	}
	rowBytes := pixelSize * c.w
	if c.w > math.MaxInt/pixelSize || stride < rowBytes || pix < rowBytes || c.h-1 > (pix-rowBytes)/stride {
		return carrier{}, fmt.Errorf("%w: malformed %d×%d %T (stride %d, %d pixel bytes)", ErrNotImage, c.w, c.h, img, stride, pix)
	}
	c.contiguous = c.nrgba != nil && stride == rowBytes
	return c, nil
}

// read returns the carrier of the first n payload bytes in the kernel's
// layout, NRGBA pixels back to back: the pixels themselves for a contiguous
// NRGBA, a copy of the rows that hold them for a sub-image, and for an
// NRGBA64 a copy of the low bytes of its samples (the carrier of a 16-bit
// image is the least significant bit of each 16-bit R, G and B sample).
func (c carrier) read(n int) []byte {
	switch {
	case c.contiguous:
		return c.nrgba.Pix
	case c.nrgba != nil:
		return gatherRows(c.nrgba, n)
	}
	return gatherLow(c.nrgba64, n)
}

// write stores buf, which read returned and the kernel changed, back into
// the image.
func (c carrier) write(buf []byte) {
	switch {
	case c.contiguous:
	case c.nrgba != nil:
		scatterRows(c.nrgba, buf)
	default:
		scatterLow(c.nrgba64, buf)
	}
}

// gatherRows copies the rows that hold the first n carrier bytes of a
// non-contiguous img into one contiguous buffer.
func gatherRows(img *image.NRGBA, n int) []byte {
	w := img.Rect.Dx()
	rows := min((carrierPixels(n)+w-1)/w, img.Rect.Dy())
	buf := make([]byte, 0, rows*4*w)
	for y := range rows {
		buf = append(buf, img.Pix[y*img.Stride:y*img.Stride+4*w]...)
	}
	return buf
}

// scatterRows writes rows gathered by gatherRows back into img.
func scatterRows(img *image.NRGBA, buf []byte) {
	rowBytes := 4 * img.Rect.Dx()
	for y := 0; len(buf) > 0; y++ {
		copy(img.Pix[y*img.Stride:], buf[:rowBytes])
		buf = buf[rowBytes:]
	}
}

// gatherLow copies the low bytes of the R, G and B samples of the pixels
// that hold the first n carrier bytes of img into NRGBA layout (alpha 0).
func gatherLow(img *image.NRGBA64, n int) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	px := min(carrierPixels(n), w*h)
	buf := make([]byte, 4*px)
	for i := range px {
		s := img.Pix[(i/w)*img.Stride+8*(i%w):][:8:8]
		d := buf[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2] = s[1], s[3], s[5]
	}
	return buf
}

// scatterLow writes bytes gathered by gatherLow back into img.
func scatterLow(img *image.NRGBA64, buf []byte) {
	w := img.Rect.Dx()
	for i := range len(buf) / 4 {
		d := img.Pix[(i/w)*img.Stride+8*(i%w):][:8:8]
		s := buf[4*i : 4*i+4 : 4*i+4]
		d[1], d[3], d[5] = s[0], s[1], s[2]
	}
}
