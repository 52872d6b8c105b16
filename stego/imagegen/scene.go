package imagegen

import "math"

// scene is the smooth part of a PhotoLike picture, precomputed per column
// and per row so that each pixel costs a few integer multiply-adds.
type scene struct {
	col     [3][]int32 // base colour plus horizontal gradient, per column
	row     [3][]int32 // vertical gradient, per row
	waveX   [2][]int32 // a broad wave and a finer texture, per column, in [-256, 256]
	waveY   [2][]int32 // the same per row
	waveAmp [3]int32   // how strongly the waves show in each channel
	discs   []disc     // flat-coloured shapes with hard edges, as objects in a photo
}

type disc struct {
	cx, cy, r int
	shift     [3]int32
}

func newScene(rng *splitmix, w, h int) *scene {
	s := &scene{}
	for c := range 3 {
		base, gx, gy := rng.intn(60, 190), rng.intn(-60, 60), rng.intn(-60, 60)
		s.col[c] = make([]int32, w)
		for x := range w {
			s.col[c][x] = int32(base + gx*x/w)
		}
		s.row[c] = make([]int32, h)
		for y := range h {
			s.row[c][y] = int32(gy * y / h)
		}
		s.waveAmp[c] = int32(rng.intn(15, 45))
	}
	cycles := [2][2]int{{1, 3}, {8, 24}} // broad shading, then texture
	for k := range 2 {
		s.waveX[k] = waveTable(w, rng.intn(cycles[k][0], cycles[k][1]), uint32(rng.next()))
		s.waveY[k] = waveTable(h, rng.intn(cycles[k][0], cycles[k][1]), uint32(rng.next()))
	}
	for range 3 {
		d := disc{cx: rng.intn(0, w-1), cy: rng.intn(0, h-1), r: rng.intn(1, max(1, min(w, h)/4))}
		for c := range 3 {
			d.shift[c] = int32(rng.intn(-40, 40))
		}
		s.discs = append(s.discs, d)
	}
	return s
}

// baseLine fills line (3 values per pixel) with gradient and discs of row y.
func (s *scene) baseLine(line []int32, y int) {
	w := len(line) / 3
	for x := range w {
		for c := range 3 {
			line[3*x+c] = s.col[c][x] + s.row[c][y]
		}
	}
	for _, d := range s.discs {
		dy := y - d.cy
		if dy*dy >= d.r*d.r {
			continue
		}
		half := isqrt(d.r*d.r - dy*dy)
		for x := max(0, d.cx-half); x <= min(w-1, d.cx+half); x++ {
			for c := range 3 {
				line[3*x+c] += d.shift[c]
			}
		}
	}
}

// waveTable samples a sine-like wave of the given number of cycles over n
// points, in [-256, 256], from a 16-bit phase with parabolic half-periods.
func waveTable(n, cycles int, phase uint32) []int32 {
	t := make([]int32, n)
	for i := range n {
		u := (phase + uint32(int64(i)*int64(cycles)*65536/int64(n))) & 0xffff
		half := int32(u & 0x7fff)
		v := half * (32768 - half) >> 20
		if u&0x8000 != 0 {
			v = -v
		}
		t[i] = v
	}
	return t
}

// isqrt is ⌊√n⌋. math.Sqrt is correctly rounded on every platform, so this
// stays deterministic; the loops fix the rare off-by-one of rounding.
func isqrt(n int) int {
	r := int(math.Sqrt(float64(n)))
	for r*r > n {
		r--
	}
	for (r+1)*(r+1) <= n {
		r++
	}
	return r
}
