package stego

import (
	"encoding/json"
	"fmt"
	"math"
	"unicode"
	"unicode/utf8"
)

// Limits on Metadata. They keep a frame small enough for modest images and
// bound what a reader allocates for a hostile frame.
const (
	// MaxUsernames is the most usernames one image may list.
	MaxUsernames = 1024
	// MaxUsernameBytes is the longest username, in bytes of UTF-8.
	MaxUsernameBytes = 64
	// MaxMetadataBytes is the largest JSON encoding of a Metadata.
	MaxMetadataBytes = 32 << 10
	// MaxQuota is the largest view quota (the seed stores it as a u32).
	MaxQuota = math.MaxUint32
	// DefaultQuota is the view quota of tools that hide metadata when none
	// is given (the command line, the harness's workloads): a few views, as
	// 0 would make an image nobody may view.
	DefaultQuota = 5
)

// Validate reports the first rule m breaks, naming the rule and the value:
// an ID that is empty (hiding draws one) or 1 to MaxIDBytes bytes of A-Z,
// a-z, 0-9, '.', '_' and '-'; at least one and at most MaxUsernames
// usernames; each non-empty, at most MaxUsernameBytes of valid UTF-8 without
// control characters, and unique; 0 ≤ Quota ≤ MaxQuota; JSON encoding at
// most MaxMetadataBytes.
// Invalid UTF-8 is refused because JSON would silently replace it, and the
// metadata read back would differ from what was hidden.
func (m Metadata) Validate() error {
	if err := m.validateFields(); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("%w: while encoding as json: %v", ErrInvalidMetadata, err)
	}
	return checkEncodedLen(len(b))
}

// validateFields checks every rule except the encoded size, which needs the
// JSON encoding that callers about to embed produce anyway.
func (m Metadata) validateFields() error {
	if m.ID != "" {
		if problem := idProblem(m.ID); problem != "" {
			return fmt.Errorf("%w: id %q %s", ErrInvalidMetadata, truncate(m.ID), problem)
		}
	}
	if len(m.Usernames) == 0 {
		return fmt.Errorf("%w: at least one username is required, got none", ErrInvalidMetadata)
	}
	if len(m.Usernames) > MaxUsernames {
		return fmt.Errorf("%w: at most %d usernames allowed, got %d", ErrInvalidMetadata, MaxUsernames, len(m.Usernames))
	}
	seen := make(map[string]int, len(m.Usernames))
	for i, name := range m.Usernames {
		if problem := usernameProblem(name); problem != "" {
			return fmt.Errorf("%w: username %d %q %s", ErrInvalidMetadata, i, truncate(name), problem)
		}
		if j, dup := seen[name]; dup {
			return fmt.Errorf("%w: username %d %q repeats username %d", ErrInvalidMetadata, i, name, j)
		}
		seen[name] = i
	}
	if m.Quota < 0 || int64(m.Quota) > MaxQuota {
		return fmt.Errorf("%w: quota must be in [0, %d], got %d", ErrInvalidMetadata, int64(MaxQuota), m.Quota)
	}
	return nil
}

func checkEncodedLen(n int) error {
	if n > MaxMetadataBytes {
		return fmt.Errorf("%w: json encoding is %d bytes, at most %d allowed", ErrInvalidMetadata, n, MaxMetadataBytes)
	}
	return nil
}

// usernameProblem describes what is wrong with name, or returns "".
func usernameProblem(name string) string {
	switch {
	case name == "":
		return "is empty"
	case len(name) > MaxUsernameBytes:
		return fmt.Sprintf("is %d bytes long, at most %d allowed", len(name), MaxUsernameBytes)
	case !utf8.ValidString(name):
		return "is not valid UTF-8"
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Sprintf("contains control character %U", r)
		}
	}
	return ""
}

// truncate shortens a long value for an error message.
func truncate(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
