package stego

import "encoding/binary"

// The kernel hides one payload bit in the least significant bit of each R, G
// and B byte of NRGBA pixels, skipping alpha. Eight pixels are 32 bytes, 24
// carrier bytes, exactly 3 payload bytes, so the kernel works in blocks of 8
// pixels = 4 little-endian uint64 words of 2 pixels each. In a word the
// carrier bits sit at bit 0 (R0), 8 (G0), 16 (B0), 32 (R1), 40 (G1), 48 (B1)
// and take 6 consecutive payload bits, most significant first.

// lsbMask selects the six carrier bits of a word of two pixels.
const lsbMask uint64 = 0x0001_0101_0001_0101

// gatherMul moves the six carrier bits of (word & lsbMask) to bits 63..58 in
// payload order: bit at position p goes to 63-i-p for its rank i. No two
// partial products land on the same bit, so nothing carries into the top six.
const gatherMul uint64 = 0x8040_2000_1008_0400

// spread6[x] places the six bits of x (MSB first) on the carrier bits of a word.
var spread6 = func() (t [64]uint64) {
	pos := [6]uint{0, 8, 16, 32, 40, 48}
	for x := range t {
		for i, p := range pos {
			t[x] |= uint64(x>>(5-i)&1) << p
		}
	}
	return t
}()

// carrierPixels is how many pixels the first n payload bytes occupy.
func carrierPixels(n int) int { return (8*n + 2) / 3 }

// embedBytes writes data into the carrier at the start of pix, a contiguous
// NRGBA pixel buffer of at least 4·carrierPixels(len(data)) bytes. It touches
// no other bit and allocates nothing. Like extractBytes it does two blocks
// (6 payload bytes, 16 pixels) per iteration.
func embedBytes(pix, data []byte) {
	blocks := len(data) / 3
	for i := range blocks {
		d := data[3*i : 3*i+3 : 3*i+3]
		p := pix[32*i : 32*i+32 : 32*i+32]
		v := uint64(d[0])<<16 | uint64(d[1])<<8 | uint64(d[2])
		put6(p[0:8], v>>18)
		put6(p[8:16], v>>12)
		put6(p[16:24], v>>6)
		put6(p[24:32], v)
	}
	for k := 24 * blocks; k < 8*len(data); k++ {
		bit := data[k/8] >> (7 - k%8) & 1
		off := k/3*4 + k%3
		pix[off] = pix[off]&^1 | bit
	}
}

// extractBytes fills dst from the carrier at the start of pix, which holds at
// least 4·carrierPixels(len(dst)) bytes. It allocates nothing. Two blocks per
// iteration (16 pixels → 6 bytes) halve the loop and bounds-check overhead,
// which is most of the cost once the four gathers of a block overlap.
func extractBytes(dst, pix []byte) {
	pairs := len(dst) / 6
	for i := range pairs {
		p := pix[64*i : 64*i+64 : 64*i+64]
		hi, lo := gather24(p[0:32]), gather24(p[32:64])
		d := dst[6*i : 6*i+6 : 6*i+6]
		binary.BigEndian.PutUint32(d[0:4], uint32(hi<<8|lo>>16))
		binary.BigEndian.PutUint16(d[4:6], uint16(lo))
	}
	done := 6 * pairs
	if len(dst)-done >= 3 { // one more block of 8 pixels
		v := gather24(pix[64*pairs : 64*pairs+32])
		d := dst[done : done+3 : done+3]
		d[0], d[1], d[2] = byte(v>>16), byte(v>>8), byte(v)
		done += 3
	}
	for i := done; i < len(dst); i++ {
		var b byte
		for k := 8 * i; k < 8*i+8; k++ {
			b = b<<1 | pix[k/3*4+k%3]&1
		}
		dst[i] = b
	}
}

// gather24 returns the 24 carrier bits of a block of 8 pixels (32 bytes).
func gather24(p []byte) uint64 {
	p = p[:32:32]
	return gather6(binary.LittleEndian.Uint64(p[0:8]))<<18 |
		gather6(binary.LittleEndian.Uint64(p[8:16]))<<12 |
		gather6(binary.LittleEndian.Uint64(p[16:24]))<<6 |
		gather6(binary.LittleEndian.Uint64(p[24:32]))
}

// put6 writes the low six bits of v into the carrier bits of a word of two
// pixels.
func put6(p []byte, v uint64) {
	w := binary.LittleEndian.Uint64(p)
	binary.LittleEndian.PutUint64(p, w&^lsbMask|spread6[v&63])
}

// gather6 returns the six carrier bits of a word of two pixels, in order.
func gather6(w uint64) uint64 { return (w & lsbMask) * gatherMul >> 58 }
