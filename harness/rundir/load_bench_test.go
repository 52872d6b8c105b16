package rundir_test

import (
	"os"
	"path/filepath"
	"testing"

	"stegocloud/harness/rundir"
	"stegocloud/harness/rundirtest"
)

// BenchmarkLoadRun reads the synthetic run directory (≈ 2400 events).
func BenchmarkLoadRun(b *testing.B) {
	dir := rundirtest.WriteDefault(b)
	var size int64
	for _, name := range []string{rundir.FileSummary, rundir.FileEvents, rundir.FileTimeSeries} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rundir.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
