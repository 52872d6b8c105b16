package stego

import (
	"crypto/rand"
	"fmt"
	"image"
	"image/png"
	"io"
)

// Config sets what a Codec accepts and how it writes.
type Config struct {
	// MaxPixels is the largest width·height of an input image; larger ones
	// are refused (ErrTooLarge) from their header alone. Must be > 0.
	MaxPixels int
	// Compression is the zlib level of the PNG output: png.DefaultCompression,
	// png.NoCompression, png.BestSpeed or png.BestCompression.
	Compression png.CompressionLevel
	// Rand supplies the nonces of sealed payloads; nil means crypto/rand.
	Rand io.Reader
}

// DefaultCompression is the output level chosen by measurement (doc.go).
const DefaultCompression = png.NoCompression

// DefaultConfig is the configuration of the package-level functions.
func DefaultConfig() Config {
	return Config{MaxPixels: DefaultMaxPixels, Compression: DefaultCompression}
}

// Validate names the first field out of range.
func (c Config) Validate() error {
	if c.MaxPixels <= 0 {
		return fmt.Errorf("%w: MaxPixels must be > 0, got %d", ErrConfig, c.MaxPixels)
	}
	switch c.Compression {
	case png.DefaultCompression, png.NoCompression, png.BestSpeed, png.BestCompression:
	default:
		return fmt.Errorf("%w: Compression %d is not one of the png levels", ErrConfig, c.Compression)
	}
	return nil
}

// Codec hides and reveals metadata in images. It is safe for concurrent use.
type Codec struct {
	maxPixels int
	rand      io.Reader
	enc       png.Encoder
}

// New returns a Codec for a valid cfg.
func New(cfg Config) (*Codec, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Codec{maxPixels: cfg.MaxPixels, rand: cfg.Rand}
	if c.rand == nil {
		c.rand = rand.Reader
	}
	c.enc = png.Encoder{CompressionLevel: cfg.Compression, BufferPool: &encoderBuffers{}}
	return c, nil
}

var defaultCodec = func() *Codec {
	c, err := New(DefaultConfig())
	if err != nil {
		panic("stego: default config is invalid: " + err.Error()) // a broken invariant of this package
	}
	return c
}()

// Hide decodes cover (PNG or JPEG), embeds m (sealed when key != nil) and
// returns the PNG bytes, using DefaultConfig.
func Hide(cover []byte, m Metadata, key []byte) ([]byte, error) {
	return defaultCodec.Hide(cover, m, key)
}

// Reveal decodes a PNG made by Hide and returns the metadata (key needed when
// sealed), using DefaultConfig.
func Reveal(img []byte, key []byte) (Metadata, error) {
	return defaultCodec.Reveal(img, key)
}

// Embed hides m (sealed when key != nil) in img in place, using
// DefaultConfig, and returns the number of carrier bytes the frame used.
func Embed(img image.Image, m Metadata, key []byte) (int, error) {
	return defaultCodec.Embed(img, m, key)
}

// Decode decodes a PNG or JPEG, using DefaultConfig.
func Decode(data []byte) (image.Image, error) { return defaultCodec.Decode(data) }

// Decode decodes a PNG or JPEG into a new image that the caller owns and
// that Embed, Extract, PSNR and EncodePNG take: an *image.NRGBA, or an
// *image.NRGBA64 for a 16-bit PNG. Images larger than the codec's MaxPixels
// are refused before they are decoded.
func (c *Codec) Decode(data []byte) (image.Image, error) {
	return decodeImage(data, c.maxPixels)
}

// Embed hides m (sealed when key != nil) in img, an *image.NRGBA or
// *image.NRGBA64, in place and returns the number of carrier bytes the
// frame used.
func (c *Codec) Embed(img image.Image, m Metadata, key []byte) (int, error) {
	frame, err := MarshalFrame(m, key, c.rand)
	if err != nil {
		return 0, err
	}
	if err := EmbedFrame(img, frame); err != nil {
		return 0, err
	}
	return len(frame), nil
}

// Extract returns the metadata hidden in img, an *image.NRGBA or
// *image.NRGBA64 (key needed when sealed).
func Extract(img image.Image, key []byte) (Metadata, error) {
	frame, err := ExtractFrame(img)
	if err != nil {
		return Metadata{}, err
	}
	return UnmarshalFrame(frame, key)
}

// Hide decodes cover, embeds m (sealed when key != nil) and returns the PNG.
// The metadata is checked before the cover is decoded.
func (c *Codec) Hide(cover []byte, m Metadata, key []byte) ([]byte, error) {
	frame, err := MarshalFrame(m, key, c.rand)
	if err != nil {
		return nil, fmt.Errorf("while preparing the metadata: %w", err)
	}
	img, err := c.Decode(cover)
	if err != nil {
		return nil, fmt.Errorf("while decoding the cover: %w", err)
	}
	if err := EmbedFrame(img, frame); err != nil {
		return nil, fmt.Errorf("while embedding: %w", err)
	}
	return c.encodeToBytes(img)
}

// Reveal decodes a PNG made by Hide and returns its metadata.
func (c *Codec) Reveal(data []byte, key []byte) (Metadata, error) {
	img, err := c.Decode(data)
	if err != nil {
		return Metadata{}, fmt.Errorf("while decoding the image: %w", err)
	}
	m, err := Extract(img, key)
	if err != nil {
		return Metadata{}, fmt.Errorf("while extracting: %w", err)
	}
	return m, nil
}
