package plot

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks labels a linear axis with about target round steps (1, 2, 2.5 or
// 5 times a power of ten) and as few decimals as the step needs: gonum's
// default gives two or three labels with two decimals each ("25.00"), too few
// to read a time axis by.
type niceTicks struct{ target int }

func (n niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	step := niceStep((hi - lo) / float64(max(n.target, 2)))
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if frac := step / math.Pow10(-decimals); math.Abs(frac-math.Round(frac)) > 1e-9 {
		decimals++ // 2.5, 0.25, …
	}
	var ticks []plot.Tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step*1e-9; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0 // no "-0"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
		if half := v + step/2; half <= hi {
			ticks = append(ticks, plot.Tick{Value: half}) // unlabelled minor tick
		}
	}
	return ticks
}

// niceStep is the smallest round step ≥ raw.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) {
		return 1
	}
	mag := math.Pow10(int(math.Floor(math.Log10(raw))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}
