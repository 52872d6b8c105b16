package main

import (
	"context"
	"errors"
	"io"

	"stegocloud/cluster"
	"stegocloud/internal/nodecmd"
)

// runNode is the node subcommand (internal/nodecmd, which test binaries
// re-execute into as well).
func runNode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := nodecmd.Main(ctx, args, stdout, stderr)
	if errors.Is(err, cluster.ErrConfig) {
		return usageErrorf("%v", err)
	}
	return err
}
