package harness_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
)

// goldenJSON renders v as JSON for a golden file: indented, except that an
// object or array holding only scalars sits on one line, so a figure's
// points read (and diff) one per line.
func goldenJSON(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	writeGoldenJSON(&buf, tree, "")
	buf.WriteByte('\n')
	return buf.Bytes()
}

func writeGoldenJSON(buf *bytes.Buffer, v any, indent string) {
	flat := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	scalarsOnly := func(items []any) bool {
		for _, it := range items {
			switch it.(type) {
			case map[string]any, []any:
				return false
			}
		}
		return true
	}
	switch x := v.(type) {
	case map[string]any:
		vals := make([]any, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			vals = append(vals, x[k])
		}
		if scalarsOnly(vals) {
			buf.WriteString(flat(x))
			return
		}
		buf.WriteString("{\n")
		for i, k := range slices.Sorted(maps.Keys(x)) {
			fmt.Fprintf(buf, "%s  %q: ", indent, k)
			writeGoldenJSON(buf, x[k], indent+"  ")
			if i < len(x)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "}")
	case []any:
		if scalarsOnly(x) {
			buf.WriteString(flat(x))
			return
		}
		buf.WriteString("[\n")
		for i, it := range x {
			buf.WriteString(indent + "  ")
			writeGoldenJSON(buf, it, indent+"  ")
			if i < len(x)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "]")
	default:
		buf.WriteString(flat(x))
	}
}
