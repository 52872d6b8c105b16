package harness

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"stegocloud/harness/rundir"

	"stegocloud/harness/plot"
)

// ReportOutput is what ReportRun wrote.
type ReportOutput struct {
	Data    *rundir.Run
	Report  string   // path of report.md
	Figures []string // paths of the figure files written
	Skipped []string // figures left out, with the reason
	// Warnings are the warnings report.md lists: the summary's, the
	// unreadable files', and the figures left out.
	Warnings []string
}

// ReportRun regenerates the figures (when withFigures) and report.md of the
// run directory dir from its stored files alone. It is what `stegocloud
// report` runs, and what a finished run calls to write its own report.
// report.md is replaced atomically: a failure leaves the previous one intact.
func ReportRun(dir string, withFigures bool) (*ReportOutput, error) {
	d, err := rundir.Load(dir)
	if err != nil {
		return nil, err
	}
	out := &ReportOutput{Data: d, Report: filepath.Join(dir, rundir.FileReport)}
	rc := newReportContext(d) // the figures, built once
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
	if err := reportReplaceFile(out.Report, buf.Bytes()); err != nil {
		return out, errors.Join(figErr, fmt.Errorf("writing %s: %w", out.Report, err))
	}
	return out, figErr
}

// reportReplaceFile writes b to a temporary file beside path and renames it
// over path.
func reportReplaceFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
