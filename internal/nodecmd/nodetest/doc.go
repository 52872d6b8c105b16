// Package nodetest lets a test binary be a node: a package's TestMain calls
// Run, and a test starts real node processes by re-executing its own binary
// (os.Args[0]) with Env=1 and the node's flags (cluster.Config.Args), or
// with "node" before them, as the stegocloud binary takes them.
//
// MutateEnv makes such a node misbehave on purpose, so that end-to-end tests
// can show that clients and checkers notice: for example
// STEGOCLOUD_NODE_MUTATE=corrupt-every=3 answers every third request with
// an image carrying other metadata than was sent, and
// STEGOCLOUD_NODE_MUTATE=inflate-quota=2 reveals every image with 2 more
// views than it carries, so that a table meeting the image through that
// node over-grants. Only test binaries import
// this package; the stegocloud binary never reads these variables.
package nodetest
