//go:build race

package record

// raceEnabled: the race detector slows Add ~30×; the million-result heap
// test skips itself under it (memory, not races, is what it checks).
const raceEnabled = true
