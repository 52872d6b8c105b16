package experiment

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

var (
	experimentType  = reflect.TypeFor[Experiment]()
	durationType    = reflect.TypeFor[time.Duration]()
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	matrixType      = reflect.TypeFor[Matrix]()
)

// checker walks a YAML tree alongside the Go type it will decode into and
// records every problem with its line and field path, plus the line of every
// path it saw (for placing the errors Validate finds later). yaml.v3's own
// strict decoder stops at type names ("field x not found in type
// harness.Workload"); users need the path and all problems at once.
//
// It also prunes the tree: a key whose value is unusable (unknown, repeated,
// of the wrong type) is removed and its path noted in bad, so that the rest
// can still be decoded and range-checked in the same pass.
type checker struct {
	file  string
	lines map[string]int
	errs  fieldErrors
	bad   []string // paths removed from the tree
}

func (c *checker) fail(n *yaml.Node, path, format string, a ...any) {
	c.errs.addf(path, format, a...)
	last := c.errs[len(c.errs)-1]
	last.File, last.Line = c.file, n.Line
}

// check reports whether n can be decoded into a t; if not, the caller drops it.
func (c *checker) check(n *yaml.Node, t reflect.Type, path string) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		at := n.Line
		n = n.Alias
		if n.Kind == yaml.ScalarNode {
			// Place the value's problems at the alias, where the field
			// is, not at its anchor. (Only a scalar is copied: pruning
			// a mapping must change the node the decoder will read.)
			cp := *n
			cp.Line = at
			n = &cp
		}
	}
	if _, ok := c.lines[path]; !ok {
		c.lines[path] = n.Line
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		if t.Kind() != reflect.Struct && t.Kind() != reflect.Slice {
			c.fail(n, path, "no value given; give one or remove the key to keep the default")
			return false
		}
		return true
	}
	errs := len(c.errs)
	switch {
	case reflect.PointerTo(t).Implements(unmarshalerType):
		c.recordLines(n, path)
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			c.fail(n, path, "%v", err)
		}
	case t == durationType:
		if _, err := durationOf(n); err != nil {
			c.fail(n, path, "%v", err)
		}
	case t.Kind() == reflect.Struct:
		return c.checkStruct(n, t, path)
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		return c.checkMap(n, t, path)
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			c.fail(n, path, "want a list, got %s", describeNode(n))
			return false
		}
		ok := true
		for i, e := range n.Content {
			ok = c.check(e, t.Elem(), path+"["+strconv.Itoa(i)+"]") && ok
		}
		return ok // one unusable element makes the list unusable: indices must not shift
	default:
		c.checkScalar(n, t, path)
	}
	return len(c.errs) == errs
}

// checkStruct checks a mapping's keys and values, removing the pairs it
// cannot use; it reports false only when n is not a mapping at all.
func (c *checker) checkStruct(n *yaml.Node, t reflect.Type, path string) bool {
	if n.Kind != yaml.MappingNode {
		c.fail(n, path, "want a mapping of fields (%s), got %s", strings.Join(yamlFieldNames(t), ", "), describeNode(n))
		return false
	}
	seen := map[string]int{}
	kept := n.Content[:0:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := joinPath(path, k.Value)
		switch keep, known := c.checkPair(k, v, t, path, p, seen); {
		case keep:
			kept = append(kept, k, v)
		case known:
			c.bad = append(c.bad, p) // a real field lost its value
		}
	}
	n.Content = kept
	return true
}

