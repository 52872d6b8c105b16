package experiment

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Toggle is a switch with a default that depends on the rest of the file:
// auto (the zero value), true or false.
type Toggle int8

const (
	ToggleAuto Toggle = iota
	ToggleOn
	ToggleOff
)

func (t Toggle) String() string {
	switch t {
	case ToggleOn:
		return "true"
	case ToggleOff:
		return "false"
	}
	return "auto"
}

// UnmarshalYAML reads true, false or auto.
func (t *Toggle) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		switch {
		case n.Value == "auto":
			*t = ToggleAuto
			return nil
		case n.ShortTag() == "!!bool":
			var b bool
			if err := n.Decode(&b); err == nil {
				*t = ToggleOff
				if b {
					*t = ToggleOn
				}
				return nil
			}
		}
	}
	return badValuef("want true, false or auto, got %s", describeNode(n))
}

// MarshalYAML writes auto by name and the others as booleans.
func (t Toggle) MarshalYAML() (any, error) {
	if t == ToggleAuto {
		return "auto", nil
	}
	return t == ToggleOn, nil
}

// LinkSpec is an undirected peer link between two nodes, written "1-2" or
// "coordinator-3": both directions of traffic between them.
type LinkSpec [2]NodeSelector

func (l LinkSpec) String() string { return l[0].String() + "-" + l[1].String() }

func parseLinkSpec(s string) (LinkSpec, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	x, okA := parseNodeSelector(strings.TrimSpace(a))
	y, okB := parseNodeSelector(strings.TrimSpace(b))
	switch {
	case !ok || !okA || !okB || x == SelectOthers || y == SelectOthers:
		return LinkSpec{}, badValuef("link %q: write a peer link as two node ids (or coordinator) joined by '-', e.g. \"1-2\"", s)
	case x == y:
		return LinkSpec{}, badValuef("link %q joins a node to itself", s)
	}
	return LinkSpec{x, y}, nil
}

// Links are the peer links a latency or reset fault acts on: every one
// (written `all`, and the meaning of an absent links:) or a list of
// LinkSpecs. The zero value is "not written".
type Links struct {
	All  bool
	List []LinkSpec
}

// IsZero lets omitempty leave out links that were not written.
func (l Links) IsZero() bool { return !l.All && len(l.List) == 0 }

// UnmarshalYAML reads `all` or a list of "i-j" links.
func (l *Links) UnmarshalYAML(n *yaml.Node) error {
	switch {
	case n.Kind == yaml.ScalarNode && n.Value == "all":
		*l = Links{All: true}
		return nil
	case n.Kind == yaml.SequenceNode && len(n.Content) > 0:
		out := Links{}
		seen := map[[2]NodeSelector]bool{}
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode {
				return badValuef("want links such as \"1-2\", got %s", describeNode(e))
			}
			ls, err := parseLinkSpec(e.Value)
			if err != nil {
				return err
			}
			key := [2]NodeSelector{min(ls[0], ls[1]), max(ls[0], ls[1])}
			if seen[key] {
				return badValuef("link %q is listed twice", e.Value)
			}
			seen[key] = true
			out.List = append(out.List, ls)
		}
		*l = out
		return nil
	}
	return badValuef("want all or a list of peer links such as [1-2, 2-3], got %s", describeNode(n))
}

// MarshalYAML writes all or the list on one line.
func (l Links) MarshalYAML() (any, error) {
	if l.All || len(l.List) == 0 {
		return "all", nil
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, ls := range l.List {
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: ls.String()})
	}
	return seq, nil
}

func (l Links) String() string {
	if l.All || len(l.List) == 0 {
		return "all"
	}
	parts := make([]string, len(l.List))
	for i, ls := range l.List {
		parts[i] = ls.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Bandwidth is a rate in bytes per second, written with a unit:
// "500B/s", "64KB/s", "1MB/s", "1MiB/s" (KB = 1000 bytes, KiB = 1024).
type Bandwidth int64

var bandwidthUnits = []struct {
	name  string
	bytes int64
}{{"GiB", 1 << 30}, {"GB", 1e9}, {"MiB", 1 << 20}, {"MB", 1e6}, {"KiB", 1 << 10}, {"KB", 1e3}, {"kB", 1e3}, {"B", 1}}

// ParseBandwidth reads "N<unit>/s".
func ParseBandwidth(s string) (Bandwidth, error) {
	v, ok := strings.CutSuffix(strings.TrimSpace(s), "/s")
	if ok {
		for _, u := range bandwidthUnits {
			num, found := strings.CutSuffix(v, u.name)
			if !found {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil || n <= 0 || n > (1<<62)/u.bytes {
				break
			}
			return Bandwidth(n * u.bytes), nil
		}
	}
	return 0, badValuef("%q is not a bandwidth; write a whole number of B, KB, MB, KiB or MiB per second, e.g. \"1MB/s\"", s)
}

func (b Bandwidth) String() string {
	for _, u := range bandwidthUnits {
		if u.name != "kB" && int64(b)%u.bytes == 0 && int64(b) >= u.bytes {
			return strconv.FormatInt(int64(b)/u.bytes, 10) + u.name + "/s"
		}
	}
	return strconv.FormatInt(int64(b), 10) + "B/s"
}

// UnmarshalYAML reads "N<unit>/s".
func (b *Bandwidth) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return badValuef("want a bandwidth such as \"1MB/s\", got %s", describeNode(n))
	}
	if tag := n.ShortTag(); tag == "!!int" || tag == "!!float" {
		return badValuef("%s is a bare number; add a unit, e.g. \"%sKB/s\"", n.Value, n.Value)
	}
	v, err := ParseBandwidth(n.Value)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// MarshalYAML writes the bandwidth with the largest unit that divides it.
func (b Bandwidth) MarshalYAML() (any, error) { return b.String(), nil }
