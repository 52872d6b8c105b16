//go:build !race

package harness

const recRaceEnabled = false
