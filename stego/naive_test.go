package stego

// The textbook bit-at-a-time loops: the oracle for the word kernel and the
// baseline of its benchmarks. Carrier byte k is channel k%3 of pixel k/3.

func naiveEmbed(pix, data []byte) {
	for i, b := range data {
		for bit := range 8 {
			k := 8*i + bit
			off := k/3*4 + k%3
			pix[off] = pix[off]&0xfe | b>>(7-bit)&1
		}
	}
}

func naiveExtract(dst, pix []byte) {
	for i := range dst {
		var b byte
		for bit := range 8 {
			k := 8*i + bit
			b = b<<1 | pix[k/3*4+k%3]&1
		}
		dst[i] = b
	}
}
