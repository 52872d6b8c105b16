package design

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"stegocloud/internal/atomicfile"
)

// ReadmeFile is the design-document report's file in its output directory.
const ReadmeFile = "README.md"

// Options configure Report.
type Options struct {
	Results string // results root; default "results"
	Out     string // output directory; default "reports"
	Sources string // the declared set; default Out/sources.yaml
	// NoCollect regenerates from Out/data and Out/figures as they are,
	// without copying from Results.
	NoCollect bool
}

func (o *Options) defaults() {
	if o.Results == "" {
		o.Results = "results"
	}
	if o.Out == "" {
		o.Out = "reports"
	}
	if o.Sources == "" {
		o.Sources = filepath.Join(o.Out, SourcesFile)
	}
}

// Outcome is what Report did.
type Outcome struct {
	Sources   Sources
	Collected []CollectResult // per experiment of the set
	Figures   []string        // figures drawn for the README
	README    string          // its path
	Warnings  []string        // as listed in the README
}

// Report regenerates Out/README.md: it copies the latest complete run
// of every declared experiment from Results into Out/data and Out/figures
// (Collect), reads them back (Load), draws the README's
// own figures and writes the README, replaced atomically.
func Report(opts Options) (*Outcome, error) {
	opts.defaults()
	src, err := LoadSources(opts.Sources)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Sources: src, README: filepath.Join(opts.Out, ReadmeFile)}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, fmt.Errorf("writing the design report: %w", err)
	}
	if !opts.NoCollect {
		out.Collected, err = Collect(opts.Results, opts.Out, src)
		if err != nil {
			return out, err
		}
	}
	d, err := Load(opts.Out, src)
	if err != nil {
		return out, err
	}
	out.Figures, err = WriteFigures(d, opts.Out)
	if err != nil {
		return out, err
	}
	out.Warnings = d.Warnings
	var buf bytes.Buffer
	if err := WriteReadme(&buf, d); err != nil {
		return out, err
	}
	if _, err := atomicfile.Replace(out.README, 0o644, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return out, fmt.Errorf("writing %s: %w", out.README, err)
	}
	return out, nil
}
