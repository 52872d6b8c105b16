package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"stegocloud/harness/rundir"
)

func Ms(v float64) string  { return strconv.FormatFloat(v, 'f', 2, 64) + " ms" }
func Pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 2, 64) + "%" }
func Sec(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + " s" }
func RPS(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + " req/s" }

// countOf is "1 thing" or "n things".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Counts writes a count map as "a: 1, b: 2" in key order ("—" if empty).
func Counts[K interface{ ~int | ~string }](m map[K]int) string {
	if len(m) == 0 {
		return "—"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		name := fmt.Sprint(k)
		if name == "" {
			name = "(none)"
		}
		parts = append(parts, fmt.Sprintf("%s: %d", name, m[k]))
	}
	return strings.Join(parts, ", ")
}

// loadsText writes loads as the seed does: [(1, 0.75), (2, 0.50), (3, 0.90)].
func loadsText(loads map[int]float64) string {
	parts := make([]string, 0, len(loads))
	for _, id := range slices.Sorted(maps.Keys(loads)) {
		parts = append(parts, fmt.Sprintf("(%d, %.2f)", id, loads[id]))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// statsText summarises failover or recovery times (ms).
func statsText(s rundir.Stats) string {
	if s.N == 0 {
		return "none measured"
	}
	return fmt.Sprintf("n=%d, mean %s, p50 %s, max %s", s.N, Ms(s.Mean), Ms(s.P50), Ms(s.Max))
}

// clock is a wall-clock time in the run's zone.
func clock(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04:05") }

func wallTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

func YesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

func PassFail(b bool) string {
	if b {
		return "PASS"
	}
	return "FAIL"
}
