package stego

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"sync"
)

// encoderBuffers lends png.Encoder its per-encode state (zlib writer, row
// buffers) so that concurrent encodes reuse it instead of allocating ~1 MiB
// of flate state each time.
type encoderBuffers struct{ pool sync.Pool }

func (p *encoderBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *encoderBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

// outputBuffers holds scratch buffers that PNG output is written to before it
// is copied, at its exact size, into the slice Hide returns.
var outputBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// EncodePNG writes img, an *image.NRGBA or *image.NRGBA64, as a PNG with the
// codec's compression level and img's sample depth. An opaque img becomes an
// RGB PNG (colour type 2), any other an RGBA PNG (type 6); the pixels read
// back are exactly img's, colour of transparent pixels included.
func (c *Codec) EncodePNG(w io.Writer, img image.Image) error {
	if _, err := carrierOf(img); err != nil {
		return err
	}
	if err := c.enc.Encode(w, img); err != nil {
		return fmt.Errorf("while encoding the png: %w", err)
	}
	return nil
}

// encodeToBytes encodes img into a new slice of exactly the PNG's length.
func (c *Codec) encodeToBytes(img image.Image) ([]byte, error) {
	buf := outputBuffers.Get().(*bytes.Buffer)
	defer outputBuffers.Put(buf)
	buf.Reset()
	if err := c.EncodePNG(buf, img); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}
