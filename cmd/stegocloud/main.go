// Command stegocloud runs the nodes of the image-sharing cloud, sends requests to
// them, runs experiments against them and turns the results into reports.
//
// main only wires the process to run; everything else lives in run so that tests
// can call it with buffers.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}
