package table

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// snapshotVersion is the version Snapshot writes and Restore accepts.
const snapshotVersion = 1

// snapshot is the table's canonical serialized form.
type snapshot struct {
	Version int        `json:"version"`
	Window  int        `json:"window"`
	Images  []imageRow `json:"images"` // sorted by image
	Users   []Peer     `json:"users"`  // sorted by user
	Dedup   []dedupRow `json:"dedup"`  // oldest first
}

type imageRow struct {
	Image     string `json:"image"`
	Remaining int    `json:"remaining"`
}

type dedupRow struct {
	ID          string `json:"id"`
	Fingerprint uint64 `json:"fp"`
	Result      Result `json:"result"`
}

// Snapshot returns the whole table as canonical JSON: equal tables give
// equal bytes, and Restore(Snapshot()) gives an equal table.
func (t *Table) Snapshot() []byte {
	s := snapshot{
		Version: snapshotVersion,
		Window:  t.dedup.window,
		Images:  make([]imageRow, 0, len(t.images)),
		Users:   t.read().Peers,
		Dedup:   make([]dedupRow, 0, t.dedup.len()),
	}
	if s.Users == nil {
		s.Users = []Peer{}
	}
	for img, r := range t.images {
		s.Images = append(s.Images, imageRow{Image: img, Remaining: r})
	}
	slices.SortFunc(s.Images, func(a, b imageRow) int { return strings.Compare(a.Image, b.Image) })
	for _, e := range t.dedup.entries() {
		s.Dedup = append(s.Dedup, dedupRow{ID: e.id, Fingerprint: e.fp, Result: e.result})
	}
	b, err := json.Marshal(s)
	if err != nil { // plain strings, ints and bools: cannot happen
		panic(fmt.Sprintf("table: marshal snapshot: %v", err))
	}
	return b
}

// Restore replaces the table with the one b describes, adopting b's dedup
// window. b is validated completely first (strict JSON, version, sorted
// unique keys, values in range); on error the table is unchanged.
func (t *Table) Restore(b []byte) error {
	var s snapshot
	if err := decodeStrict(b, &s); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	nt, err := fromSnapshot(s)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	*t = *nt
	return nil
}

func fromSnapshot(s snapshot) (*Table, error) {
	if s.Version != snapshotVersion {
		return nil, fmt.Errorf("version %d, want %d", s.Version, snapshotVersion)
	}
	if s.Window < 1 || s.Window > MaxDedupWindow {
		return nil, fmt.Errorf("window %d not in [1, %d]", s.Window, MaxDedupWindow)
	}
	if len(s.Dedup) > s.Window {
		return nil, fmt.Errorf("%d remembered ids, more than the window %d", len(s.Dedup), s.Window)
	}
	t := New(s.Window)
	for i, row := range s.Images {
		if err := checkString("image", row.Image, MaxNameLen); err != nil {
			return nil, err
		}
		if i > 0 && s.Images[i-1].Image >= row.Image {
			return nil, fmt.Errorf("images not sorted at %q", row.Image)
		}
		if row.Remaining < 0 || row.Remaining > MaxQuota {
			return nil, fmt.Errorf("image %q: remaining %d not in [0, %d]", row.Image, row.Remaining, MaxQuota)
		}
		t.images[row.Image] = row.Remaining
	}
	if err := checkPeers(s.Users); err != nil {
		return nil, err
	}
	for _, p := range s.Users {
		t.users[p.User] = p.Addr
	}
	for _, row := range s.Dedup {
		if err := checkString("dedup.id", row.ID, MaxIDLen); err != nil {
			return nil, err
		}
		if _, dup := t.dedup.get(row.ID); dup {
			return nil, fmt.Errorf("id %q remembered twice", row.ID)
		}
		if err := row.Result.validate(); err != nil {
			return nil, fmt.Errorf("id %q: %v", row.ID, err)
		}
		t.dedup.add(row.ID, row.Fingerprint, row.Result)
	}
	return t, nil
}
