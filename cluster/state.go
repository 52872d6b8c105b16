package cluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"stegocloud/internal/atomicfile"
	"strconv"
)

// HardState is what a node keeps across restarts (Config.StateDir), after
// etcd-io/raft's HardState. Epoch bounds every epoch the node has initiated
// and is at least the highest it had seen when written: a restarted node
// elects above it, so it never decides an epoch twice, even when it cannot
// sync with its peers (they are paused) and would otherwise start again from
// round 1. The machine asks for a write only when an epoch it initiates or
// adopts passes the persisted one, and then reserves reserveRounds rounds
// ahead, so a write (and its fsync) happens once per that many elections,
// never per heartbeat.
//
// Without a state dir nothing is persisted, as before: a node restarted
// while its peers cannot answer may then reuse an epoch it decided before
// and act as a second coordinator of that epoch.
type HardState struct {
	Node  int    `json:"node"`
	Epoch uint64 `json:"epoch"`
}

// reserveRounds is how many rounds a persisted HardState covers ahead.
const reserveRounds = 16

// reserve asks the driver to persist a bound above epoch e when e passes
// the persisted one.
func (m *Machine) reserve(e uint64) {
	if !m.persist || EpochRound(e) <= EpochRound(m.reserved) {
		return
	}
	r := min(EpochRound(e)+reserveRounds, maxRound+1)
	m.reserved = r<<8 | 0xff
	m.out.HardState = &HardState{Node: m.id, Epoch: m.reserved}
}

// StatePath is the file holding node id's HardState in dir.
func StatePath(dir string, id int) string {
	return filepath.Join(dir, "node-"+strconv.Itoa(id)+".state.json")
}

// LoadHardState reads node id's state from dir. A missing file is a fresh
// node (zero state); a file that cannot be read or parsed, or that belongs to
// another node, is an error wrapping ErrState: starting from zero instead
// could reuse epochs.
func LoadHardState(dir string, id int) (HardState, error) {
	path := StatePath(dir, id)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return HardState{Node: id}, nil
	}
	if err != nil {
		return HardState{}, fmt.Errorf("%w: reading %s: %v", ErrState, path, err)
	}
	var hs HardState
	if err := json.Unmarshal(b, &hs); err != nil {
		return HardState{}, fmt.Errorf("%w: parsing %s: %v", ErrState, path, err)
	}
	if hs.Node != id {
		return HardState{}, fmt.Errorf("%w: %s belongs to node %d, not %d", ErrState, path, hs.Node, id)
	}
	return hs, nil
}

// SaveHardState writes hs to its node's file in dir atomically and durably:
// a temporary file is written and fsynced, renamed over the old one, and the
// directory is fsynced so that the rename survives a crash.
func SaveHardState(dir string, hs HardState) error {
	b, err := json.Marshal(hs)
	if err != nil {
		return fmt.Errorf("%w: encoding: %v", ErrState, err)
	}
	path := StatePath(dir, hs.Node)
	_, err = atomicfile.Replace(path, 0o644, func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err })
	if err != nil {
		return fmt.Errorf("%w: writing %s: %v", ErrState, path, err)
	}
	return nil
}
