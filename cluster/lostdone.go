package cluster

import "sync"

// maxLostDone bounds the finished ids kept for one peer; older ones are
// forgotten (the peer then drops those requests at their TTL, as before).
const maxLostDone = 4096

// lostDone holds, per peer, finished ids whose frame never reached it. The
// loop adds (failed enqueues) and takes; link goroutines add (frames dropped
// from a queue when a connection broke).
type lostDone struct {
	mu  sync.Mutex
	ids map[int][]string
}

func (l *lostDone) add(peer int, ids []string) {
	if len(ids) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ids == nil {
		l.ids = map[int][]string{}
	}
	kept := append(l.ids[peer], ids...)
	if over := len(kept) - maxLostDone; over > 0 {
		kept = append([]string(nil), kept[over:]...)
	}
	l.ids[peer] = kept
}

func (l *lostDone) take(peer int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := l.ids[peer]
	delete(l.ids, peer)
	return ids
}
