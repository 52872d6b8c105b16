// Package golden compares what a test produced with a golden file under the
// test's testdata/ directory, or rewrites the file when the test runs with
// -update (go test ./harness/PKG -update, then review the diff). Golden files
// hold reports and the data of figures, never image bytes.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// update rewrites the golden files under testdata/ instead of comparing.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Check compares got with testdata/name, or rewrites it under -update.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("updating %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v (go test -update creates it)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file at %s\n(go test -update rewrites it if the change is intended; review the diff)", path, FirstDiff(got, want))
	}
}

// FirstDiff shows the first differing line.
func FirstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range max(len(g), len(w)) {
		gl, wl := []byte("<end>"), []byte("<end>")
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(same lines, different line endings)"
}

// JSON renders v as JSON for a golden file: indented, except that an
// object or array holding only scalars sits on one line, so a figure's
// points read (and diff) one per line.
func JSON(t testing.TB, v any) []byte {
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
	writeJSON(&buf, tree, "")
	buf.WriteByte('\n')
	return buf.Bytes()
}

func writeJSON(buf *bytes.Buffer, v any, indent string) {
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
			writeJSON(buf, x[k], indent+"  ")
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
			writeJSON(buf, it, indent+"  ")
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
