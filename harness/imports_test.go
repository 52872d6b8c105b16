package harness

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stageImports are the harness packages each package may import: the stages
// before it in the pipeline (DESIGN §7). harness/internal/* packages are
// shared by all and import no stage beyond what is listed here.
var stageImports = map[string][]string{
	"experiment":        {},
	"fault":             {"experiment"},
	"history":           {},
	"netfault":          {},
	"load":              {"experiment", "history", "internal/reqid"},
	"rundir":            {"experiment", "fault"},
	"record":            {"experiment", "fault", "load", "rundir", "internal/quantile", "internal/units"},
	"analyze":           {"experiment", "fault", "rundir", "internal/quantile", "internal/units", "internal/reqid"},
	"check":             {"experiment", "history", "load", "record", "analyze", "rundir", "internal/units"},
	"plot":              {"rundir"},
	"report":            {"experiment", "rundir", "plot", "internal/markdown"},
	"compare":           {"experiment", "rundir", "plot", "internal/markdown"},
	"design":            {"experiment", "rundir", "plot", "report", "compare", "internal/markdown", "internal/quantile"},
	"internal/golden":   {},
	"internal/markdown": {},
	"internal/quantile": {},
	"internal/units":    {},
	"internal/reqid":    {},
	// Test support.
	"internal/synth": {"fault", "load"},
	"rundirtest":     {"experiment", "fault", "rundir", "internal/quantile"},
}

// TestImportsPointDownThePipeline: every package under harness/ imports only
// the harness packages stageImports allows it, so the pipeline's direction
// is checked by a test, not kept by convention; a new package must be added
// to the map.
func TestImportsPointDownThePipeline(t *testing.T) {
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && path != filepath.Base(path) && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			if dir := filepath.ToSlash(filepath.Dir(path)); !slices.Contains(dirs, dir) {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		allowed, ok := stageImports[dir]
		if !ok {
			t.Errorf("harness/%s is not in stageImports: say which stages it may import", dir)
			continue
		}
		pkg, err := build.Default.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("reading harness/%s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if imp == "stegocloud/harness" {
				t.Errorf("harness/%s imports the orchestrator", dir)
			}
			if dep, ok := strings.CutPrefix(imp, "stegocloud/harness/"); ok && !slices.Contains(allowed, dep) {
				t.Errorf("harness/%s imports harness/%s, which is not before it in the pipeline (allowed: %v)", dir, dep, allowed)
			}
		}
	}
	if len(dirs) < len(stageImports) {
		t.Errorf("found %d packages under harness/, stageImports lists %d: %v", len(dirs), len(stageImports), dirs)
	}
}
