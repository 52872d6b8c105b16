package experiment

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Load reads and parses an experiment file; see Parse.
func Load(path string) (*Experiment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading experiment: %w", err)
	}
	return Parse(path, data)
}

// Parse reads one experiment from data. name is the file name used in error
// messages and, without directory and extension, the default experiment name.
//
// Parsing is strict: unknown keys, values of the wrong type, bare numbers
// where a duration is due, out-of-range values and matrix values that make a
// variant invalid are all errors. Every problem found is reported, joined, each
// a *FieldError with file, line and field path, all wrapping
// ErrInvalidExperiment, in line order. Values with the wrong form are left out
// and the rest is still range-checked, so one pass finds both kinds. Absent
// keys keep DefaultExperiment's values.
func Parse(name string, data []byte) (*Experiment, error) {
	root, err := parseDocument(name, data)
	if err != nil {
		return nil, err
	}
	c := &checker{file: name, lines: map[string]int{}}
	c.check(root, experimentType, "")
	e := DefaultExperiment()
	if len(c.errs) == 0 {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(e); err != nil {
			// The checker above mirrors the decoder; reaching this is a gap in it.
			return nil, &FieldError{File: name, Msg: "while decoding: " + err.Error()}
		}
	} else if err := root.Decode(e); err != nil {
		// Range-check what is left only if it decodes; the problems found
		// so far are reported either way.
		return nil, c.errs.join()
	}
	e.normalize(name)
	fe := e.validate()
	if len(fe) == 0 && len(c.errs) == 0 {
		fe = e.checkVariants()
	}
	all := c.errs
	for _, f := range fe {
		if c.pruned(f.Path) {
			continue // already reported as unusable; its default says nothing
		}
		f.File, f.Line = name, c.lineFor(f.Path)
		all = append(all, f)
	}
	slices.SortStableFunc(all, func(a, b *FieldError) int { return cmp.Compare(lineKey(a.Line), lineKey(b.Line)) })
	if err := all.join(); err != nil {
		return nil, err
	}
	return e, nil
}

// lineKey orders errors by line, those without one last.
func lineKey(line int) int {
	if line <= 0 {
		return math.MaxInt
	}
	return line
}

// YAML writes the experiment with every field spelled out, as the run
// directory's experiment.yaml; Parse reads it back to an equal Experiment.
func (e *Experiment) YAML() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# Resolved experiment: every default filled in. Parse it back with stegocloud.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("writing experiment %q as YAML: %w", e.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("writing experiment %q as YAML: %w", e.Name, err)
	}
	return buf.Bytes(), nil
}

// normalize fills what only the file can tell (the name) and turns empty lists
// into nil so that a written and re-read experiment compares equal.
func (e *Experiment) normalize(file string) {
	if e.Name == "" {
		base := filepath.Base(file)
		e.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if len(e.Cluster.Addrs) == 0 {
		e.Cluster.Addrs = nil
	}
	if len(e.Cluster.Load.Bases) == 0 {
		e.Cluster.Load.Bases = nil
	}
	if len(e.Faults.Schedule) == 0 {
		e.Faults.Schedule = nil
	}
	if len(e.Matrix) == 0 {
		e.Matrix = nil
	}
}

// parseDocument returns the top mapping of the only YAML document in data.
func parseDocument(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", name, ErrEmptyExperiment)
		}
		return nil, syntaxError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			return nil, syntaxError(name, err)
		}
		return nil, &FieldError{File: name, Line: line, Msg: "more than one YAML document (---); keep one experiment per file"}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, fmt.Errorf("%s: %w", name, ErrEmptyExperiment)
	}
	if root.Kind != yaml.MappingNode {
		return nil, &FieldError{File: name, Line: root.Line, Msg: "want a mapping of experiment fields (name:, cluster:, workload:, …), got " + describeNode(root)}
	}
	return root, nil
}

var yamlLinePrefix = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns "yaml: line 3: did not find expected key" into a
// FieldError placed on that line.
func syntaxError(name string, err error) error {
	msg := err.Error()
	fe := &FieldError{File: name, Msg: strings.TrimPrefix(msg, "yaml: ")}
	if m := yamlLinePrefix.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		fe.Msg = msg[len(m[0]):]
	}
	fe.Msg = "YAML syntax: " + fe.Msg
	return fe
}
