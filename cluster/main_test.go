package cluster_test

import (
	"testing"

	"stegocloud/internal/nodecmd/nodetest"
)

// TestMain lets the end-to-end tests start real node processes: they
// re-execute this test binary with nodetest.Env set (see procCluster.start).
func TestMain(m *testing.M) { nodetest.Run(m) }
