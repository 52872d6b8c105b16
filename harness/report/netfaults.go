package report

import (
	"fmt"
	"strconv"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

// netFaultList is a row per network fault: what it cut (resolved nodes),
// when, and for how long.
func netFaultList(rw *markdown.Writer, rc *runReport) {
	windows := rc.d.NetFaultWindows()
	if len(windows) == 0 {
		return
	}
	rw.Line("Network faults (seconds since the load start; the proxies held the bytes they cut and delivered them at the end):\n")
	var rows [][]string
	for i, w := range windows {
		if i == listLimit {
			break
		}
		lasted := Sec(w.End.Sub(w.Start).Seconds())
		if !w.End.After(w.Start) {
			lasted = "at once"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), w.Kind, w.What,
			strconv.FormatFloat(rc.d.Seconds(w.Start), 'f', 2, 64), strconv.FormatFloat(rc.d.Seconds(w.End), 'f', 2, 64), lasted, w.Source})
	}
	rw.Table([]string{"#", "kind", "what", "start", "end", "lasted", "from"}, rows)
	if n := len(windows) - listLimit; n > 0 {
		rw.Printf("… and %d more.\n\n", n)
	}
}

// proxyRow sums up what the fault proxies carried; nil without proxies.
func proxyRow(p *rundir.ProxySummary) []string {
	if p == nil {
		return nil
	}
	return []string{"Fault proxies", fmt.Sprintf("%d links, %d connections, %.1f MB delivered; %d chunks held by cuts (at most %d bytes waiting on one link); %d connections reset, %d refused, %d dials to a node that was down",
		p.Links, p.Accepted, float64(p.Bytes)/1e6, p.HeldChunks, p.MaxBuffered, p.Resets, p.Refused, p.DialFailures)}
}
