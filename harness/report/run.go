package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"stegocloud/internal/atomicfile"

	"stegocloud/harness/plot"
	"stegocloud/harness/rundir"
)

// Output is what Run wrote.
type Output struct {
	Data    *rundir.Run
	Report  string   // path of report.md
	Figures []string // paths of the figure files written
	Skipped []string // figures left out, with the reason
	// Warnings are the warnings report.md lists: the summary's, the
	// unreadable files', and the figures left out.
	Warnings []string
}

// Run regenerates the figures (when withFigures) and report.md of the
// run directory dir from its stored files alone; it is what `stegocloud
// report` runs. report.md is replaced atomically: a failure leaves the
// previous one intact.
func Run(dir string, withFigures bool) (*Output, error) {
	d, err := rundir.Load(dir)
	if err != nil {
		return nil, err
	}
	return write(dir, d, withFigures)
}

// RunDigested is Run for a run that has just finished: its analysis digested
// events.jsonl already (analyze.Analysis.Log), so the file is not read again.
func RunDigested(dir string, withFigures bool, events *rundir.EventDigest) (*Output, error) {
	d, err := rundir.LoadDigested(dir, events)
	if err != nil {
		return nil, err
	}
	return write(dir, d, withFigures)
}

func write(dir string, d *rundir.Run, withFigures bool) (*Output, error) {
	out := &Output{Data: d, Report: filepath.Join(dir, rundir.FileReport)}
	rc := newRunReport(d) // the figures, built once
	var figErr error
	if withFigures {
		// A figure that fails to render must not cost the report: write it
		// anyway and return the figure error after.
		out.Skipped = rc.skipped
		out.Figures, figErr = plot.WriteFigures(rc.figures, filepath.Join(dir, rundir.DirFigures))
	}
	out.Warnings = rc.warnings
	var buf bytes.Buffer
	if err := rc.write(&buf); err != nil {
		return out, errors.Join(figErr, err)
	}
	if _, err := atomicfile.Replace(out.Report, 0o644, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return out, errors.Join(figErr, fmt.Errorf("writing %s: %w", out.Report, err))
	}
	return out, figErr
}
