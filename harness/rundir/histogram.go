package rundir

import (
	"fmt"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// DecodeHistogram reads one of Summary.Histograms back into an HDR histogram
// of microseconds.
func DecodeHistogram(s string) (*hdr.Histogram, error) {
	if s == "" {
		return nil, fmt.Errorf("%w: empty string", ErrHistogram)
	}
	h, err := hdr.Decode([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("%w: decoding: %v", ErrHistogram, err)
	}
	return h, nil
}
