package fault

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzReadSchedule: schedule.json is read back from disk; no bytes may panic
// the reader, whatever it accepts writes back to bytes it reads as the same
// schedule, and resolving an accepted fault never panics.
func FuzzReadSchedule(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "schedules", "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"at": 5, "node": 0, "kind": "bridge", "for": 1, "selector": "coordinator", "net": {"groups": [[1], [2]], "via": "coordinator"}}]`))
	f.Add([]byte(`[{"at": 5, "node": 0, "kind": "latency", "for": 1, "net": {"delay": 3, "links": [[1, "coordinator"]]}}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		faults, err := ReadSchedule(bytes.NewReader(b))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteSchedule(&out, faults); err != nil {
			t.Fatalf("writing an accepted schedule: %v", err)
		}
		back, err := ReadSchedule(&out)
		if err != nil || !reflect.DeepEqual(back, faults) && len(faults) > 0 {
			t.Fatalf("round trip: %v\n%s", err, out.Bytes())
		}
		for _, f := range faults {
			for coord := 0; coord <= 4; coord++ {
				_, _ = Resolve(f, coord, 3)
			}
			_ = f.Describe()
		}
	})
}
