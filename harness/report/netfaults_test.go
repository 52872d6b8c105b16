package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/fault"
	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// A run with network faults lists each in the fault-tolerance section, with
// the nodes it cut, and sums up what the proxies carried.
func TestReportListsNetworkFaults(t *testing.T) {
	d := rundirtest.LoadDefault(t)
	at := func(s float64) time.Time { return d.Origin.Add(time.Duration(s * float64(time.Second))) }
	d.Events.NetFaults = []rundir.NetFaultWindow{
		{Kind: "partition", What: "partition [1] | [2 3]", Start: at(3), End: at(6), Net: cluster.NetFault{ID: 1, Groups: [][]int{{1}, {2, 3}}}, Source: "events"},
		{Kind: "reset", What: "reset all peer links", Start: at(8), End: at(8), Net: cluster.NetFault{ID: 2}, Source: "events"},
	}
	d.Summary.Proxies = &rundir.ProxySummary{Links: 9, Accepted: 12, Bytes: 2_500_000, HeldChunks: 4, MaxBuffered: 1234, Resets: 6}
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"| 1 | partition | partition [1] \\| [2 3] | 3.00 | 6.00 | 3.00 s | events |",
		"| 2 | reset | reset all peer links | 8.00 | 8.00 | at once | events |",
		"| Fault proxies | 9 links, 12 connections, 2.5 MB delivered; 4 chunks held by cuts (at most 1234 bytes waiting on one link); 6 connections reset",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Only network faults: no node was down, and the mean time down says why it is empty.
	d.Events.Faults = nil
	d.Schedule = nil
	d.Summary.Faults.Injected = 1
	d.Summary.Faults.Network = []rundir.NetFaultRecord{{Kind: "partition", Net: &fault.Net{}}}
	buf.Reset()
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"No node was taken down.", "| Mean time down | — (network faults take no node down) |"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report with network faults only lacks %q", want)
		}
	}
}