// checkMap checks a mapping with free keys (plain names, each once) and
// values of t's element type; pairs it cannot use are removed.
func (c *checker) checkMap(n *yaml.Node, t reflect.Type, path string) bool {
	if n.Kind != yaml.MappingNode {
		c.fail(n, path, "want a mapping, got %s", describeNode(n))
		return false
	}
	seen := map[string]int{}
	kept := n.Content[:0:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := path + "[" + k.Value + "]"
		first, dup := seen[k.Value]
		switch {
		case k.Kind != yaml.ScalarNode || k.Value == "<<":
			c.fail(k, path, "keys must be plain names, got %s", describeNode(k))
			continue
		case dup:
			c.fail(k, p, "set twice (first at line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		c.lines[p] = k.Line
		if c.check(v, t.Elem(), p) {
			kept = append(kept, k, v)
		} else {
			c.bad = append(c.bad, p)
		}
	}
	n.Content = kept
	return true
}

// checkPair checks one key and its value: keep says the pair can be decoded,
// known that the key names a field of t (set once, as a plain name).
func (c *checker) checkPair(k, v *yaml.Node, t reflect.Type, path, p string, seen map[string]int) (keep, known bool) {
	switch first, dup := seen[k.Value]; {
	case k.Kind != yaml.ScalarNode:
		c.fail(k, path, "keys must be plain names, got %s", describeNode(k))
		return false, false
	case k.Value == "<<":
		c.fail(k, path, "merge keys (<<) are not supported; write the fields out")
		return false, false
	case dup:
		c.fail(k, p, "set twice (first at line %d)", first)
		return false, false
	}
	seen[k.Value] = k.Line
	f, ok := yamlField(t, k.Value)
	if !ok {
		c.fail(k, p, "unknown field%s; known here: %s", suggest(k.Value, yamlFieldNames(t)), strings.Join(yamlFieldNames(t), ", "))
		return false, false
	}
	c.lines[p] = k.Line
	return c.check(v, f.Type, p), true
}

// pruned reports whether a problem found at path after pruning says nothing
// new: path was removed from the tree or lies under a removed path, or it is a
// section that lost one of its fields (its cross-field checks saw a default
// where the file had a malformed value).
func (c *checker) pruned(path string) bool {
	for _, b := range c.bad {
		if path == b || isUnder(path, b) || isUnder(b, path) {
			return true
		}
	}
	return false
}

func isUnder(path, parent string) bool {
	return strings.HasPrefix(path, parent+".") || strings.HasPrefix(path, parent+"[")
}

func (c *checker) checkScalar(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		c.fail(n, path, "want a single value, got %s", describeNode(n))
		return
	}
	if t.Kind() == reflect.String {
		return
	}
	want, ok, known := scalarFits(t, n.ShortTag())
	if !known {
		c.fail(n, path, "cannot be set from YAML (%s)", t)
		return
	}
	if !ok {
		hint := ""
		// "3" in quotes is a string; say so when the bare word would do.
		plain := &yaml.Node{Kind: yaml.ScalarNode, Value: n.Value}
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			if _, fits, _ := scalarFits(t, plain.ShortTag()); fits {
				hint = "; write it without quotes"
			}
		}
		c.fail(n, path, "want %s, got %s%s", want, describeNode(n), hint)
		return
	}
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		c.fail(n, path, "%s does not fit: %v", n.Value, err)
	}
}

// scalarFits says whether a scalar of YAML tag can set a field of type t
// (ok), and what such a field wants; known is false for a type no scalar sets.
func scalarFits(t reflect.Type, tag string) (want string, ok, known bool) {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number", tag == "!!int", true
	case reflect.Float32, reflect.Float64:
		return "a number", tag == "!!int" || tag == "!!float", true
	case reflect.Bool:
		return "true or false", tag == "!!bool", true
	case reflect.String:
		return "a string", true, true
	}
	return "", false, false
}

// recordLines notes the line of every element under a custom-typed value
// (matrix entries, span bounds) so that later errors can point at them.
func (c *checker) recordLines(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := path + "[" + n.Content[i].Value + "]"
			c.lines[p] = n.Content[i].Line
			c.recordLines(n.Content[i+1], p)
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			c.lines[p] = e.Line
			c.recordLines(e, p)
		}
	}
}

// lineFor is the line of path, or of its nearest recorded parent.
func (c *checker) lineFor(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if line, ok := c.lines[p]; ok {
			return line
		}
	}
	return 0
}

// parentPath drops the last ".name" or "[index]" of a field path.
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// yamlField finds the struct field whose yaml tag is name.
func yamlField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tagName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func yamlFieldNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if n := tagName(t.Field(i)); n != "" {
			names = append(names, n)
		}
	}
	return names
}

func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

// suggest returns ` (did you mean "x"?)` for a near miss among known names.
func suggest(got string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(got, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return ` (did you mean "` + best + `"?)`
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = slices.Min([]int{prev[j] + 1, cur[j-1] + 1, prev[j-1] + cost})
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
