package cluster

import "stegocloud/stego"

// StegoCodec is the real codec: the stego package's Hide and Reveal.
type StegoCodec struct{}

var _ Codec = StegoCodec{}

// Hide implements Codec with stego.Hide.
func (StegoCodec) Hide(cover []byte, m stego.Metadata, key []byte) ([]byte, error) {
	return stego.Hide(cover, m, key)
}

// Reveal implements Codec with stego.Reveal.
func (StegoCodec) Reveal(img []byte, key []byte) (stego.Metadata, error) {
	return stego.Reveal(img, key)
}
