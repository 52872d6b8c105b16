package main

import (
	"testing"

	"stegocloud/internal/nodecmd/nodetest"
)

// TestMain lets `run` launch real nodes from a test: the harness starts
// os.Executable() + "node …", which in a test is this binary; tests that
// launch nodes set nodetest.Env so that those children run the node.
func TestMain(m *testing.M) { nodetest.Run(m) }
