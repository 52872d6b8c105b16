package stego

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/stego/imagegen"
	"stegocloud/stego/stegotest"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// repeatReader repeats its pattern forever, like /dev/zero.
type repeatReader struct {
	pattern []byte
	off     int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.pattern[r.off]
		r.off = (r.off + 1) % len(r.pattern)
	}
	return len(p), nil
}

func TestReadImageReturnsTheFile(t *testing.T) {
	for _, model := range stegotest.Models() {
		data, err := model.Encode(imagegen.PhotoLike(33, 17, 2))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadImage(bytes.NewReader(data))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: ReadImage = %d bytes, %v; want the %d bytes of the file", model.Name, len(got), err, len(data))
		}
	}
}

// TestReadImageReadsLittle: inputs that are not images, or announce too many
// pixels, are refused after a few bytes; an image followed by endless data
// after at most its size limit.
func TestReadImageReadsLittle(t *testing.T) {
	small := pngWithSize(t, 2, 2)
	app1 := append([]byte{0xff, 0xe1, 0xff, 0xff}, make([]byte, 0xffff-2)...) // a 64 KiB APP1 segment
	tests := []struct {
		name     string
		in       io.Reader
		wantErr  error
		wantMsg  string
		maxBytes int64 // most bytes ReadImage may take from in
	}{
		{"empty", strings.NewReader(""), ErrNotImage, "the input is empty (0 bytes)", 0},
		{"zeros", &repeatReader{pattern: []byte{0}}, ErrNotImage, "signature 00 00 00 00 00 00 00 00 is neither png", 8},
		{"text", strings.NewReader("hello"), ErrNotImage, "signature 68 65 6c 6c 6f is neither", 5},
		{"png over the pixel limit, then zeros", io.MultiReader(bytes.NewReader(pngWithSize(t, 10000, 8000)[:33]), &repeatReader{pattern: []byte{0}}),
			ErrTooLarge, "10000×8000 = 80000000 pixels", 4096},
		{"small png, then zeros", io.MultiReader(bytes.NewReader(small), &repeatReader{pattern: []byte{0}}),
			ErrTooLarge, "file is larger than 16777256 bytes, more than a 2×2 png can need", maxFileSize(2, 2) + 1},
		{"jpeg whose header never comes", io.MultiReader(bytes.NewReader([]byte{0xff, 0xd8}), &repeatReader{pattern: app1}),
			ErrNotImage, "no jpeg header in the first 16777216 bytes", maxHeadBytes + 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := &countingReader{r: tt.in}
			got, err := ReadImage(cr)
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("ReadImage = %d bytes, %v; want %v containing %q", len(got), err, tt.wantErr, tt.wantMsg)
			}
			if cr.n > tt.maxBytes {
				t.Errorf("ReadImage read %d bytes, want at most %d", cr.n, tt.maxBytes)
			}
		})
	}
}

// TestReadImageRegularFile: a regular file longer than its header allows is
// refused without reading past the header; one within it is read whole.
func TestReadImageRegularFile(t *testing.T) {
	dir := t.TempDir()
	small := pngWithSize(t, 2, 2)
	for _, tt := range []struct {
		name    string
		size    int64
		wantErr error
	}{
		{"as is", int64(len(small)), nil},
		{"padded to the limit", maxFileSize(2, 2), nil},
		{"one byte over the limit", maxFileSize(2, 2) + 1, ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".png")
			if err := os.WriteFile(path, small, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, tt.size); err != nil { // sparse: zeros after IEND
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ReadImage(f)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadImage = %d bytes, %v; want %v", len(got), err, tt.wantErr)
			}
			if err == nil && int64(len(got)) != tt.size {
				t.Errorf("ReadImage read %d bytes of a %d-byte file", len(got), tt.size)
			}
			if off, _ := f.Seek(0, io.SeekCurrent); err != nil && off > 64 {
				t.Errorf("refusing a long file, ReadImage read %d bytes of it", off)
			}
		})
	}
}
