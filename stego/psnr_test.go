package stego

import (
	"errors"
	"image"
	"math"
	"testing"
)

func TestPSNR(t *testing.T) {
	base := func() *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, 2, 2))
		for i := range img.Pix {
			img.Pix[i] = byte(40 * i)
		}
		return img
	}
	changed := func(edit func(p []byte)) *image.NRGBA {
		img := base()
		edit(img.Pix)
		return img
	}
	tests := []struct {
		name string
		b    *image.NRGBA
		want float64
	}{
		{"identical", base(), math.Inf(1)},
		{"alpha only", changed(func(p []byte) { p[3] ^= 0xff }), math.Inf(1)},
		// One carrier byte of 12 off by 1: MSE 1/12.
		{"one lsb", changed(func(p []byte) { p[0] ^= 1 }), 10 * math.Log10(255*255*12)},
		// Every carrier byte off by 1: MSE 1, the floor of LSB embedding.
		{"every lsb", changed(func(p []byte) {
			for i := range p {
				if i%4 != 3 {
					p[i] ^= 1
				}
			}
		}), 10 * math.Log10(255*255)},
		{"one byte off by 10", changed(func(p []byte) { p[5] += 10 }), 10 * math.Log10(255*255*12/100.0)},
	}
	for _, tt := range tests {
		got, err := PSNR(base(), tt.b)
		if err != nil || math.Abs(got-tt.want) > 1e-9 && !(math.IsInf(got, 1) && math.IsInf(tt.want, 1)) {
			t.Errorf("%s: PSNR = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

func TestPSNRErrors(t *testing.T) {
	a := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	if _, err := PSNR(a, image.NewNRGBA(image.Rect(0, 0, 2, 3))); !errors.Is(err, ErrMismatch) {
		t.Errorf("PSNR(2×2, 2×3) error = %v, want ErrMismatch", err)
	}
	if _, err := PSNR(a, nil); !errors.Is(err, ErrNotImage) {
		t.Errorf("PSNR(2×2, nil) error = %v, want ErrNotImage", err)
	}
}
