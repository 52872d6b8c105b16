package rundirtest

import (
	"path/filepath"
	"sync"
	"testing"

	"stegocloud/harness/rundir"
)

// defaultFiles is the Default run, simulated once per test binary.
var defaultFiles = sync.OnceValues(func() (map[string][]byte, error) {
	return Files(Default())
})

// WriteDefault writes the Default run into a fresh directory
// (TEMP/synthetic/RUN) and returns its path.
func WriteDefault(t testing.TB) string {
	t.Helper()
	files, err := defaultFiles()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "synthetic", Default().Run)
	if err := WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// LoadDefault writes the Default run and reads it back with rundir.Load.
func LoadDefault(t testing.TB) *rundir.Run {
	t.Helper()
	d, err := rundir.Load(WriteDefault(t))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
