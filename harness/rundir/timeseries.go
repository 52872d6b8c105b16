package rundir

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Bucket is one fixed-width slice of a run (timeseries.csv): what ended in
// [T, T+width) measured from the load start.
type Bucket struct {
	T       float64 // bucket start, seconds from load start
	OK      int     // requests that ended ok
	Errors  int     // requests that ended failed or timed out
	P50Ms   float64 // latency percentiles of the requests that ended in the bucket (0 if none)
	P99Ms   float64
	PerNode []int // ok requests served by node i+1
}

// WriteTimeSeries writes buckets as CSV with the header
// t_s,ok,errors,p50_ms,p99_ms,node_1,…,node_N.
func WriteTimeSeries(w io.Writer, nodes int, buckets []Bucket) error {
	cw := csv.NewWriter(w)
	header := []string{"t_s", "ok", "errors", "p50_ms", "p99_ms"}
	for i := 1; i <= nodes; i++ {
		header = append(header, "node_"+strconv.Itoa(i))
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("writing time series: %w", err)
	}
	row := make([]string, len(header))
	for _, b := range buckets {
		if len(b.PerNode) != nodes {
			return fmt.Errorf("writing time series: bucket at %gs has %d node columns, want %d", b.T, len(b.PerNode), nodes)
		}
		row = row[:0]
		row = append(row,
			strconv.FormatFloat(b.T, 'f', -1, 64),
			strconv.Itoa(b.OK), strconv.Itoa(b.Errors),
			strconv.FormatFloat(b.P50Ms, 'f', 3, 64),
			strconv.FormatFloat(b.P99Ms, 'f', 3, 64))
		for _, n := range b.PerNode {
			row = append(row, strconv.Itoa(n))
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing time series: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing time series: %w", err)
	}
	return nil
}

// ReadTimeSeries reads what WriteTimeSeries wrote and returns the node count.
func ReadTimeSeries(r io.Reader) (nodes int, buckets []Bucket, err error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return 0, nil, fmt.Errorf("%w: reading header: %v", ErrTimeSeries, err)
	}
	want := []string{"t_s", "ok", "errors", "p50_ms", "p99_ms"}
	if len(header) < len(want) || strings.Join(header[:len(want)], ",") != strings.Join(want, ",") {
		return 0, nil, fmt.Errorf("%w: header %q, want it to start with %q", ErrTimeSeries, header, want)
	}
	nodes = len(header) - len(want)
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nodes, buckets, nil
		}
		if err != nil {
			return 0, nil, fmt.Errorf("%w: %v", ErrTimeSeries, err)
		}
		b, err := parseBucket(rec, nodes)
		if err != nil {
			return 0, nil, fmt.Errorf("%w: line %d: %v", ErrTimeSeries, line, err)
		}
		buckets = append(buckets, b)
	}
}

func parseBucket(rec []string, nodes int) (Bucket, error) {
	var b Bucket
	var err error
	floats := []*float64{&b.T, nil, nil, &b.P50Ms, &b.P99Ms}
	ints := []*int{nil, &b.OK, &b.Errors, nil, nil}
	for i := range floats {
		switch {
		case floats[i] != nil:
			*floats[i], err = strconv.ParseFloat(rec[i], 64)
		default:
			*ints[i], err = strconv.Atoi(rec[i])
		}
		if err != nil {
			return b, fmt.Errorf("column %d: %v", i+1, err)
		}
	}
	b.PerNode = make([]int, nodes)
	for i := range nodes {
		if b.PerNode[i], err = strconv.Atoi(rec[5+i]); err != nil {
			return b, fmt.Errorf("column node_%d: %v", i+1, err)
		}
	}
	return b, nil
}
