package report

import (
	"fmt"
	"path"
	"strings"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

func verdictSection(rw *markdown.Writer, rc *runReport) {
	v := rc.s.Verdict
	rw.Line("## Checker's verdict\n")
	passed := 0
	for _, c := range v.Checks {
		if c.Pass {
			passed++
		}
	}
	rw.Printf("**%s** — %d of %d checks passed%s.\n\n", PassFail(v.Pass), passed, len(v.Checks), expectedText(v))
	if len(v.Checks) == 0 {
		rw.Line("The summary holds no checks.\n")
	} else {
		var rows [][]string
		for _, c := range v.Checks {
			rows = append(rows, []string{c.Name, checkResult(c), c.Detail})
		}
		rw.Table([]string{"check", "result", "detail"}, rows)
	}
	findingsSection(rw, v)
	rw.Line("### Warnings\n")
	if len(rc.warnings) == 0 {
		rw.Line("None.\n")
		return
	}
	for _, w := range rc.warnings {
		rw.Printf("- %s\n", w)
	}
	rw.Line("")
}

// CheckResult is a check's raw status, and whether the experiment
// expected it to fail: "PASS", "FAIL", "FAIL (expected anomaly found)",
// "PASS (expected anomaly not found)".
func CheckResult(c rundir.Check) string { return checkResult(c) }

func checkResult(c rundir.Check) string {
	switch {
	case c.Expected && !c.Pass:
		return "FAIL (expected anomaly found)"
	case c.Expected:
		return "PASS (expected anomaly not found)"
	}
	return PassFail(c.Pass)
}

// expectedText says how the expected anomalies came out: "; 1 expected
// anomaly found (single_coordinator)".
func expectedText(v rundir.Verdict) string {
	var found, missed []string
	for _, c := range v.Checks {
		switch {
		case c.Expected && !c.Pass:
			found = append(found, c.Name)
		case c.Expected:
			missed = append(missed, c.Name)
		}
	}
	s := ""
	if len(found) > 0 {
		s += fmt.Sprintf("; %s (%s)", plural(len(found), "expected anomaly found", "expected anomalies found"), strings.Join(found, ", "))
	}
	if len(missed) > 0 {
		s += fmt.Sprintf("; %s (%s)", plural(len(missed), "expected anomaly not found", "expected anomalies not found"), strings.Join(missed, ", "))
	}
	return s
}

// figureCaptions say what each figure shows, for a reader who only has
// the report.
var figureCaptions = map[string]string{
	"latency_spectrum": "Latency by percentile (HdrHistogram style): the x axis stretches the tail, so 99% and 99.9% get as much room as the median. The 100th percentile is left out (it lies at infinity on this axis); the maximum is in the latency table.",
	"timeline":         "Latency (p50, p99 per bucket) and throughput (successful and failed requests per second) over the run. Shaded: each node's fault windows, in its colour. Dashed lines: decided elections. Latency lines break where no request ended.",
	"nodes":            "Requests per node: served (responses the clients accepted) and completed by the node's own log, which includes work nobody waited for. The dashed line is the even share.",
	"load":             "Each node's load as it logged it (downsampled means), with the coordinator of each period as a band along the top in the coordinator's colour. Lines break where a node logged nothing.",
}

func figuresSection(rw *markdown.Writer, rc *runReport) {
	rw.Line("## Figures\n")
	if len(rc.figures) == 0 {
		rw.Line("The run holds no data for any figure.")
		return
	}
	for i, f := range rc.figures {
		rw.Printf("![%s](%s)\n\n", f.Name(), path.Join(rundir.DirFigures, f.Name()+".png"))
		rw.Printf("*%s* (also as [SVG](%s).)\n", figureCaptions[f.Name()], path.Join(rundir.DirFigures, f.Name()+".svg"))
		if i < len(rc.figures)-1 {
			rw.Line("")
		}
	}
}
