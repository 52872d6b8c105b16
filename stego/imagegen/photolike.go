package imagegen

import "image"

// PhotoLike returns a w×h opaque picture determined by seed alone. A
// non-positive w or h gives an empty image.
func PhotoLike(w, h int, seed int64) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	if w <= 0 || h <= 0 {
		return img
	}
	rng := splitmix{uint64(seed)}
	s := newScene(&rng, w, h)
	line := make([]int32, 3*w)
	for y := range h {
		s.baseLine(line, y)
		noise := splitmix{rng.next() ^ uint64(y)*0x9e3779b97f4a7c15}
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			wave := s.waveX[0][x]*s.waveY[0][y] + s.waveX[1][x]*s.waveY[1][y]>>2
			n := noise.next()
			p := row[4*x : 4*x+4 : 4*x+4]
			for c := range 3 {
				v := line[3*x+c] + wave*s.waveAmp[c]>>16 + noiseLevel(uint8(n>>(8*c)))
				p[c] = clamp8(v)
			}
			p[3] = 0xff
		}
	}
	return img
}

// noiseAmp is the largest per-channel noise in levels: enough that the low
// bits are as unpredictable as a camera's, little enough to see the scene.
const noiseAmp = 4

func noiseLevel(b uint8) int32 { return int32(b)*(2*noiseAmp+1)>>8 - noiseAmp }

func clamp8(v int32) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

// splitmix is SplitMix64: tiny, fast, and fixed forever by its definition,
// unlike a library generator whose stream could change.
type splitmix struct{ state uint64 }

func (s *splitmix) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// intn returns a value in [lo, hi].
func (s *splitmix) intn(lo, hi int) int { return lo + int(s.next()%uint64(hi-lo+1)) }
