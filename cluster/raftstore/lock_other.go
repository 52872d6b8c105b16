//go:build !unix

package raftstore

import "os"

// lockDir is a no-op where flock does not exist: one process per directory
// is then the caller's promise.
func lockDir(string) (*os.File, error) { return nil, nil }
