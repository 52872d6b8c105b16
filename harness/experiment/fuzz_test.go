package experiment

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseExperiment: experiment files are user input; no bytes may panic the
// parser, and whatever parses must write back YAML that parses again.
func FuzzParseExperiment(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "experiments", "*.yaml"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("name: x\nworkload: {clients: 1, requests_per_client: 1}\n"))
	f.Add([]byte("matrix: {cluster.nodes: [3, 5]}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Parse("fuzz", b)
		if err != nil {
			return
		}
		out, err := e.YAML()
		if err != nil {
			t.Fatalf("YAML of a parsed experiment: %v", err)
		}
		if _, err := Parse("fuzz", out); err != nil {
			t.Fatalf("re-parsing our own YAML: %v\n%s", err, out)
		}
	})
}
