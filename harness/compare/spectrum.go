package compare

import (
	"fmt"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
)

// spectrumOf merges the "all" histograms of s and walks their percentiles.
// Runs without a usable histogram are left out with a warning rather than
// failing the whole comparison.
func spectrumOf(cs ComparedSet, s *RunSet) (plot.SpectrumLine, []string) {
	line := plot.SpectrumLine{Label: cs.Key + ": " + cs.Label}
	merged, used, warns := mergeHistograms(cs.Key, s, "all")
	line.Runs = used
	if merged == nil {
		return line, warns
	}
	line.Count = merged.TotalCount()
	if line.Count == 0 {
		return line, append(warns, fmt.Sprintf("set %s: its latency histograms are empty; it has no spectrum", cs.Key))
	}
	line.Points = plot.SpectrumPoints(merged)
	return line, warns
}

// mergeHistograms decodes histogram key of every run of s and merges them.
func mergeHistograms(setKey string, s *RunSet, key string) (merged *hdr.Histogram, used int, warns []string) {
	for i := range s.Runs {
		h, err := decodeHistogram(&s.Runs[i].Summary, key)
		if err != nil {
			warns = append(warns, fmt.Sprintf("set %s, %s: %v; left out of the spectrum", setKey, runName(s, i), err))
			continue
		}
		used++
		if merged == nil {
			merged = h
			continue
		}
		if dropped := merged.Merge(h); dropped > 0 {
			warns = append(warns, fmt.Sprintf("set %s, %s: %d latencies outside the first run's histogram range were dropped from the spectrum", setKey, runName(s, i), dropped))
		}
	}
	return merged, used, warns
}

func decodeHistogram(s *rundir.Summary, key string) (*hdr.Histogram, error) {
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

// runName names run i of s for messages: "rep-3", or "the run".
func runName(s *RunSet, i int) string {
	if len(s.Runs) == 1 {
		return "the run"
	}
	return fmt.Sprintf("rep-%d", i+1)
}
