package report

import (
	"fmt"
	"io"
	"time"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
)

// Write writes the run's report.md: what ran, the seed's tables with
// measured values and the bounds beside them, latency, load distribution,
// load-balancing decisions, final node status, fault tolerance, the checker's
// verdict with every warning, and the figures (linked relative to the run
// directory, as WriteFigures writes them). It reads only d, so the same data
// always gives the same bytes.
func Write(w io.Writer, d *rundir.Run) error {
	return newRunReport(d).write(w)
}

// write writes the report of rc.
func (rc *runReport) write(w io.Writer) error {
	rw := markdown.NewWriter(w)
	sections := []func(*markdown.Writer, *runReport){
		header,
		whatRan,
		stressSection,
		latencySection,
		distributionSection,
		decisionsSection,
		finalStatusSection,
		faultsSection,
		tableSection,
		verdictSection,
		figuresSection,
	}
	for _, s := range sections {
		s(rw, rc)
	}
	if rw.Err() != nil {
		return fmt.Errorf("writing report: %w", rw.Err())
	}
	return nil
}

// runReport is the run plus what several sections derive from it.
type runReport struct {
	d        *rundir.Run
	s        *rundir.Summary
	loc      *time.Location // the zone the run's times were stored in
	figures  []plot.Figure  // built once: linked here and written by Run
	skipped  []string       // figures left out, with the reason
	warnings []string       // the summary's, the loader's, and the figures left out
}

func newRunReport(d *rundir.Run) *runReport {
	rc := &runReport{d: d, s: &d.Summary, loc: d.Summary.Start.Location()}
	rc.warnings = append(rc.warnings, d.Summary.Warnings...)
	rc.warnings = append(rc.warnings, d.Warnings...)
	rc.figures, rc.skipped = plot.Figures(d)
	rc.warnings = append(rc.warnings, rc.skipped...)
	return rc
}

func header(rw *markdown.Writer, rc *runReport) {
	s := rc.s
	rw.Printf("# Run report: %s / %s\n\n", s.Experiment, s.Run)
	if e := rc.d.Experiment; e != nil && e.Description != "" {
		rw.Printf("> %s\n\n", e.Description)
	}
	passed := 0
	for _, c := range s.Verdict.Checks {
		if c.Pass {
			passed++
		}
	}
	interrupted(rw, s)
	rw.Printf("**Verdict: %s** — %d of %d checks passed%s; %d of %d requests succeeded (%s) at %s.\n\n",
		PassFail(s.Verdict.Pass), passed, len(s.Verdict.Checks), expectedText(s.Verdict), s.Requests.OK, s.Requests.Total, Pct(s.SuccessRate), RPS(s.ThroughputRPS))
}

// interrupted is the banner of a run that was cut short: what it covers,
// what was never sent, and which nodes it left down.
func interrupted(rw *markdown.Writer, s *rundir.Summary) {
	in := s.Interrupted
	if in == nil {
		return
	}
	rw.Printf("> **Interrupted** %s after the load start (%s): every number below covers only the part of the run before it, and the verdict fails.",
		Sec(in.AtS), in.Cause)
	if n := s.Requests.Unsent; n > 0 {
		rw.Printf(" %d requests issued after the load stopped were never sent: they are counted as unsent, not as failed or lost.", n)
	}
	for _, d := range in.Down {
		rw.Printf(" Node %d was down (%s fault) when the run ended and was not brought back.", d.Node, d.Kind)
	}
	rw.Line("\n")
}

func whatRan(rw *markdown.Writer, rc *runReport) {
	s, info := rc.s, rc.d.Info
	rw.Line("## What ran\n")
	rows := [][]string{
		{"Experiment", s.Experiment},
		{"Run", s.Run},
		{"Workload", WorkloadLine(rc.d.Experiment, s.Mode)},
		{"Balancer", orDash(balancer(rc.d.Experiment))},
		{"Nodes", fmt.Sprint(rc.d.Nodes)},
	}
	if info != nil {
		rows = append(rows,
			[]string{"Commit", orDash(info.Commit)},
			[]string{"Go", fmt.Sprintf("%s %s/%s", info.GoVersion, info.OS, info.Arch)},
			[]string{"Machine", fmt.Sprintf("%s, %d cores (host %s)", orDash(info.CPUModel), info.CPUs, orDash(info.Host))},
			[]string{"Started", wallTime(info.Started, rc.loc)},
			[]string{"Ended", wallTime(info.Ended, rc.loc)},
			[]string{"Seed", fmt.Sprintf("%d (repeat %d)", info.Seed, info.Repeat)},
			[]string{"Command", "`" + joinArgs(info.Command) + "`"},
		)
	} else {
		rows = append(rows, []string{"Started", wallTime(s.Start, rc.loc)}, []string{"Ended", wallTime(s.End, rc.loc)})
	}
	rw.Table([]string{"", ""}, rows)
	if rc.d.Spec != "" {
		rw.Printf("The resolved experiment (`%s`):\n\n```yaml\n%s", rundir.FileExperiment, rc.d.Spec)
		if rc.d.Spec[len(rc.d.Spec)-1] != '\n' {
			rw.Line("")
		}
		rw.Line("```\n")
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
