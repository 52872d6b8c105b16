package experiment

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	yaml "go.yaml.in/yaml/v3"
)

// Rate is a request rate written "N/unit": "150/s", "10/100ms", "1/2s". N is
// a whole number, as in vegeta; a fractional rate is written with a longer
// unit (0.5/s is "1/2s").
type Rate struct {
	Freq int           // requests …
	Per  time.Duration // … per this long
}

// ParseRate parses "N/unit". The unit is a Go duration ("100ms", "2s") or a
// bare unit name meaning one of it ("s", "ms", "m", "h").
func ParseRate(s string) (Rate, error) {
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, badValuef("%q is not a rate; write it as N/unit, e.g. \"150/s\"", s)
	}
	freq, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil {
		return Rate{}, badValuef("rate %q: %q is not a whole number of requests (write 0.5/s as 1/2s)", s, num)
	}
	unit = strings.TrimSpace(unit)
	per, err := time.ParseDuration(unit)
	if err != nil {
		per, err = time.ParseDuration("1" + unit)
	}
	if err != nil {
		return Rate{}, badValuef("rate %q: %q is not a time unit such as s, ms or 100ms", s, unit)
	}
	if freq <= 0 || per <= 0 {
		return Rate{}, badValuef("rate %q must be positive", s)
	}
	return Rate{Freq: freq, Per: per}, nil
}

// IsZero reports whether the rate is unset.
func (r Rate) IsZero() bool { return r.Freq == 0 && r.Per == 0 }

// PerSecond is the rate in requests per second.
func (r Rate) PerSecond() float64 {
	if r.Per <= 0 {
		return 0
	}
	return float64(r.Freq) / r.Per.Seconds()
}

// String writes the rate the way ParseRate reads it.
func (r Rate) String() string {
	if r.IsZero() {
		return ""
	}
	for _, u := range []struct {
		name string
		d    time.Duration
	}{{"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}, {"us", time.Microsecond}, {"ns", time.Nanosecond}} {
		if r.Per == u.d {
			return strconv.Itoa(r.Freq) + "/" + u.name
		}
	}
	return strconv.Itoa(r.Freq) + "/" + r.Per.String()
}

func (r Rate) vegeta() vegeta.Rate { return vegeta.Rate{Freq: r.Freq, Per: r.Per} }

// UnmarshalYAML reads a rate from a scalar such as "150/s".
func (r *Rate) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return badValuef("want a rate such as \"150/s\", got %s", describeNode(n))
	}
	v, err := ParseRate(n.Value)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalYAML writes the rate as "N/unit".
func (r Rate) MarshalYAML() (any, error) { return r.String(), nil }

// Span is a closed range of durations, written [min, max]; a single duration
// d means [d, d].
type Span struct {
	Min time.Duration
	Max time.Duration
}

// UnmarshalYAML reads [min, max] or a single duration.
func (s *Span) UnmarshalYAML(n *yaml.Node) error {
	var parts []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		parts = []*yaml.Node{n, n}
	case yaml.SequenceNode:
		parts = n.Content
	}
	if len(parts) != 2 {
		return badValuef("want [min, max] such as [10s, 20s], got %s", describeNode(n))
	}
	var out [2]time.Duration
	for i, p := range parts {
		d, err := durationOf(p)
		if err != nil {
			return err
		}
		out[i] = d
	}
	*s = Span{Min: out[0], Max: out[1]}
	return nil
}

// MarshalYAML writes [min, max] on one line.
func (s Span) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: s.Min.String()},
		{Kind: yaml.ScalarNode, Value: s.Max.String()},
	}}, nil
}

func (s Span) String() string { return "[" + s.Min.String() + ", " + s.Max.String() + "]" }

// NodeSelector names a node a scheduled fault acts on: a node id (from 1),
// SelectCoordinator, resolved to whichever node coordinates when the fault is
// due, or — in a network fault's groups, from and to only — SelectOthers,
// every node the fault names nowhere else. The zero value selects nothing.
type NodeSelector int

const (
	// SelectCoordinator is written `coordinator`.
	SelectCoordinator NodeSelector = -1
	// SelectOthers is written `others`.
	SelectOthers NodeSelector = -2
)

const (
	CoordinatorName = "coordinator"
	OthersName      = "others"
)

// String writes the selector the way the experiment file spells it.
func (s NodeSelector) String() string {
	switch s {
	case SelectCoordinator:
		return CoordinatorName
	case SelectOthers:
		return OthersName
	}
	return strconv.Itoa(int(s))
}

// parseNodeSelector reads "coordinator", "others" or a node id ≥ 1.
func parseNodeSelector(v string) (NodeSelector, bool) {
	switch v {
	case CoordinatorName:
		return SelectCoordinator, true
	case OthersName:
		return SelectOthers, true
	}
	if id, err := strconv.Atoi(v); err == nil && id >= 1 {
		return NodeSelector(id), true
	}
	return 0, false
}

