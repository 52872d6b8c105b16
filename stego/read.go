package stego

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"math"
)

// Bounds on what ReadImage reads.
const (
	// maxHeadBytes is how far into a file ReadImage looks for the image
	// header (PNG: IHDR, and PLTE/tRNS for a paletted one; JPEG: the SOF
	// marker after any APPn segments).
	maxHeadBytes = 16 << 20
	// bytesPerPixel bounds a file's size by its pixel count: a 16-bit RGBA
	// PNG stored without compression needs 8 bytes a pixel, plus a filter
	// byte a row (more with Adam7) and deflate and chunk framing; real
	// encoders' JPEGs stay far below it.
	bytesPerPixel = 10
	// extraBytes is the room for what is not pixel data: ICC profiles, EXIF,
	// XMP and text chunks.
	extraBytes = 16 << 20
)

// ReadImage reads a PNG or JPEG file from r, using DefaultConfig.
func ReadImage(r io.Reader) ([]byte, error) { return defaultCodec.ReadImage(r) }

// ReadImage reads a PNG or JPEG file from r and returns its bytes, reading
// no more than the image needs: the signature is checked on the first 8
// bytes (ErrNotImage), the header's width·height against MaxPixels
// (ErrTooLarge) before the pixel data is read, and a file longer than
// 10 bytes a pixel plus 16 MiB is refused (ErrTooLarge) as soon as its
// reading passes that size. A wrong path (a disk image, /dev/zero) thus costs
// a few bytes of reading, not gigabytes of memory.
func (c *Codec) ReadImage(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	tee := io.TeeReader(r, &buf)
	var sig [len(pngSignature)]byte
	n, err := io.ReadFull(tee, sig[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("while reading the signature: %w", err)
	}
	format, err := Sniff(sig[:n])
	if err != nil {
		return nil, err
	}
	decodeConfig := png.DecodeConfig
	if format == FormatJPEG {
		decodeConfig = jpeg.DecodeConfig
	}
	head := io.MultiReader(bytes.NewReader(sig[:n]), io.LimitReader(tee, maxHeadBytes))
	cfg, err := decodeConfig(head)
	if err != nil {
		if buf.Len() >= maxHeadBytes {
			return nil, fmt.Errorf("%w: no %s header in the first %d bytes", ErrNotImage, format, maxHeadBytes)
		}
		return nil, fmt.Errorf("%w: while reading the %s header: %v", ErrNotImage, format, err)
	}
	if err := checkSize(cfg.Width, cfg.Height, c.maxPixels); err != nil {
		return nil, err
	}
	limit := maxFileSize(cfg.Width, cfg.Height)
	tooLarge := func() error {
		return fmt.Errorf("%w: file is larger than %d bytes, more than a %d×%d %s can need (%d bytes a pixel and %d for metadata)",
			ErrTooLarge, limit, cfg.Width, cfg.Height, format, bytesPerPixel, extraBytes)
	}
	size, regular := regularSize(r)
	if regular && size > limit {
		return nil, tooLarge()
	}
	data, err := readRest(buf.Bytes(), r, limit, size)
	if err != nil {
		return nil, fmt.Errorf("while reading the %s: %w", format, err)
	}
	if data == nil {
		return nil, tooLarge()
	}
	return data, nil
}

// readRest reads a stream in chunks that double from minChunk to maxChunk.
const (
	minChunk = 64 << 10
	maxChunk = 4 << 20
)

// readRest returns head followed by the rest of r, or nil if that is more
// than limit bytes. A size hint (a regular file's size) gives one exact
// allocation. Without one, a stream is read in chunks and joined at the end:
// growing one slice would hold up to twice the limit, old copies included,
// before refusing a stream that never ends.
func readRest(head []byte, r io.Reader, limit, sizeHint int64) ([]byte, error) {
	if sizeHint > int64(len(head)) {
		data := make([]byte, len(head), sizeHint+1) // +1: reading the EOF needs no growth
		copy(data, head)
		n, err := io.Copy(&sliceWriter{&data}, io.LimitReader(r, limit-int64(len(head))+1))
		if err != nil {
			return nil, err
		}
		if int64(len(head))+n > limit {
			return nil, nil
		}
		return data, nil
	}
	chunks, total := [][]byte{head}, int64(len(head))
	for total <= limit {
		c := make([]byte, min(max(minChunk, total), maxChunk, limit+1-total))
		n, err := io.ReadFull(r, c)
		chunks, total = append(chunks, c[:n]), total+int64(n)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if total > limit {
		return nil, nil
	}
	return bytes.Join(chunks, nil), nil
}

// sliceWriter appends to a slice that has room, growing it only if the file
// grew since its size was taken.
type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}

// regularSize is the size of r when it is a regular file (an *os.File read
// from its start, say), which lets ReadImage refuse a long file without
// reading it and read a good one into a single allocation.
func regularSize(r io.Reader) (int64, bool) {
	s, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return 0, false
	}
	fi, err := s.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	return fi.Size(), true
}

// maxFileSize is the largest file ReadImage accepts for a w×h image, for
// sizes checkSize accepted (so w·h fits in an int).
func maxFileSize(w, h int) int64 {
	px := int64(w) * int64(h)
	if px > (math.MaxInt64-extraBytes)/bytesPerPixel {
		return math.MaxInt64
	}
	return bytesPerPixel*px + extraBytes
}
