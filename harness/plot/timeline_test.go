package plot

import (
	"testing"
	"time"

	"stegocloud/harness/rundir"
)

func TestTimelineLastWidth(t *testing.T) {
	origin := time.Date(2026, 3, 14, 14, 23, 0, 0, time.UTC)
	last := rundir.Bucket{T: 10}
	tests := []struct {
		name string
		end  time.Time
		want float64
	}{
		{"no end time: the whole bucket", time.Time{}, 1},
		{"the run ends inside the bucket", origin.Add(10400 * time.Millisecond), 0.4},
		{"a sliver", origin.Add(10100 * time.Millisecond), 0.1},
		{"the run ends at the bucket's end", origin.Add(11 * time.Second), 1},
		{"an end past the bucket", origin.Add(12 * time.Second), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &rundir.Run{Origin: origin, BucketS: 1, Summary: rundir.Summary{End: tc.end}}
			if got := timelineLastWidth(d, last); got < tc.want-1e-9 || got > tc.want+1e-9 {
				t.Errorf("timelineLastWidth(end %v, bucket at %v s) = %v, want %v", tc.end, last.T, got, tc.want)
			}
		})
	}
}
