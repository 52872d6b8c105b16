package stego

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// MaxIDBytes is the longest image id.
const MaxIDBytes = 64

// idRandomBytes is how many random bytes NewID draws: 128 bits, so that ids
// drawn independently do not collide in any experiment's lifetime.
const idRandomBytes = 16

// v1IDPrefix starts the id derived from a version-1 frame.
const v1IDPrefix = "v1-"

// NewID returns a random image id: 16 bytes read from rand as 32 lowercase
// hex digits. Hide draws one, from Config.Rand, for metadata without an id;
// a caller that wants to know the id in advance draws it here.
func NewID(rand io.Reader) (string, error) {
	var b [idRandomBytes]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", fmt.Errorf("while drawing a random image id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// v1ID is the id of a version-1 frame, which carries none: "v1-" and the
// first 16 bytes of the SHA-256 of the whole frame (header, payload and
// CRC, as ExtractFrame returns it) in lowercase hex, 35 characters.
func v1ID(frame []byte) string {
	sum := sha256.Sum256(frame)
	return v1IDPrefix + hex.EncodeToString(sum[:16])
}

// idProblem describes what is wrong with a non-empty id, or returns "".
func idProblem(id string) string {
	if len(id) > MaxIDBytes {
		return fmt.Sprintf("is %d bytes long, at most %d allowed", len(id), MaxIDBytes)
	}
	for i := range len(id) {
		if c := id[i]; !idByte(c) {
			what := fmt.Sprintf("%q", c)
			if c < 0x20 || c >= 0x7f {
				what = fmt.Sprintf("%#02x", c)
			}
			return fmt.Sprintf("has %s at byte %d; only A-Z, a-z, 0-9, '.', '_' and '-' are allowed", what, i)
		}
	}
	return ""
}

func idByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
}
