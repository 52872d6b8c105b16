package report_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/internal/golden"
	"stegocloud/harness/report"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

func TestWriteReportGolden(t *testing.T) {
	tests := []struct {
		name   string
		remove []string // files taken out of the synthetic run
	}{
		{"synthetic", nil},
		{"summary-only", []string{rundir.FileRunInfo, rundir.FileExperiment, rundir.FileSchedule, rundir.FileTimeSeries, rundir.FileEvents}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := rundirtest.WriteDefault(t)
			for _, f := range tc.remove {
				if err := os.Remove(filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			d, err := rundir.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := report.Write(&buf, d); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.name+".md.golden", buf.Bytes())
		})
	}
}

// TestWriteReportMeasuredValues checks, independently of the golden file,
// that the seed's block carries this run's numbers, with the precision of the
// table beside it, and every figure is linked.
func TestWriteReportMeasuredValues(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	var buf bytes.Buffer
	if err := report.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	s := d.Summary
	want := []string{
		fmt.Sprintf("Total Requests:        %d\n", s.Requests.Total),
		fmt.Sprintf("Successful:            %d\n", s.Requests.OK),
		fmt.Sprintf("Failed:                %d\n", s.Requests.Total-s.Requests.OK),
		fmt.Sprintf("Throughput:            %.2f requests/second\n", s.ThroughputRPS),
		// The block and the table beside it print a latency alike (issue
		// 15: "P95: 3 ms" next to "2.59 ms").
		"  Average:             " + report.Ms(s.Latency.MeanMs) + "\n",
		"  P95:                 " + report.Ms(s.Latency.P95Ms) + "\n",
		"| Latency p95 | " + report.Ms(s.Latency.P95Ms) + " |",
		fmt.Sprintf("≤ %.2f req/s (%s)", s.Bound.RPS, s.Bound.Formula),
		"Node 2: ACTIVE | Load: 0.50 | Processed: 282 | Coordinator: YES\n",
		"| expect success_rate >= 99.9% | FAIL |",
		"**Verdict: FAIL**",
	}
	for _, f := range []string{"latency_spectrum", "timeline", "nodes", "load"} {
		want = append(want, "](figures/"+f+".png)")
	}
	for _, w := range want {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("report lacks %q", w)
		}
	}
}

// failingWriter fails once it has taken limit bytes.
type failingWriter struct{ limit int }

var errDiskFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, errDiskFull
	}
	f.limit -= len(p)
	return len(p), nil
}

func TestWriteReportWriteError(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	for _, limit := range []int{0, 100, 5000} {
		err := report.Write(&failingWriter{limit: limit}, d)
		if !errors.Is(err, errDiskFull) {
			t.Errorf("Write to a writer failing after %d bytes: error %v, want it to wrap %v", limit, err, errDiskFull)
		}
	}
}

// TestWriteReportSeedClaims: the seed's claimed numbers stand beside a run
// only when it ran the seed's configuration; the bound column stays in both.
func TestWriteReportSeedClaims(t *testing.T) {
	tests := []struct {
		name      string
		from, to  string // rewrite of experiment.yaml
		wantClaim bool
	}{
		{"synthetic (20 clients × 50)", "", "", false},
		{"the seed's configuration", "  clients: 20\n  requests_per_client: 50\n", "  clients: 50\n  requests_per_client: 200\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := rundirtest.WriteDefault(t)
			path := filepath.Join(dir, rundir.FileExperiment)
			spec, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tc.from != "" {
				if !bytes.Contains(spec, []byte(tc.from)) {
					t.Fatalf("synthetic experiment.yaml lacks %q:\n%s", tc.from, spec)
				}
				spec = bytes.Replace(spec, []byte(tc.from), []byte(tc.to), 1)
				if err := os.WriteFile(path, spec, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			d, err := rundir.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := report.Write(&buf, d); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			claimHeader := "| metric | measured | bound | seed's claim |"
			if got := strings.Contains(out, claimHeader); got != tc.wantClaim {
				t.Errorf("report has the seed's claim column: %v, want %v", got, tc.wantClaim)
			}
			if got := strings.Contains(out, "221.09 req/s"); got != tc.wantClaim {
				t.Errorf("report quotes the seed's 221.09 req/s: %v, want %v", got, tc.wantClaim)
			}
			if !strings.Contains(out, "| metric | measured | bound |") {
				t.Error("report lost the bound column")
			}
		})
	}
}
