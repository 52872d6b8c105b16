package rundirtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/cluster"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// TestWriteIsConsistent: the files of the synthetic run must tell one story,
// or tests built on it would pin nonsense.
func TestWriteIsConsistent(t *testing.T) {
	dir := t.TempDir()
	o := rundirtest.Default()
	if err := rundirtest.Write(dir, o); err != nil {
		t.Fatal(err)
	}
	var s rundir.Summary
	b, err := os.ReadFile(filepath.Join(dir, rundir.FileSummary))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, rundir.FileTimeSeries))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nodes, buckets, err := rundir.ReadTimeSeries(f)
	if err != nil {
		t.Fatal(err)
	}
	bucketOK, bucketErr, perNode := 0, 0, make([]int, nodes)
	for _, bk := range buckets {
		bucketOK += bk.OK
		bucketErr += bk.Errors
		for i, n := range bk.PerNode {
			perNode[i] += n
		}
	}
	ev, err := os.Open(filepath.Join(dir, rundir.FileEvents))
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	assigns := 0
	if _, err := cluster.ReadEvents(ev, func(e cluster.Event) error {
		if e.Type == cluster.EvAssign {
			assigns++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"total requests", s.Requests.Total, o.Clients * o.PerClient},
		{"ok + failed + timed out", s.Requests.OK + s.Requests.Failed + s.Requests.TimedOut, s.Requests.Total},
		{"ok in the time series", bucketOK, s.Requests.OK},
		{"errors in the time series", bucketErr, s.Requests.Lost},
		{"histogram count", int(s.Latency.Count), s.Requests.Total},
		{"assign events (one per request)", assigns, s.Requests.Total},
		{"nodes", nodes, len(s.Nodes)},
	}
	for i, n := range s.Nodes {
		checks = append(checks, struct {
			what      string
			got, want int
		}{fmt.Sprintf("node %d served in the time series", n.ID), perNode[i], n.Served})
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if s.Requests.TimedOut == 0 || s.Requests.Reassigned == 0 {
		t.Errorf("the fault cost nothing (%d timed out, %d reassigned): the run does not exercise the report", s.Requests.TimedOut, s.Requests.Reassigned)
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := rundirtest.Write(dir, rundirtest.Default()); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, _ := os.ReadFile(filepath.Join(b, e.Name()))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two writes of the same options", e.Name())
		}
	}
}

func TestWriteRejectsEmptyOptions(t *testing.T) {
	err := rundirtest.Write(t.TempDir(), rundirtest.Options{})
	if err == nil || !strings.Contains(err.Error(), "options need") {
		t.Errorf("Write with zero options: %v, want an error saying what is missing", err)
	}
}
