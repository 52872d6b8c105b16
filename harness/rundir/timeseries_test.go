package rundir

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestTimeSeriesRoundTrip(t *testing.T) {
	in := []Bucket{
		{T: 0, OK: 10, Errors: 1, P50Ms: 1.5, P99Ms: 9.25, PerNode: []int{3, 4, 3}},
		{T: 1, OK: 0, Errors: 0, PerNode: []int{0, 0, 0}},
		{T: 2.5, OK: 7, Errors: 2, P50Ms: 500.125, P99Ms: 700, PerNode: []int{7, 0, 0}},
	}
	var buf bytes.Buffer
	if err := WriteTimeSeries(&buf, 3, in); err != nil {
		t.Fatal(err)
	}
	nodes, out, err := ReadTimeSeries(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if nodes != 3 || !reflect.DeepEqual(in, out) {
		t.Errorf("round trip: got %d nodes %+v, want 3 nodes %+v", nodes, out, in)
	}
}

func TestTimeSeriesErrors(t *testing.T) {
	tests := []struct{ name, csv string }{
		{"empty", ""},
		{"wrong header", "a,b,c\n"},
		{"bad number", "t_s,ok,errors,p50_ms,p99_ms,node_1\n0,x,0,0,0,0\n"},
		{"short row", "t_s,ok,errors,p50_ms,p99_ms,node_1\n0,1,0,0\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadTimeSeries(strings.NewReader(tc.csv))
			if !errors.Is(err, ErrTimeSeries) {
				t.Errorf("ReadTimeSeries(%q) error = %v, want ErrTimeSeries", tc.csv, err)
			}
		})
	}
	if err := WriteTimeSeries(&bytes.Buffer{}, 2, []Bucket{{PerNode: []int{1}}}); err == nil {
		t.Error("WriteTimeSeries with a bucket of the wrong width: no error")
	}
}
