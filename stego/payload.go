package stego

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// MarshalFrame validates m and returns the frame that carries it: its JSON
// encoding, sealed with AES-256-GCM when key is not nil (nonce drawn from
// rand), between the header and the CRC-32.
func MarshalFrame(m Metadata, key []byte, rand io.Reader) ([]byte, error) {
	if err := m.validateFields(); err != nil {
		return nil, err
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

// UnmarshalFrame checks a whole frame and returns the metadata it carries.
// A sealed frame needs the key (ErrSealed without one, ErrAuth with a wrong
// one); a key given for a plain frame is ErrAuth, so a forger cannot replace
// sealed metadata by plain metadata of their own.
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
	return decodeMetadata(payload)
}

// decodeMetadata parses the JSON strictly: no unknown fields, no trailing
// data, and the result must pass Validate.
func decodeMetadata(b []byte) (Metadata, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Metadata
	if err := dec.Decode(&m); err != nil {
		return Metadata{}, fmt.Errorf("%w: payload is not metadata json: %v", ErrCorrupt, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Metadata{}, fmt.Errorf("%w: payload has data after the metadata json", ErrCorrupt)
	}
	if err := m.Validate(); err != nil {
		return Metadata{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return m, nil
}
