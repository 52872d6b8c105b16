package cluster

// Internal test helpers the end-to-end tests (package cluster_test, which
// can start real node processes) share with the package's own tests.
var (
	Agreement = agreement
	TestMeta  = testMeta
	RawFrame  = rawFrame
	FreePorts = freePorts
)
