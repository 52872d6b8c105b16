package stego

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/big"
	"math/bits"
	"strings"
)

// Format names an input image format.
type Format string

// The input formats Decode accepts.
const (
	FormatPNG  Format = "png"
	FormatJPEG Format = "jpeg"
)

const (
	pngSignature  = "\x89PNG\r\n\x1a\n"
	jpegSignature = "\xff\xd8\xff" // SOI and the first byte of the next marker
)

// DefaultMaxPixels is the default limit on width·height of an input image
// (64 Mpx: a 256 MiB NRGBA, plus what the decoder allocates).
const DefaultMaxPixels = 64 << 20

// Sniff names the format of data from its first bytes, without decoding.
func Sniff(data []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(data, []byte(pngSignature)):
		return FormatPNG, nil
	case bytes.HasPrefix(data, []byte(jpegSignature)):
		return FormatJPEG, nil
	case len(data) == 0:
		return "", fmt.Errorf("%w: the input is empty (0 bytes)", ErrNotImage)
	case strings.HasPrefix(pngSignature, string(data)) || strings.HasPrefix(jpegSignature, string(data)):
		return "", fmt.Errorf("%w: %s (% x), shorter than a png or jpeg signature", ErrNotImage, byteCount(len(data)), data)
	}
	head := data[:min(len(data), len(pngSignature))]
	return "", fmt.Errorf("%w: signature % x is neither png (% x) nor jpeg (% x)", ErrNotImage, head, pngSignature, jpegSignature)
}

// decodeImage decodes a PNG or JPEG into an NRGBA, or an NRGBA64 for a
// 16-bit PNG, that the caller owns. The header is read first and an image of
// more than maxPixels pixels is refused before the decoder allocates its
// pixels.
func decodeImage(data []byte, maxPixels int) (image.Image, error) {
	format, err := Sniff(data)
	if err != nil {
		return nil, err
	}
	decodeConfig, decode := png.DecodeConfig, png.Decode
	if format == FormatJPEG {
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: while reading the %s header: %v", ErrNotImage, format, err)
	}
	if err := checkSize(cfg.Width, cfg.Height, maxPixels); err != nil {
		return nil, err
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: while decoding the %s: %v", ErrNotImage, format, err)
	}
	if got := img.Bounds(); got.Dx() != cfg.Width || got.Dy() != cfg.Height {
		return nil, fmt.Errorf("%w: %s decoded to %d×%d, header said %d×%d", ErrNotImage, format, got.Dx(), got.Dy(), cfg.Width, cfg.Height)
	}
	if deep(img) {
		return ownNRGBA64(img), nil
	}
	return ownNRGBA(img), nil
}

// deep reports whether img holds 16-bit samples: the types image/png returns
// for 16-bit files.
func deep(img image.Image) bool {
	switch img.(type) {
	case *image.Gray16, *image.RGBA64, *image.NRGBA64:
		return true
	}
	return false
}

// checkSize refuses empty images and images over the pixel limit.
func checkSize(w, h, maxPixels int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: header gives an empty %d×%d image", ErrNotImage, w, h)
	}
	if hi, px := bits.Mul64(uint64(w), uint64(h)); hi != 0 || px > uint64(maxPixels) {
		return fmt.Errorf("%w: %d×%d = %s pixels, more than the limit of %d", ErrTooLarge, w, h, pixelCount(w, h), maxPixels)
	}
	return nil
}

// pixelCount is w·h in decimal, exact even where the product overflows int.
func pixelCount(w, h int) string {
	return new(big.Int).Mul(big.NewInt(int64(w)), big.NewInt(int64(h))).String()
}
