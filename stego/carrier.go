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
// first pixel. A frame that does not fit is a *CapacityError.
func EmbedFrame(img *image.NRGBA, frame []byte) error {
	pix, contiguous, err := carrierOf(img)
	if err != nil {
		return err
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if have := Capacity(w, h); len(frame) > have {
		return &CapacityError{Width: w, Height: h, Have: have, Need: len(frame)}
	}
	if contiguous {
		embedBytes(pix, frame)
		return nil
	}
	rows := gatherRows(img, len(frame))
	embedBytes(rows, frame)
	scatterRows(img, rows)
	return nil
}

// ExtractFrame reads the frame at the start of img's carrier and checks it
// (magic, version, flags, length, CRC-32); it returns the whole frame. It
// reads only the pixels the frame occupies.
func ExtractFrame(img *image.NRGBA) ([]byte, error) {
	pix, contiguous, err := carrierOf(img)
	if err != nil {
		return nil, err
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	have := Capacity(w, h)
	if have < FrameOverhead {
		return nil, fmt.Errorf("%w: %d×%d image carries %s, less than an empty %d-byte frame", ErrNoPayload, w, h, byteCount(have), FrameOverhead)
	}
	read := func(n int) []byte {
		out := make([]byte, n)
		if contiguous {
			extractBytes(out, pix)
		} else {
			extractBytes(out, gatherRows(img, n))
		}
		return out
	}
	hdr, err := parseHeader(read(headerLen))
	if err != nil {
		return nil, err
	}
	if hdr.size() > have {
		return nil, fmt.Errorf("%w: header announces a %d-byte frame, the %d×%d image carries only %d", ErrCorrupt, hdr.size(), w, h, have)
	}
	frame := read(hdr.size())
	if _, _, err := parseFrame(frame); err != nil {
		return nil, err
	}
	return frame, nil
}

// carrierOf checks that img is a well-formed, non-empty NRGBA and returns its
// pixel bytes and whether its rows are back to back (Stride = 4·width).
func carrierOf(img *image.NRGBA) (pix []byte, contiguous bool, err error) {
	if img == nil {
		return nil, false, fmt.Errorf("%w: nil image", ErrNotImage)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, false, fmt.Errorf("%w: empty %d×%d image", ErrNotImage, w, h)
	}
	rowBytes := 4 * w
	if w > math.MaxInt/4 || img.Stride < rowBytes || len(img.Pix) < rowBytes ||
		h-1 > (len(img.Pix)-rowBytes)/img.Stride {
		return nil, false, fmt.Errorf("%w: malformed %d×%d nrgba (stride %d, %d pixel bytes)", ErrNotImage, w, h, img.Stride, len(img.Pix))
	}
	return img.Pix, img.Stride == rowBytes, nil
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
