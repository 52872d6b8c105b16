package main

import (
	"context"
	"errors"
	"io"

	"stegocloud/cluster"
)

// runNode is the node subcommand; cluster.Main owns its flags so that the
// harness can launch the same node from any binary.
func runNode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := cluster.Main(ctx, args, stdout, stderr)
	if errors.Is(err, cluster.ErrConfig) {
		return usageErrorf("%v", err)
	}
	return err
}
