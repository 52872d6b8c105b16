package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"stegocloud/stego"
)

// The files of the stego commands: images read with the codec's limits,
// outputs written whole or not at all.

// stegoReadImage reads an image file with codec.ReadImage (stego.ReadImage
// for a nil codec), which checks the signature and the header first and
// reads no more than the image needs, so a wrong path cannot make us read
// gigabytes.
func stegoReadImage(path string, codec *stego.Codec) ([]byte, error) {
	read := stego.ReadImage
	if codec != nil {
		read = codec.ReadImage
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// stegoWriteAtomic writes through a temporary file in the target directory
// and renames it into place, so that path holds either its old content or
// the complete new one. It returns the number of bytes written.
func stegoWriteAtomic(path string, write func(io.Writer) error) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this finds nothing
	cw := &stegoCountingWriter{w: tmp}
	err = write(cw)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return cw.n, err
}

// stegoCreateExclusive writes data to a new file at path with the given mode,
// complete or not at all, and fails if path exists: the data goes to a
// temporary file first, which is then hard-linked to path (link never
// replaces an existing file, unlike rename).
func stegoCreateExclusive(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("refusing to overwrite an existing file")
		}
		return err
	}
	return nil
}

type stegoCountingWriter struct {
	w io.Writer
	n int64
}

func (c *stegoCountingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
