package cluster

import "time"

// damper holds back elections against contested decisions. Under a bridge
// (nodes a and b cut from each other, both reaching c) each of a and b adopts,
// through c, a decision naming the other, which it suspects, and re-elects at
// once: 97 elections in 5s in the simulator. The n-th contested election in a
// row waits ElectionTimeout·2^n, capped at Config.ElectionBackoff and drawn
// uniformly from its upper half with the machine's seeded source, so the two
// sides drift apart and the rate falls to about two per cap. A loss of a
// coordinator this node did hear (a crash, a silent failure) is never held
// back: failover keeps its speed.
type damper struct {
	streak int       // contested elections since the last quiet period
	last   time.Time // when the last contested election started
	until  time.Time // no contested election before this
}

// hold schedules the next contested election after adopting decision (e, w),
// and says so in an election_backoff event.
func (d *damper) hold(now time.Time, m *Machine, e uint64, w int) {
	maxWait := m.cfg.ElectionBackoff
	if maxWait <= 0 {
		d.until = now
		return
	}
	if !d.last.IsZero() && now.Sub(d.last) > 2*maxWait {
		d.streak = 0 // quiet for a while: this is a new episode
	}
	wait := m.cfg.ElectionTimeout
	for i := 0; i < d.streak && wait < maxWait; i++ {
		wait *= 2
	}
	wait = min(wait, maxWait)
	wait = wait/2 + m.jitter(wait/2)
	d.until = now.Add(wait)
	m.emit(now, Event{Type: EvElectionBackoff, Epoch: e, Coordinator: w, Duration: wait})
}

// started records that a contested election started now.
func (d *damper) started(now time.Time) {
	d.streak++
	d.last = now
}
