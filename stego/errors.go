package stego

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps exactly one of these
// (test with errors.Is) and says what it was doing and with which values.
var (
	// ErrNotImage: the input is not a PNG or JPEG this package can decode
	// (unknown signature, truncated or malformed file).
	ErrNotImage = errors.New("not a decodable png or jpeg image")

	// ErrTooLarge: the image header announces more pixels than the configured
	// limit, so it is refused before anything is allocated for it; or, for
	// ReadImage, the file is longer than an image of its announced size can
	// be.
	ErrTooLarge = errors.New("image too large")

	// ErrCapacity: the image's carrier is too small for the frame. The concrete
	// error is a *CapacityError that says how many bytes fit and how many were
	// needed.
	ErrCapacity = errors.New("image too small for the payload")

	// ErrNoPayload: the image carries no frame of this package (the magic is
	// absent, or the image is too small to hold even an empty frame).
	ErrNoPayload = errors.New("no hidden data")

	// ErrUnsupported: the frame was written by a newer version of the format.
	ErrUnsupported = errors.New("unsupported frame version")

	// ErrCorrupt: a frame is present but damaged (bad checksum, impossible
	// length, unknown flags, or a payload that is not valid metadata).
	ErrCorrupt = errors.New("hidden data corrupt")

	// ErrSealed: the payload is sealed and no key was given.
	ErrSealed = errors.New("sealed: key needed")

	// ErrAuth: the sealed payload failed authentication (wrong key or a
	// tampered image), or a key was given but the payload is not sealed, which
	// is how a forger would strip the seal.
	ErrAuth = errors.New("authentication failed")

	// ErrKey: the key is not a 32-byte AES-256 key, or the key file cannot be
	// read as one.
	ErrKey = errors.New("bad key")

	// ErrInvalidMetadata: the metadata breaks one of the rules of Validate.
	ErrInvalidMetadata = errors.New("invalid metadata")

	// ErrConfig: a Config field is out of range.
	ErrConfig = errors.New("invalid codec config")

	// ErrMismatch: two images that must have the same size do not.
	ErrMismatch = errors.New("image sizes differ")
)

// CapacityError says how many bytes the carrier of an image holds and how many
// the frame needed. errors.Is(err, ErrCapacity) reports true for it.
type CapacityError struct {
	Width, Height int // image size in pixels
	Have          int // bytes the carrier holds: 3·Width·Height/8
	Need          int // bytes of the whole frame, FrameOverhead included
}

func (e *CapacityError) Error() string {
	return fmt.Sprintf("%v: %d×%d image carries %s, frame needs %d (%d payload + %d framing)",
		ErrCapacity, e.Width, e.Height, byteCount(e.Have), e.Need, e.Need-FrameOverhead, FrameOverhead)
}

// Is makes errors.Is(err, ErrCapacity) work.
func (e *CapacityError) Is(target error) bool { return target == ErrCapacity }

// byteCount says "1 byte" or "n bytes", for messages.
func byteCount(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}
