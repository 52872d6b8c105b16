package stego

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"
)

const (
	// KeySize is the length of an AES-256 key in bytes.
	KeySize      = 32
	nonceSize    = 12
	tagSize      = 16
	sealOverhead = nonceSize + tagSize
)

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: key is %s, want %d", ErrKey, byteCount(len(key)), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: while creating the aes cipher: %v", ErrKey, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: while creating gcm: %v", ErrKey, err)
	}
	return aead, nil
}

// seal returns nonce ‖ AES-256-GCM(plaintext) with aad authenticated too.
// A fresh random nonce per call: 2^-32 collision odds only after ~2^32 seals
// under one key, far beyond what one experiment does.
func seal(aead cipher.AEAD, plaintext, aad []byte, rand io.Reader) ([]byte, error) {
	out := make([]byte, nonceSize, nonceSize+len(plaintext)+tagSize)
	if _, err := io.ReadFull(rand, out); err != nil {
		return nil, fmt.Errorf("while reading a random nonce: %w", err)
	}
	return aead.Seal(out, out[:nonceSize], plaintext, aad), nil
}

// open reverses seal. Any failure is ErrAuth: a wrong key and a tampered
// payload are indistinguishable, by design of the AEAD.
func open(aead cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < sealOverhead {
		return nil, fmt.Errorf("%w: sealed payload is %s, shorter than its %d-byte nonce and tag", ErrCorrupt, byteCount(len(sealed)), sealOverhead)
	}
	plain, err := aead.Open(nil, sealed[:nonceSize], sealed[nonceSize:], aad)
	if err != nil {
		return nil, fmt.Errorf("%w: wrong key or tampered image", ErrAuth)
	}
	return plain, nil
}
