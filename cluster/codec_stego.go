package cluster

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"image/png"

	"stegocloud/stego"
)

// StegoCodec is the real codec: the stego package's Hide and Reveal.
type StegoCodec struct{}

var (
	_ Codec   = StegoCodec{}
	_ Bounder = StegoCodec{}
)

// Hide implements Codec with stego.Hide.
func (StegoCodec) Hide(cover []byte, m stego.Metadata, key []byte) ([]byte, error) {
	return stego.Hide(cover, m, key)
}

// Reveal implements Codec with stego.Reveal.
func (StegoCodec) Reveal(img []byte, key []byte) (stego.Metadata, error) {
	return stego.Reveal(img, key)
}

// CheckFits implements Bounder: it reads the cover's dimensions from its
// header and refuses a cover whose answer, a PNG of the same size, could
// exceed limit bytes (see pngBound). A cover whose header cannot be read
// passes: Hide rejects it with the reason.
func (StegoCodec) CheckFits(cover []byte, limit int64) error {
	format, err := stego.Sniff(cover)
	if err != nil {
		return nil
	}
	decodeConfig, channels := png.DecodeConfig, 4
	if format == stego.FormatJPEG {
		decodeConfig, channels = jpeg.DecodeConfig, 3 // always opaque: an RGB PNG
	}
	cfg, err := decodeConfig(bytes.NewReader(cover))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil
	}
	bound := pngBound(cfg.Width, cfg.Height, channels)
	if bound <= limit {
		return nil
	}
	return fmt.Errorf("%w: a %d×%d %s cover is answered with a PNG of up to %d bytes (%.1f MiB), "+
		"more than the client accepts (%d bytes): send a smaller image", ErrRejected,
		cfg.Width, cfg.Height, format, bound, float64(bound)/(1<<20), limit)
}

// pngBound is the largest PNG stego writes for a w×h image with channels
// bytes a pixel (4 unless the image is known to be opaque): stego writes
// uncompressed PNG (stego.DefaultCompression), so the image data is its rows
// (a filter byte and the pixels each) in zlib stored blocks (5 bytes per
// 65,535), cut into IDAT chunks of 32 KiB at least (12 bytes each), plus the
// signature, IHDR and IEND. raw/4096 covers the block and chunk overheads
// with room to spare; 4 KiB the fixed parts.
func pngBound(w, h, channels int) int64 {
	raw := int64(h) * (1 + int64(channels)*int64(w))
	return raw + raw/4096 + 4096
}
