package table

// dedup remembers the results of the last window identified ops, in
// application order: a FIFO of ids and an index by id.
type dedup struct {
	window int
	byID   map[string]*dedupEntry
	fifo   []*dedupEntry // oldest first; fifo[head:] is live
	head   int
}

type dedupEntry struct {
	id     string
	fp     uint64 // the op's fingerprint, to catch a reused id
	result Result
}

func newDedup(window int) dedup {
	return dedup{window: window, byID: make(map[string]*dedupEntry)}
}

func (d *dedup) get(id string) (*dedupEntry, bool) {
	e, ok := d.byID[id]
	return e, ok
}

func (d *dedup) len() int { return len(d.fifo) - d.head }

// add remembers a new id (the caller checked it is not remembered) and
// forgets the oldest beyond the window.
func (d *dedup) add(id string, fp uint64, r Result) {
	e := &dedupEntry{id: id, fp: fp, result: r}
	d.byID[id] = e
	d.fifo = append(d.fifo, e)
	for d.len() > d.window {
		old := d.fifo[d.head]
		d.fifo[d.head] = nil
		d.head++
		delete(d.byID, old.id)
	}
	// Reclaim the dead prefix once it is as long as the live part.
	if d.head > 0 && d.head >= d.len() {
		d.fifo = append([]*dedupEntry(nil), d.fifo[d.head:]...)
		d.head = 0
	}
}

// entries returns the live entries, oldest first.
func (d *dedup) entries() []*dedupEntry { return d.fifo[d.head:] }
