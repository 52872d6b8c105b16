package harness

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"stegocloud/harness/rundir"
)

func reportMs(v float64) string  { return strconv.FormatFloat(v, 'f', 2, 64) + " ms" }
func reportPct(v float64) string { return strconv.FormatFloat(100*v, 'f', 2, 64) + "%" }
func reportSec(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + " s" }
func reportRPS(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + " req/s" }

// reportCounts writes a count map as "a: 1, b: 2" in key order ("—" if empty).
func reportCounts[K interface{ ~int | ~string }](m map[K]int) string {
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

// reportLoads writes loads as the seed does: [(1, 0.75), (2, 0.50), (3, 0.90)].
func reportLoads(loads map[int]float64) string {
	parts := make([]string, 0, len(loads))
	for _, id := range slices.Sorted(maps.Keys(loads)) {
		parts = append(parts, fmt.Sprintf("(%d, %.2f)", id, loads[id]))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// reportStats summarises failover or recovery times (ms).
func reportStats(s rundir.Stats) string {
	if s.N == 0 {
		return "none measured"
	}
	return fmt.Sprintf("n=%d, mean %s, p50 %s, max %s", s.N, reportMs(s.Mean), reportMs(s.P50), reportMs(s.Max))
}

// reportClock is a wall-clock time in the run's zone.
func reportClock(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04:05") }

func reportTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

func reportYesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

func reportPassFail(b bool) string {
	if b {
		return "PASS"
	}
	return "FAIL"
}
