package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExist is returned by Create when the path already exists.
var ErrExist = errors.New("refusing to overwrite an existing file")

// Replace writes path through write, replacing any file there, with the
// given mode. It returns the number of bytes written.
func Replace(path string, mode fs.FileMode, write func(io.Writer) error) (int64, error) {
	tmp, n, err := writeTemp(path, mode, write)
	if err != nil {
		return n, err
	}
	defer os.Remove(tmp) // after a successful rename this finds nothing
	if err := os.Rename(tmp, path); err != nil {
		return n, err
	}
	return n, syncDir(filepath.Dir(path))
}

// Create writes data to a new file at path with the given mode and fails
// with ErrExist if path exists (a hard link never replaces a file, unlike a
// rename).
func Create(path string, mode fs.FileMode, data []byte) error {
	tmp, _, err := writeTemp(path, mode, func(w io.Writer) error { _, err := w.Write(data); return err })
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrExist)
		}
		return err
	}
	return syncDir(filepath.Dir(path))
}

// writeTemp writes a synced temporary file beside path and returns its name.
func writeTemp(path string, mode fs.FileMode, write func(io.Writer) error) (string, int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", 0, err
	}
	cw := &countingWriter{w: f}
	err = write(cw)
	if err == nil {
		err = f.Chmod(mode) // CreateTemp makes the file private
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", cw.n, err
	}
	return f.Name(), cw.n, nil
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
