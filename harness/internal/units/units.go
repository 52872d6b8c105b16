// Package units holds the unit conversions and number formats that the
// summary and the checks' details share: milliseconds from durations, and
// numbers printed with no more decimals than they need.
package units

import (
	"math"
	"strconv"
	"time"
)

// Ms is d in milliseconds, the unit of every latency in summary.json.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Num formats a number with at most 3 decimals and no trailing zeros.
func Num(v float64) string { return NumPrec(v, 3) }

// NumPrec formats a number with at most decimals decimals and no trailing
// zeros.
func NumPrec(v float64, decimals int) string {
	p := math.Pow(10, float64(decimals))
	return strconv.FormatFloat(math.Round(v*p)/p, 'f', -1, 64)
}
