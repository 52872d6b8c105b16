package harness

import (
	"os"
	"testing"

	"stegocloud/internal/nodecmd/nodetest"
)

// TestMain lets the end-to-end tests launch real node processes by
// re-executing this test binary (see nodetest).
func TestMain(m *testing.M) { nodetest.Run(m) }

// testRunOptions runs nodes as re-executions of this test binary.
func testRunOptions(t *testing.T) RunOptions {
	t.Helper()
	return RunOptions{
		Results:     t.TempDir(),
		NodeCommand: []string{os.Args[0]},
		NodeEnv:     []string{nodetest.Env + "=1"},
		Log:         testLogWriter{t},
	}
}

type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", p)
	return len(p), nil
}
