package harness

import (
	"fmt"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"stegocloud/harness/rundir"
)

// cmpSpectrumTicks is the number of percentile steps per halving of the
// distance to 100%, as in HdrHistogram's percentile output (5 there too).
const cmpSpectrumTicks = 5

// cmpSpectrumLine is one set's latency percentile spectrum. A repeat set's
// runs are merged into one histogram: every request of every run counts once,
// which is the distribution a user of that configuration meets, and its tail
// rests on n times the samples of any single run.
type cmpSpectrumLine struct {
	Label  string // "A: label"
	Runs   int    // runs whose histograms were merged
	Count  int64  // requests in the merged histogram
	Points []cmpSpectrumPoint
}

// cmpSpectrumPoint is one step of a spectrum. X = 1/(1-q) spreads the tail on
// a log axis; the q = 100% point has no X and is dropped.
type cmpSpectrumPoint struct {
	Percentile float64 // 0..100
	X          float64
	Ms         float64
}

// cmpSpectrumOf merges the "all" histograms of s and walks their percentiles.
// Runs without a usable histogram are left out with a warning rather than
// failing the whole comparison.
func cmpSpectrumOf(cs ComparedSet, s *RunSet) (cmpSpectrumLine, []string) {
	line := cmpSpectrumLine{Label: cs.Key + ": " + cs.Label}
	merged, used, warns := cmpMergeHistograms(cs.Key, s, "all")
	line.Runs = used
	if merged == nil {
		return line, warns
	}
	line.Count = merged.TotalCount()
	if line.Count == 0 {
		return line, append(warns, fmt.Sprintf("set %s: its latency histograms are empty; it has no spectrum", cs.Key))
	}
	for _, br := range merged.CumulativeDistributionWithTicks(cmpSpectrumTicks) {
		if br.Quantile >= 100 {
			continue
		}
		line.Points = append(line.Points, cmpSpectrumPoint{
			Percentile: br.Quantile,
			X:          1 / (1 - br.Quantile/100),
			Ms:         float64(br.ValueAt) / 1000,
		})
	}
	return line, warns
}

// cmpMergeHistograms decodes histogram key of every run of s and merges them.
func cmpMergeHistograms(setKey string, s *RunSet, key string) (merged *hdr.Histogram, used int, warns []string) {
	for i := range s.Runs {
		h, err := cmpDecodeHistogram(&s.Runs[i].Summary, key)
		if err != nil {
			warns = append(warns, fmt.Sprintf("set %s, %s: %v; left out of the spectrum", setKey, cmpRunName(s, i), err))
			continue
		}
		used++
		if merged == nil {
			merged = h
			continue
		}
		if dropped := merged.Merge(h); dropped > 0 {
			warns = append(warns, fmt.Sprintf("set %s, %s: %d latencies outside the first run's histogram range were dropped from the spectrum", setKey, cmpRunName(s, i), dropped))
		}
	}
	return merged, used, warns
}

func cmpDecodeHistogram(s *rundir.Summary, key string) (*hdr.Histogram, error) {
	enc, ok := s.Histograms[key]
	if !ok || enc == "" {
		return nil, fmt.Errorf("%w: summary.json has no %q histogram", ErrRunSetHistogram, key)
	}
	h, err := hdr.Decode([]byte(enc))
	if err != nil {
		return nil, fmt.Errorf("%w: decoding %q: %v", ErrRunSetHistogram, key, err)
	}
	return h, nil
}

// cmpRunName names run i of s for messages: "rep-3", or "the run".
func cmpRunName(s *RunSet, i int) string {
	if len(s.Runs) == 1 {
		return "the run"
	}
	return fmt.Sprintf("rep-%d", i+1)
}
