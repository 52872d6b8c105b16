package harness

import (
	"fmt"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
)

// cmpSpectrumOf merges the "all" histograms of s and walks their percentiles.
// Runs without a usable histogram are left out with a warning rather than
// failing the whole comparison.
func cmpSpectrumOf(cs ComparedSet, s *RunSet) (plot.SpectrumLine, []string) {
	line := plot.SpectrumLine{Label: cs.Key + ": " + cs.Label}
	merged, used, warns := cmpMergeHistograms(cs.Key, s, "all")
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
