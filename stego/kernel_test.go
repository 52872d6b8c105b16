package stego

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func TestSpreadGatherAllSixBitValues(t *testing.T) {
	for x := range uint64(64) {
		w := spread6[x]
		if w&^lsbMask != 0 {
			t.Errorf("spread6[%#02x] = %#016x sets bits outside the carrier mask %#016x", x, w, lsbMask)
		}
		if got := gather6(w | ^lsbMask); got != x {
			t.Errorf("gather6(spread6[%#02x] | non-carrier bits) = %#02x, want %#02x", x, got, x)
		}
	}
}

// TestKernelMatchesNaive is the property test: for random pixels and random
// payloads of every length up to the capacity, the word kernel writes exactly
// the bytes the textbook loop writes, and reads back exactly the payload.
func TestKernelMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		pixels := 1 + rng.IntN(64)
		pix := randomBytes(rng, 4*pixels)
		n := rng.IntN(Capacity(pixels, 1) + 1)
		data := randomBytes(rng, n)

		got, want := bytes.Clone(pix), bytes.Clone(pix)
		embedBytes(got, data)
		naiveEmbed(want, data)
		if !bytes.Equal(got, want) {
			t.Fatalf("trial %d: %d pixels, payload %x:\nkernel wrote %x\nnaive  wrote %x", trial, pixels, data, got, want)
		}
		if diff := changedOutsideCarrier(pix, got, n); diff >= 0 {
			t.Fatalf("trial %d: byte %d changed from %#02x to %#02x, outside the LSBs of the %d carrier bytes",
				trial, diff, pix[diff], got[diff], 8*n)
		}
		back, oracle := make([]byte, n), make([]byte, n)
		extractBytes(back, got)
		naiveExtract(oracle, got)
		if !bytes.Equal(back, data) || !bytes.Equal(oracle, data) {
			t.Fatalf("trial %d: embedded %x, kernel read %x, naive read %x", trial, data, back, oracle)
		}
	}
}

func TestKernelOnUntouchedPixelsReadsTheirLSBs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 100 {
		pix := randomBytes(rng, 4*(1+rng.IntN(200)))
		n := rng.IntN(Capacity(len(pix)/4, 1) + 1)
		got, want := make([]byte, n), make([]byte, n)
		extractBytes(got, pix)
		naiveExtract(want, pix)
		if !bytes.Equal(got, want) {
			t.Fatalf("trial %d: pixels %x: kernel read %x, naive read %x", trial, pix, got, want)
		}
	}
}

// changedOutsideCarrier returns the index of the first byte that differs
// other than in the LSB of one of the first 8n carrier bytes, or -1.
func changedOutsideCarrier(before, after []byte, n int) int {
	carrier := make(map[int]bool, 8*n)
	for k := range 8 * n {
		carrier[k/3*4+k%3] = true
	}
	for i := range before {
		mask := byte(0xff)
		if carrier[i] {
			mask = 0xfe
		}
		if before[i]&mask != after[i]&mask {
			return i
		}
	}
	return -1
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}
