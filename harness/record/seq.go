package record

import "math/bits"

// seqMinLimit is the smallest range of sequence numbers a recorder tracks;
// it keeps the seen-set at most 2 MiB unless the run expects more requests.
const seqMinLimit = 1 << 24

// seqSet remembers which sequence numbers were seen, one bit each, so that
// duplicates and gaps are found without keeping the results. It grows on
// demand up to limit; larger numbers are counted, not stored, which bounds the
// memory a corrupt Seq can claim.
type seqSet struct {
	words    []uint64
	limit    uint64
	distinct int
}

func newSeqSet(expected int) seqSet {
	limit := uint64(max(2*expected, seqMinLimit))
	return seqSet{words: make([]uint64, 0, (expected+63)/64), limit: limit}
}

// add records seq; it reports whether seq was already present and whether it
// was beyond the tracked range.
func (s *seqSet) add(seq uint64) (dup, untracked bool) {
	if seq >= s.limit {
		return false, true
	}
	w, bit := seq/64, uint64(1)<<(seq%64)
	if w >= uint64(len(s.words)) {
		s.words = append(s.words, make([]uint64, int(w)+1-len(s.words))...)
	}
	if s.words[w]&bit != 0 {
		return true, false
	}
	s.words[w] |= bit
	s.distinct++
	return false, false
}

// countBelow is how many distinct sequence numbers below n were seen.
func (s *seqSet) countBelow(n uint64) int {
	full := min(n/64, uint64(len(s.words)))
	c := 0
	for _, w := range s.words[:full] {
		c += bits.OnesCount64(w)
	}
	if rem := n % 64; rem != 0 && full < uint64(len(s.words)) {
		c += bits.OnesCount64(s.words[full] & (1<<rem - 1))
	}
	return c
}
