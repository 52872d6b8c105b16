package analyze

import (
	"testing"
	"time"
)

// TestStatsMsPercentile: failover and recovery p50 follow the percentile
// definition of every latency (package quantile): the value at rank
// ceil(n/2), the lower middle value of an even count, not the mean of the
// two middle ones (a time no episode took).
func TestStatsMsPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	for _, tt := range []struct {
		in             []time.Duration
		p50, mean, max float64
	}{
		{ms(300, 100), 100, 200, 300},
		{ms(400, 100, 300, 200), 200, 250, 400},
		{ms(100, 300, 200), 200, 200, 300},
		{ms(70), 70, 70, 70},
	} {
		st := statsMs(tt.in)
		if st.P50 != tt.p50 || st.Mean != tt.mean || st.Max != tt.max || st.N != len(tt.in) {
			t.Errorf("statsMs(%v) = n %d, p50 %g, mean %g, max %g; want p50 %g, mean %g, max %g", tt.in, st.N, st.P50, st.Mean, st.Max, tt.p50, tt.mean, tt.max)
		}
	}
}
