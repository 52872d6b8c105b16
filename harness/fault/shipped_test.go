package fault

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"stegocloud/harness/experiment"
	"stegocloud/harness/internal/golden"
)

// TestShippedSchedulesUnchanged pins the planned schedule.json of every
// shipped experiment: a change to the fault vocabulary or the random model
// must not move a single fault of an existing experiment (stress10k's
// schedule is what its published numbers were measured under).
func TestShippedSchedulesUnchanged(t *testing.T) {
	files, err := filepath.Glob("../../experiments/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob experiments: %v, %d files", err, len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			e, err := experiment.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			faults, err := Schedule(e, Horizon(e), e.Seed)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteSchedule(&buf, faults); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("schedules", name+".json"), buf.Bytes())
		})
	}
}
