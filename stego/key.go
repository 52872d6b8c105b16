package stego

import (
	"fmt"
	"io"
	"os"
)

// LoadKey reads an AES-256 key: a file of exactly KeySize raw bytes, as
// GenerateKey and `stegocloud stego keygen` write. Like ssh with a private
// key, it refuses a file that group or others may read: whoever can read
// the key can read and forge every sealed image.
func LoadKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: while opening key file: %w", ErrKey, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: key file %s has mode %04o, readable by others: chmod 600 %s",
			ErrKey, path, fi.Mode().Perm(), path)
	}
	// One byte more than a key tells a long file from a key without reading
	// all of whatever was named by mistake.
	buf, err := io.ReadAll(io.LimitReader(f, KeySize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: while reading key file %s: %w", ErrKey, path, err)
	}
	if len(buf) != KeySize {
		size := byteCount(len(buf))
		if len(buf) > KeySize {
			size = fmt.Sprintf("more than %d bytes", KeySize)
		}
		return nil, fmt.Errorf("%w: key file %s holds %s, want exactly %d", ErrKey, path, size, KeySize)
	}
	return buf, nil
}

// GenerateKey returns a new random AES-256 key read from rand.
func GenerateKey(rand io.Reader) ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(rand, key); err != nil {
		return nil, fmt.Errorf("%w: while reading %d random bytes: %w", ErrKey, KeySize, err)
	}
	return key, nil
}
