package raftstore

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"stegocloud/cluster/table"
)

// driver runs one Store the way a node's loop would: one goroutine owns it,
// ticks it on a timer, steps messages from its inbox, proposes what callers
// send, drains everything already queued into one batch, then calls Process
// once (one Ready, one fsync), sends the messages and answers callers.
type driver struct {
	st     *Store
	inbox  chan []byte
	calls  chan call
	stats  chan chan Stats
	peers  map[uint64]*driver
	tick   time.Duration
	stop   chan struct{}
	exited chan struct{}
	wait   map[uint64]chan reply
	err    error
}

type call struct {
	op    table.Op
	read  bool
	reply chan reply
}

type reply struct {
	r   table.Result
	err error
}

func (d *driver) run() {
	defer close(d.exited)
	t := time.NewTicker(d.tick)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
			d.st.Tick()
		case b := <-d.inbox:
			d.step(b)
		case c := <-d.calls:
			d.call(c)
		case ch := <-d.stats:
			ch <- d.st.Stats()
			continue
		}
		for i := 0; i < 4096; i++ { // everything already queued joins this batch
			select {
			case b := <-d.inbox:
				d.step(b)
				continue
			case c := <-d.calls:
				d.call(c)
				continue
			default:
			}
			break
		}
		out, err := d.st.Process()
		if err != nil {
			d.err = err
			return
		}
		for _, m := range out.Messages {
			select {
			case d.peers[m.To].inbox <- m.Data:
			default: // a full inbox drops, as a congested link would
			}
		}
		for _, dn := range out.Done {
			if ch, ok := d.wait[dn.ID]; ok {
				delete(d.wait, dn.ID)
				ch <- reply{dn.Result, dn.Err}
			}
		}
	}
}

func (d *driver) step(b []byte) {
	if err := d.st.Step(b); err != nil {
		d.err = err
	}
}

func (d *driver) call(c call) {
	var id uint64
	var err error
	if c.read {
		id, err = d.st.Read(c.op)
	} else {
		id, err = d.st.Propose(c.op)
	}
	if err != nil {
		c.reply <- reply{err: err}
		return
	}
	d.wait[id] = c.reply
}

// do runs op at this driver and waits for its result.
func (d *driver) do(op table.Op, read bool) (table.Result, error) {
	ch := make(chan reply, 1)
	d.calls <- call{op: op, read: read, reply: ch}
	r := <-ch
	return r.r, r.err
}

// Stats asks the loop for the store's counters.
func (d *driver) Stats() Stats {
	ch := make(chan Stats, 1)
	d.stats <- ch
	return <-ch
}

// startDrivers opens n stores in dir, makes store 1 campaign, and runs a
// driver per store until the test ends. It returns the drivers once 1 leads.
func startDrivers(tb testing.TB, n int, dir string, sync bool, tick time.Duration, tune func(*Config)) map[uint64]*driver {
	tb.Helper()
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	ds := map[uint64]*driver{}
	for _, id := range ids {
		cfg := DefaultConfig(id, ids, filepath.Join(dir, fmt.Sprint(id)))
		cfg.NoSync = !sync
		if tune != nil {
			tune(&cfg)
		}
		st, err := Open(cfg)
		if err != nil {
			tb.Fatal(err)
		}
		ds[id] = &driver{st: st, inbox: make(chan []byte, 8192), calls: make(chan call, 1024), stats: make(chan chan Stats), peers: ds,
			tick: tick, stop: make(chan struct{}), exited: make(chan struct{}), wait: map[uint64]chan reply{}}
	}
	if err := ds[1].st.rn.Campaign(); err != nil {
		tb.Fatal(err)
	}
	for _, d := range ds {
		go d.run()
	}
	tb.Cleanup(func() {
		for _, d := range ds {
			close(d.stop)
			<-d.exited
			d.st.Close()
			if d.err != nil {
				tb.Errorf("store %d: %v", d.st.cfg.ID, d.err)
			}
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Ask through the loop (the store is the driver's alone).
		if _, err := ds[1].do(table.Op{Register: &table.Register{User: "bench", Addr: "x"}}, false); err == nil {
			return ds
		}
		if time.Now().After(deadline) {
			tb.Fatal("no leader within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDrivers checks the goroutine driver end to end with real fsync: 3
// stores, 8 concurrent proposers at the leader and at a follower.
func TestDrivers(t *testing.T) {
	ds := startDrivers(t, 3, t.TempDir(), true, 10*time.Millisecond, nil)
	errs := make(chan error, 8)
	for w := range 8 {
		go func() {
			d := ds[uint64(1+w%2)] // the leader and a follower
			for i := range 25 {
				r, err := d.do(view(fmt.Sprintf("w%d-%d", w, i), fmt.Sprint("img", w), 25), false)
				if err == nil && (r.View == nil || !r.View.Granted) {
					err = fmt.Errorf("view %d of worker %d not granted: %+v", i, w, r)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	r, err := ds[3].do(online, true)
	if err != nil || len(r.Peers) != 1 {
		t.Fatalf("read at a follower: %+v %v", r, err)
	}
}
