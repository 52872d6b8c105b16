package reqid

import (
	"strconv"
	"strings"
)

// Bounds of the dense part of a Table.
const (
	// MaxGap is how far beyond the end of its prefix's slice an id's counter
	// may be and still be stored densely.
	MaxGap = 1 << 16
	// MaxDense is the largest counter stored densely.
	MaxDense = 1 << 28
)

// Table maps request ids to values of T. The zero value is not usable: call
// New. It is not safe for concurrent use.
type Table[T any] struct {
	dense map[string][]T
	other map[string]*T
}

// New returns an empty table.
func New[T any]() *Table[T] {
	return &Table[T]{dense: map[string][]T{}, other: map[string]*T{}}
}

// Split cuts id into its prefix and counter when it has the form PREFIX-N
// (N decimal, at most 18 digits, no sign); ok is false otherwise.
func Split(id string) (prefix string, n uint64, ok bool) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 || i == len(id)-1 || len(id)-i-1 > 18 {
		return "", 0, false
	}
	for _, c := range id[i+1:] {
		if c < '0' || c > '9' {
			return "", 0, false
		}
	}
	n, err := strconv.ParseUint(id[i+1:], 10, 64)
	return id[:i], n, err == nil
}

// Slot returns a pointer to id's value, adding a zero value when id is new.
// The pointer is valid until the next call to Slot.
func (t *Table[T]) Slot(id string) *T {
	if p := t.other[id]; p != nil {
		return p // stored before its prefix's slice grew close enough
	}
	if prefix, n, ok := Split(id); ok && n < MaxDense {
		s := t.dense[prefix]
		if n < uint64(len(s)) {
			return &s[n]
		}
		if n < uint64(len(s))+MaxGap {
			s = append(s, make([]T, int(n)+1-len(s))...)
			t.dense[prefix] = s
			return &s[n]
		}
	}
	p := new(T)
	t.other[id] = p
	return p
}

// Get returns id's value and whether id has a slot. Ids stored densely have
// a slot once an id of the same prefix with a counter at least as large was
// given to Slot, so callers that need "seen" should store it in T.
func (t *Table[T]) Get(id string) (T, bool) {
	if p := t.other[id]; p != nil {
		return *p, true
	}
	if prefix, n, ok := Split(id); ok && n < MaxDense {
		if s := t.dense[prefix]; n < uint64(len(s)) {
			return s[n], true
		}
	}
	var zero T
	return zero, false
}