// UnmarshalYAML reads a node id, "coordinator" or "others" (which
// validation allows only where a fault can name several nodes).
func (s *NodeSelector) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if v, ok := parseNodeSelector(n.Value); ok {
			*s = v
			return nil
		}
	}
	return badValuef("want a node id (1, 2, …), %q or %q, got %s", CoordinatorName, OthersName, describeNode(n))
}

// MarshalYAML writes the id as a number and the selectors by name.
func (s NodeSelector) MarshalYAML() (any, error) {
	if s < 0 {
		return s.String(), nil
	}
	return int(s), nil
}

// MarshalJSON writes the id as a number and the selectors by name, as
// schedule.json spells them.
func (s NodeSelector) MarshalJSON() ([]byte, error) {
	if s < 0 {
		return []byte(strconv.Quote(s.String())), nil
	}
	return []byte(strconv.Itoa(int(s))), nil
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *NodeSelector) UnmarshalJSON(b []byte) error {
	v := string(b)
	if u, err := strconv.Unquote(v); err == nil {
		v = u
	}
	sel, ok := parseNodeSelector(v)
	if !ok {
		return badValuef("want a node id, %q or %q, got %s", CoordinatorName, OthersName, b)
	}
	*s = sel
	return nil
}

// Matrix is the sweep of an experiment: each Axis names a scalar field by its
// path ("cluster.balancer") and lists the values to try. Axes keep the order
// of the file, so variant labels and run order are stable.
type Matrix []Axis

// Axis is one dimension of a Matrix. Values are kept as the plain text of the
// YAML scalars and decoded into the field's type when a variant is built.
type Axis struct {
	Field  string
	Values []string
}

// UnmarshalYAML reads a mapping from field path to a list of scalars.
func (m *Matrix) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return badValuef("want a mapping from field path to a list of values, got %s", describeNode(n))
	}
	var out Matrix
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return badValuef("matrix field %q listed twice", k.Value)
		}
		seen[k.Value] = true
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return badValuef("matrix[%s]: want a non-empty list of values, got %s", k.Value, describeNode(v))
		}
		axis := Axis{Field: k.Value}
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				return badValuef("matrix[%s]: values must be scalars, got %s", k.Value, describeNode(e))
			}
			axis.Values = append(axis.Values, e.Value)
		}
		out = append(out, axis)
	}
	*m = out
	return nil
}

// MarshalYAML writes the matrix back as a mapping of one-line lists.
func (m Matrix) MarshalYAML() (any, error) {
	out := &yaml.Node{Kind: yaml.MappingNode}
	for _, a := range m {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, v := range a.Values {
			seq.Content = append(seq.Content, plainScalar(v))
		}
		out.Content = append(out.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: a.Field}, seq)
	}
	return out, nil
}

// plainScalar is a scalar node for text that must read back as the same text
// and resolve to the same type; it is quoted only when plain YAML would change
// it (": ", "#", leading spaces, …).
func plainScalar(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: v}
	var back yaml.Node
	if data, err := yaml.Marshal(n); err != nil || yaml.Unmarshal(data, &back) != nil ||
		len(back.Content) != 1 || back.Content[0].Value != v {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// durationOf reads a YAML scalar as a Go duration, refusing bare numbers: 50
// could mean 50ns (what Go would read) or 50ms (what people mean).
func durationOf(n *yaml.Node) (time.Duration, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, badValuef("want a duration such as \"500ms\", got %s", describeNode(n))
	}
	if tag := n.ShortTag(); tag == "!!int" || tag == "!!float" {
		return 0, badValuef("%s is a bare number; add a unit, e.g. \"%sms\" or \"%ss\"", n.Value, n.Value, n.Value)
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		return 0, badValuef("%q is not a duration; write e.g. \"500ms\", \"3s\" or \"1m30s\"", n.Value)
	}
	return d, nil
}

// describeNode names what a YAML node holds, with its article, for "want X,
// got Y" messages: the string "3", the number 2.5, the boolean true, nothing,
// a list of 2 items, a mapping, an alias (*x) of the number 3, a document. A
// quoted scalar is a string whatever it looks like, which is why "3" is no
// whole number.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!str":
			return "the string " + strconv.Quote(n.Value)
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return "the value " + strconv.Quote(n.Value) // a timestamp, binary, a custom tag
	case yaml.SequenceNode:
		if len(n.Content) == 1 {
			return "a list of 1 item"
		}
		return fmt.Sprintf("a list of %d items", len(n.Content))
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		s := "an alias (*" + n.Value + ")"
		if t := n.Alias; t != nil && t.Kind != yaml.AliasNode {
			s += " of " + describeNode(t)
		}
		return s
	case yaml.DocumentNode:
		return "a document"
	}
	return "an unknown kind of YAML node"
}
