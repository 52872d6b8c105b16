package harness_test

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

// reportUpdate is the -update flag that rewrites golden files. Other test
// files of the package may define the same flag; whichever registers first
// serves both, instead of a "flag redefined" panic.
var reportUpdate = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	b := flag.Bool("update", false, "rewrite testdata golden files")
	return func() bool { return *b }
}()

// reportGolden compares got with testdata/<name>, or rewrites it with -update.
func reportGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if reportUpdate() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; diff it against:\n%s\n(rerun with -update if the change is intended)", path, firstDiff(got, want))
	}
}

// firstDiff shows the first differing line with a little context.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl []byte
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
