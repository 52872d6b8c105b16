package cluster

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"testing"
)

// nodeMainEnv makes the test binary run cluster.Main instead of the tests:
// end-to-end tests start real node processes by re-executing themselves.
const nodeMainEnv = "STEGOCLOUD_NODE_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(nodeMainEnv) == "1" {
		err := Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "node:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
