package nodetest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"testing"

	"stegocloud/cluster"
	"stegocloud/internal/nodecmd"
)

// Env, set to "1", makes a test binary run a node instead of its tests.
const Env = "STEGOCLOUD_NODE_MAIN"

// MutateEnv names the misbehaviour of a node started through Env (see
// ParseMutation); empty or unset: none.
const MutateEnv = "STEGOCLOUD_NODE_MUTATE"

// Run is a TestMain body: with Env=1 it runs the node command on the
// process's arguments (a leading "node" is skipped) and exits; otherwise it
// runs the tests.
func Run(m *testing.M) {
	if os.Getenv(Env) != "1" {
		os.Exit(m.Run())
	}
	os.Exit(runNode(os.Args[1:]))
}

func runNode(args []string) int {
	if len(args) > 0 && args[0] == "node" {
		args = args[1:]
	}
	var opts []nodecmd.Option
	if spec := os.Getenv(MutateEnv); spec != "" {
		mut, err := ParseMutation(spec)
		if err != nil {
			fmt.Fprintf(os.Stderr, "node: %s: %v\n", MutateEnv, err)
			return 2
		}
		opts = append(opts, nodecmd.WithService(mut.Wrap))
		if mut.AnswerTwice {
			opts = append(opts, nodecmd.WithTransport(func(tr cluster.Transport) cluster.Transport { return twice{tr} }))
		}
		fmt.Fprintf(os.Stderr, "node: test mutation %s=%q in effect\n", MutateEnv, spec)
	}
	err := nodecmd.Main(context.Background(), args, os.Stdout, os.Stderr, opts...)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "node:", err)
		return 1
	}
	return 0
}
