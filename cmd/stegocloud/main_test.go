package main

import (
	"context"
	"os"
	"testing"
)

// cmdMainEnv makes the test binary behave as the stegocloud binary: `run`
// launches nodes as os.Executable() + "node", which in a test is this binary.
const cmdMainEnv = "STEGOCLOUD_CMD_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(cmdMainEnv) == "1" {
		os.Exit(exitCode(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
	}
	os.Exit(m.Run())
}
