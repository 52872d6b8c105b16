package stego

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// kernelSizes are a payload whose carrier stays in L1 (1 KiB → 8 KiB of
// carrier, the end-to-end goal's payload) and the whole carrier of a
// 1024×1024 image (384 KiB → 3 MiB of carrier in a 4 MiB image, past L2).
var kernelSizes = []int{1 << 10, Capacity(1024, 1024)}

func benchKernel(b *testing.B, run func(pix, data []byte)) {
	for _, n := range kernelSizes {
		b.Run(fmt.Sprintf("payload=%dKiB", n>>10), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			pix := randomBytes(rng, 4*carrierPixels(n))
			data := randomBytes(rng, n)
			b.SetBytes(int64(8 * n)) // carrier bytes touched
			b.ReportAllocs()
			for b.Loop() {
				run(pix, data)
			}
		})
	}
}

func BenchmarkEmbed(b *testing.B)      { benchKernel(b, embedBytes) }
func BenchmarkEmbedNaive(b *testing.B) { benchKernel(b, naiveEmbed) }
func BenchmarkExtract(b *testing.B) {
	benchKernel(b, func(pix, data []byte) { extractBytes(data, pix) })
}
func BenchmarkExtractNaive(b *testing.B) {
	benchKernel(b, func(pix, data []byte) { naiveExtract(data, pix) })
}
