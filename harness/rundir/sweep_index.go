package rundir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"stegocloud/harness/experiment"
)

// SweepIndexVersion is the sweep.json schema version this package writes and
// reads; a reader refuses other versions rather than guess.
const SweepIndexVersion = 1

// SweepIndexFile is the index's file name inside a sweep directory.
const SweepIndexFile = "sweep.json"

// SweepIndex is sweep.json, the index of a sweep directory: which experiment
// fields the matrix swept and where each variant's run set lives.
//
//	{
//	  "version": 1,
//	  "experiment": "balancers",
//	  "fields": ["cluster.balancer", "cluster.nodes"],
//	  "variants": [
//	    {"label": "balancer=random,nodes=5",
//	     "values": {"cluster.balancer": "random", "cluster.nodes": "5"},
//	     "path": "balancer=random,nodes=5",
//	     "repeat": 5},
//	    …
//	  ]
//	}
type SweepIndex struct {
	Version    int    `json:"version"`    // SweepIndexVersion
	Experiment string `json:"experiment"` // the experiment's name
	// Fields are the swept fields as dotted paths into the experiment file,
	// in the matrix's order; the first numeric one is the x axis of figures.
	Fields   []string       `json:"fields"`
	Variants []SweepVariant `json:"variants"` // in the order they ran
}

// SweepVariant is one point of the matrix.
type SweepVariant struct {
	Label string `json:"label"` // VariantLabel of its values; unique in the sweep
	// Values holds the value of every swept field, as the matrix wrote it in
	// YAML ("5", "round-robin", "50ms", "150/s").
	Values map[string]string `json:"values"`
	// Path is the variant's run set, relative to the sweep directory and
	// inside it; normally the label.
	Path   string `json:"path"`
	Repeat int    `json:"repeat"` // runs the set holds (1: a single run)
}

// Validate reports the first inconsistency of the index, naming the variant.
func (idx *SweepIndex) Validate() error {
	switch {
	case idx.Version != SweepIndexVersion:
		return fmt.Errorf("%w: version %d, this build reads version %d", ErrSweepIndex, idx.Version, SweepIndexVersion)
	case idx.Experiment == "":
		return fmt.Errorf("%w: no experiment name", ErrSweepIndex)
	case len(idx.Fields) == 0:
		return fmt.Errorf("%w: no swept fields", ErrSweepIndex)
	case len(idx.Variants) == 0:
		return fmt.Errorf("%w: no variants", ErrSweepIndex)
	}
	for i, f := range idx.Fields {
		if f == "" || slices.Contains(idx.Fields[:i], f) {
			return fmt.Errorf("%w: fields %q: empty or repeated field %q", ErrSweepIndex, idx.Fields, f)
		}
	}
	labels, paths, combos := map[string]bool{}, map[string]bool{}, map[string]string{}
	for i, v := range idx.Variants {
		if err := idx.validateVariant(v); err != nil {
			return fmt.Errorf("%w: variant %d (%q): %v", ErrSweepIndex, i+1, v.Label, err)
		}
		combo := experiment.VariantLabel(idx.Fields, v.Values)
		switch {
		case labels[v.Label]:
			return fmt.Errorf("%w: variant %d: label %q used twice", ErrSweepIndex, i+1, v.Label)
		case paths[filepath.Clean(v.Path)]:
			return fmt.Errorf("%w: variant %d: path %q used twice", ErrSweepIndex, i+1, v.Path)
		case combos[combo] != "":
			return fmt.Errorf("%w: variant %d (%q) has the same values as %q", ErrSweepIndex, i+1, v.Label, combos[combo])
		}
		labels[v.Label], paths[filepath.Clean(v.Path)], combos[combo] = true, true, v.Label
	}
	return nil
}

func (idx *SweepIndex) validateVariant(v SweepVariant) error {
	switch {
	case v.Label == "":
		return errors.New("no label")
	case v.Path == "" || !filepath.IsLocal(v.Path):
		return fmt.Errorf("path %q is not a relative path inside the sweep directory", v.Path)
	case v.Repeat < 1:
		return fmt.Errorf("repeat %d, want ≥ 1", v.Repeat)
	case len(v.Values) != len(idx.Fields):
		return fmt.Errorf("%d values for %d swept fields %q", len(v.Values), len(idx.Fields), idx.Fields)
	}
	for _, f := range idx.Fields {
		if _, ok := v.Values[f]; !ok {
			return fmt.Errorf("no value for swept field %q", f)
		}
	}
	return nil
}

// WriteSweepIndex validates idx and writes it as indented JSON.
func WriteSweepIndex(w io.Writer, idx SweepIndex) error {
	if err := idx.Validate(); err != nil {
		return fmt.Errorf("writing sweep index: %w", err)
	}
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return fmt.Errorf("writing sweep index: %w", err)
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("writing sweep index: %w", err)
	}
	return nil
}

// ReadSweepIndex reads and validates a sweep index. Unknown fields are
// errors: an index from a newer schema must not be half understood.
func ReadSweepIndex(r io.Reader) (SweepIndex, error) {
	var idx SweepIndex
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&idx); err != nil {
		return idx, fmt.Errorf("reading sweep index: %w: %v", ErrSweepIndex, err)
	}
	if dec.More() {
		return idx, fmt.Errorf("reading sweep index: %w: data after the JSON object", ErrSweepIndex)
	}
	if err := idx.Validate(); err != nil {
		return idx, fmt.Errorf("reading sweep index: %w", err)
	}
	return idx, nil
}

// SaveSweepIndex writes idx as dir/sweep.json.
func SaveSweepIndex(dir string, idx SweepIndex) error {
	var buf bytes.Buffer
	if err := WriteSweepIndex(&buf, idx); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, SweepIndexFile), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("saving sweep index: %w", err)
	}
	return nil
}

// LoadSweepIndex reads dir/sweep.json.
func LoadSweepIndex(dir string) (SweepIndex, error) {
	f, err := os.Open(filepath.Join(dir, SweepIndexFile))
	if err != nil {
		return SweepIndex{}, fmt.Errorf("loading sweep index: %w", err)
	}
	defer f.Close()
	idx, err := ReadSweepIndex(f)
	if err != nil {
		return idx, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return idx, nil
}

// SweepIndexFor is the sweep.json of an expanded experiment with a matrix:
// its swept fields in matrix order and one entry per matrix point, in run
// order, whose run set lives in the directory named by its label.
func SweepIndexFor(e *experiment.Experiment, variants []experiment.Variant) (SweepIndex, error) {
	idx := SweepIndex{Version: SweepIndexVersion, Experiment: e.Name}
	for _, a := range e.Matrix {
		idx.Fields = append(idx.Fields, a.Field)
	}
	seen := map[string]bool{}
	for _, v := range variants {
		if seen[v.Label] {
			continue
		}
		seen[v.Label] = true
		values := make(map[string]string, len(v.Params))
		for _, p := range v.Params {
			values[p.Field] = p.Value
		}
		idx.Variants = append(idx.Variants, SweepVariant{Label: v.Label, Values: values, Path: v.Label, Repeat: e.Repeat})
	}
	if err := idx.Validate(); err != nil {
		return SweepIndex{}, fmt.Errorf("indexing the sweep of %q: %w", e.Name, err)
	}
	return idx, nil
}
