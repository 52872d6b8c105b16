package table

import (
	"fmt"
	"slices"
	"strings"
)

// DefaultDedupWindow is the number of identified ops whose results a table
// remembers when New is given 0: at 1,000 ops/s, ten seconds of retries.
const DefaultDedupWindow = 10_000

// MaxDedupWindow bounds the window (memory and snapshot size).
const MaxDedupWindow = 1 << 20

// Table is the replicated table. It is not safe for concurrent use: one
// goroutine (the store's loop) owns it.
type Table struct {
	images map[string]int    // image id → remaining views
	users  map[string]string // user → addr
	dedup  dedup
}

// New returns an empty table remembering the last window identified ops
// (DefaultDedupWindow when window ≤ 0, at most MaxDedupWindow).
func New(window int) *Table {
	if window <= 0 {
		window = DefaultDedupWindow
	}
	window = min(window, MaxDedupWindow)
	return &Table{
		images: make(map[string]int),
		users:  make(map[string]string),
		dedup:  newDedup(window),
	}
}

// Apply applies op and returns its result (see the package doc). It never
// panics: an invalid op returns Result.Error and changes nothing.
func (t *Table) Apply(op Op) Result {
	if err := op.Validate(); err != nil {
		return Result{Error: err.Error()}
	}
	if op.ReadOnly() {
		return t.read()
	}
	if op.ID == "" {
		return t.apply(op)
	}
	fp := op.fingerprint()
	if e, ok := t.dedup.get(op.ID); ok {
		if e.fp != fp {
			return Result{Error: fmt.Sprintf("%v: %q", ErrIDReused, op.ID)}
		}
		return e.result.clone()
	}
	r := t.apply(op)
	t.dedup.add(op.ID, fp, r.clone())
	return r
}

// Query answers a read-only op (online) from the table as it is, without
// changing it or its dedup window; a linearizable store calls it once its
// applied index has reached a read index. Other ops return ErrNotRead.
func (t *Table) Query(op Op) (Result, error) {
	if err := op.Validate(); err != nil {
		return Result{}, err
	}
	if !op.ReadOnly() {
		return Result{}, fmt.Errorf("%w: %s", ErrNotRead, op.Kind())
	}
	return t.read(), nil
}

// Remaining returns an image's remaining views and whether the table has
// seen the image.
func (t *Table) Remaining(image string) (int, bool) {
	r, ok := t.images[image]
	return r, ok
}

// Len returns the number of images, online users and remembered request ids.
func (t *Table) Len() (images, users, ids int) {
	return len(t.images), len(t.users), t.dedup.len()
}

// DedupWindow returns the number of identified ops the table remembers.
func (t *Table) DedupWindow() int { return t.dedup.window }

func (t *Table) apply(op Op) Result {
	switch {
	case op.View != nil:
		return Result{View: t.view(*op.View)}
	case op.Register != nil:
		old, ok := t.users[op.Register.User]
		t.users[op.Register.User] = op.Register.Addr
		return Result{Changed: !ok || old != op.Register.Addr}
	default: // Unregister; Validate admitted nothing else
		_, ok := t.users[op.Unregister.User]
		delete(t.users, op.Unregister.User)
		return Result{Changed: ok}
	}
}

func (t *Table) view(v View) *ViewResult {
	remaining, seen := t.images[v.Image]
	if !seen {
		remaining = v.Quota
	}
	switch {
	case !v.Authorized:
		return &ViewResult{Remaining: remaining, Reason: ReasonNotAuthorized}
	case remaining == 0:
		t.images[v.Image] = 0
		return &ViewResult{Remaining: 0, Reason: ReasonExhausted}
	}
	remaining--
	t.images[v.Image] = remaining
	return &ViewResult{Granted: true, Remaining: remaining}
}

// read lists the online users sorted by user; nil when nobody is online.
func (t *Table) read() Result {
	if len(t.users) == 0 {
		return Result{}
	}
	peers := make([]Peer, 0, len(t.users))
	for u, a := range t.users {
		peers = append(peers, Peer{User: u, Addr: a})
	}
	slices.SortFunc(peers, func(a, b Peer) int { return strings.Compare(a.User, b.User) })
	return Result{Peers: peers}
}
