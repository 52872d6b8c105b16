package stego

import (
	"fmt"
	"image"
	"math"
)

// PSNR is the peak signal-to-noise ratio of b against a, in dB, over the R, G
// and B bytes (the carrier; alpha is never touched). Identical images give
// +Inf. LSB embedding changes a byte by at most 1, so it never goes below
// 10·log10(255²) ≈ 48.1 dB.
func PSNR(a, b *image.NRGBA) (float64, error) {
	if _, _, err := carrierOf(a); err != nil {
		return 0, fmt.Errorf("while reading the first image: %w", err)
	}
	if _, _, err := carrierOf(b); err != nil {
		return 0, fmt.Errorf("while reading the second image: %w", err)
	}
	w, h := a.Rect.Dx(), a.Rect.Dy()
	if b.Rect.Dx() != w || b.Rect.Dy() != h {
		return 0, fmt.Errorf("%w: %d×%d vs %d×%d", ErrMismatch, w, h, b.Rect.Dx(), b.Rect.Dy())
	}
	var sum uint64
	for y := range h {
		ra := a.Pix[y*a.Stride:][:4*w]
		rb := b.Pix[y*b.Stride:][:4*w]
		for i := 0; i+4 <= len(ra); i += 4 {
			for c := range 3 {
				d := int(ra[i+c]) - int(rb[i+c])
				sum += uint64(d * d)
			}
		}
	}
	if sum == 0 {
		return math.Inf(1), nil
	}
	mse := float64(sum) / float64(3*w*h)
	return 10 * math.Log10(255*255/mse), nil
}
