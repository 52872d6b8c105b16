//go:build race

package raftstore

// raceEnabled shortens the longest runs under the race detector (5–10×
// slower); plain `go test` runs them in full.
const raceEnabled = true
