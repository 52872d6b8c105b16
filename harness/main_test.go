package harness

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"testing"

	"stegocloud/cluster"
)

// nodeMainEnv makes the test binary run a node (cluster.Main) instead of the
// tests: the end-to-end tests launch real node processes by re-executing it.
const nodeMainEnv = "STEGOCLOUD_NODE_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(nodeMainEnv) == "1" {
		err := cluster.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "node:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// testRunOptions runs nodes as re-executions of this test binary.
func testRunOptions(t *testing.T) RunOptions {
	t.Helper()
	return RunOptions{
		Results:     t.TempDir(),
		NodeCommand: []string{os.Args[0]},
		NodeEnv:     []string{nodeMainEnv + "=1"},
		Log:         testLogWriter{t},
	}
}

type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", p)
	return len(p), nil
}
