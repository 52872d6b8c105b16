package stego

import (
	"fmt"
	"image"
	"math"
)

// PSNR is the peak signal-to-noise ratio of b against a, in dB, over the R, G
// and B samples (the carrier; alpha is never touched). a and b are both
// *image.NRGBA (peak 255) or both *image.NRGBA64 (peak 65535). Identical
// images give +Inf. LSB embedding changes a sample by at most 1, so it never
// goes below 10·log10(255²) ≈ 48.1 dB in 8 bits, 10·log10(65535²) ≈ 96.3 dB
// in 16.
func PSNR(a, b image.Image) (float64, error) {
	ca, err := carrierOf(a)
	if err != nil {
		return 0, fmt.Errorf("while reading the first image: %w", err)
	}
	cb, err := carrierOf(b)
	if err != nil {
		return 0, fmt.Errorf("while reading the second image: %w", err)
	}
	w, h := ca.w, ca.h
	if cb.w != w || cb.h != h {
		return 0, fmt.Errorf("%w: %d×%d vs %d×%d", ErrMismatch, w, h, cb.w, cb.h)
	}
	var sum float64
	var peak float64
	switch {
	case ca.nrgba != nil && cb.nrgba != nil:
		sum, peak = squaredError8(ca.nrgba, cb.nrgba), 255
	case ca.nrgba64 != nil && cb.nrgba64 != nil:
		sum, peak = squaredError16(ca.nrgba64, cb.nrgba64), 65535
	default:
		return 0, fmt.Errorf("%w: %T vs %T (sample depths differ)", ErrMismatch, a, b)
	}
	if sum == 0 {
		return math.Inf(1), nil
	}
	mse := sum / float64(3*w*h)
	return 10 * math.Log10(peak*peak/mse), nil
}

func squaredError8(a, b *image.NRGBA) float64 {
	w, h := a.Rect.Dx(), a.Rect.Dy()
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
	return float64(sum)
}

func squaredError16(a, b *image.NRGBA64) float64 {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	var sum float64 // a uint64 of 65535² terms overflows past 2^32 samples
	for y := range h {
		ra := a.Pix[y*a.Stride:][:8*w]
		rb := b.Pix[y*b.Stride:][:8*w]
		for i := 0; i+8 <= len(ra); i += 8 {
			var row uint64
			for c := range 3 {
				d := int64(ra[i+2*c])<<8 | int64(ra[i+2*c+1])
				d -= int64(rb[i+2*c])<<8 | int64(rb[i+2*c+1])
				row += uint64(d * d)
			}
			sum += float64(row)
		}
	}
	return sum
}
