package stego

import (
	"bytes"
	cryptorand "crypto/rand"
	"encoding/json"
	"fmt"
	"io"
)

// MarshalFrame validates m and returns the version-2 frame that carries it:
// its JSON encoding, sealed with AES-256-GCM when key is not nil, between
// the header and the CRC-32. An empty m.ID is replaced by NewID(rand); the
// nonce of a sealed frame comes from rand too. A nil rand is crypto/rand.
func MarshalFrame(m Metadata, key []byte, rand io.Reader) ([]byte, error) {
	if err := m.validateFields(); err != nil {
		return nil, err
	}
	if rand == nil {
		rand = cryptorand.Reader
	}
	if m.ID == "" {
		id, err := NewID(rand)
		if err != nil {
			return nil, err
		}
		m.ID = id
	}
	plain, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%w: while encoding as json: %v", ErrInvalidMetadata, err)
	}
	if err := checkEncodedLen(len(plain)); err != nil {
		return nil, err
	}
	if key == nil {
		h := frameHeader{length: len(plain)}
		return appendFrame(make([]byte, 0, h.size()), h, plain), nil
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	h := frameHeader{sealed: true, length: len(plain) + sealOverhead}
	aad := h.bytes()
	sealed, err := seal(aead, plain, aad[:], rand)
	if err != nil {
		return nil, fmt.Errorf("while sealing the metadata: %w", err)
	}
	return appendFrame(make([]byte, 0, h.size()), h, sealed), nil
}

// UnmarshalFrame checks a whole frame, version 2 or 1, and returns the
// metadata it carries, ID included (for version 1 derived from the frame's
// bytes). A sealed frame needs the key (ErrSealed without one, ErrAuth with
// a wrong one); a key given for a plain frame is ErrAuth, so a forger cannot
// replace sealed metadata by plain metadata of their own.
func UnmarshalFrame(frame []byte, key []byte) (Metadata, error) {
	h, payload, err := parseFrame(frame)
	if err != nil {
		return Metadata{}, err
	}
	switch {
	case h.sealed && key == nil:
		return Metadata{}, fmt.Errorf("%w: payload of %s is sealed with AES-256-GCM", ErrSealed, byteCount(h.length))
	case !h.sealed && key != nil:
		return Metadata{}, fmt.Errorf("%w: a key was given but the payload is not sealed", ErrAuth)
	case h.sealed:
		aead, err := newAEAD(key)
		if err != nil {
			return Metadata{}, err
		}
		aad := h.bytes()
		if payload, err = open(aead, payload, aad[:]); err != nil {
			return Metadata{}, err
		}
	}
	var m Metadata
	if h.v1 {
		var old metadataV1
		if err := decodeJSON(payload, &old); err != nil {
			return Metadata{}, err
		}
		m = Metadata{ID: v1ID(frame), Usernames: old.Usernames, Quota: old.Quota}
	} else {
		if err := decodeJSON(payload, &m); err != nil {
			return Metadata{}, err
		}
		if m.ID == "" {
			return Metadata{}, fmt.Errorf("%w: version-%d payload without an id", ErrCorrupt, frameVersion)
		}
	}
	if err := m.Validate(); err != nil {
		return Metadata{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return m, nil
}

// metadataV1 is the payload of a version-1 frame: no id, which strict
// decoding therefore refuses there.
type metadataV1 struct {
	Usernames []string `json:"usernames"`
	Quota     int      `json:"quota"`
}

// decodeJSON parses b into v strictly: no unknown fields, no trailing data.
func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: payload is not metadata json: %v", ErrCorrupt, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: payload has data after the metadata json", ErrCorrupt)
	}
	return nil
}
