package harness

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"stegocloud/harness/rundir"
)

// DesignReadme is the design-document report's file in its output directory.
const DesignReadme = "README.md"

// DesignOptions configure DesignReport.
type DesignOptions struct {
	Results string // results root; default "results"
	Out     string // output directory; default "reports"
	Sources string // the declared set; default Out/sources.yaml
	// NoCollect regenerates from Out/data and Out/figures as they are,
	// without copying from Results.
	NoCollect bool
}

func (o *DesignOptions) defaults() {
	if o.Results == "" {
		o.Results = "results"
	}
	if o.Out == "" {
		o.Out = "reports"
	}
	if o.Sources == "" {
		o.Sources = filepath.Join(o.Out, DesignSourcesFile)
	}
}

// DesignOutcome is what DesignReport did.
type DesignOutcome struct {
	Sources   DesignSources
	Collected []CollectResult // per experiment of the set
	Figures   []string        // figures drawn for the README
	README    string          // its path
	Warnings  []string        // as listed in the README
}

// DesignReport regenerates Out/README.md: it copies the latest complete run
// of every declared experiment from Results into Out/data and Out/figures
// (CollectDesignData), reads them back (LoadDesignData), draws the README's
// own figures and writes the README, replaced atomically.
func DesignReport(opts DesignOptions) (*DesignOutcome, error) {
	opts.defaults()
	src, err := LoadDesignSources(opts.Sources)
	if err != nil {
		return nil, err
	}
	out := &DesignOutcome{Sources: src, README: filepath.Join(opts.Out, DesignReadme)}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, fmt.Errorf("writing the design report: %w", err)
	}
	if !opts.NoCollect {
		out.Collected, err = CollectDesignData(opts.Results, opts.Out, src)
		if err != nil {
			return out, err
		}
	}
	d, err := LoadDesignData(opts.Out, src)
	if err != nil {
		return out, err
	}
	out.Figures, err = WriteDesignFigures(d, opts.Out)
	if err != nil {
		return out, err
	}
	out.Warnings = d.Warnings
	var buf bytes.Buffer
	if err := WriteDesignReport(&buf, d); err != nil {
		return out, err
	}
	if _, err := rundir.WriteFileAtomic(out.README, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return out, fmt.Errorf("writing %s: %w", out.README, err)
	}
	return out, nil
}
