package cluster

import (
	"slices"
	"testing"
	"time"
)

func TestFailureDetection(t *testing.T) {
	hb := func(from int) Message {
		return Message{Type: MsgHeartbeat, From: from, State: StateActive, Base: 0.5, PerRequest: 0.1}
	}
	cases := []struct {
		name        string
		drive       func(m *Machine, t0 time.Time) time.Time // returns the time of the final check
		wantSuspect []int
		wantReason  string
	}{
		{
			name: "silent just under suspect-after is not suspected",
			drive: func(m *Machine, t0 time.Time) time.Time {
				now := t0
				for ; now.Sub(t0) < 190*time.Millisecond; now = now.Add(10 * time.Millisecond) {
					m.Tick(now)
				}
				return now
			},
			wantSuspect: nil,
		},
		{
			name: "silent past suspect-after is suspected",
			drive: func(m *Machine, t0 time.Time) time.Time {
				now := t0
				for ; now.Sub(t0) <= 210*time.Millisecond; now = now.Add(10 * time.Millisecond) {
					m.Tick(now)
				}
				return now
			},
			wantSuspect: []int{2, 3},
			wantReason:  "silent",
		},
		{
			name: "heartbeats keep a peer trusted",
			drive: func(m *Machine, t0 time.Time) time.Time {
				now := t0
				for ; now.Sub(t0) <= 500*time.Millisecond; now = now.Add(10 * time.Millisecond) {
					if now.Sub(t0)%(50*time.Millisecond) == 0 {
						m.Step(now, hb(2))
					}
					m.Tick(now)
				}
				return now
			},
			wantSuspect: []int{3},
			wantReason:  "silent",
		},
		{
			name: "a dropped connection is suspected at once",
			drive: func(m *Machine, t0 time.Time) time.Time {
				m.PeerLost(t0.Add(time.Millisecond), 3)
				return t0.Add(time.Millisecond)
			},
			wantSuspect: []int{3},
			wantReason:  "disconnected",
		},
		{
			name: "a suspected peer that speaks is alive again",
			drive: func(m *Machine, t0 time.Time) time.Time {
				m.PeerLost(t0, 2)
				m.Step(t0.Add(5*time.Millisecond), hb(2))
				return t0.Add(5 * time.Millisecond)
			},
			wantSuspect: nil,
		},
		{
			name: "a stalled node forgives the silence it could not observe",
			drive: func(m *Machine, t0 time.Time) time.Time {
				m.Tick(t0.Add(10 * time.Millisecond))
				// The process was stopped for a second: no ticks, no reads.
				now := t0.Add(time.Second)
				m.Tick(now)
				return now
			},
			wantSuspect: nil,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := simConfig(1, 3)
			cfg.SuspectAfter = 200 * time.Millisecond
			m, err := NewMachine(cfg, simEpoch, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.drive(m, simEpoch)
			if got := m.Status().Suspects; !slices.Equal(got, c.wantSuspect) && len(got)+len(c.wantSuspect) > 0 {
				t.Errorf("suspects %v, want %v", got, c.wantSuspect)
			}
			var reasons []string
			for _, e := range m.Ready().Events {
				if e.Type == EvSuspect {
					reasons = append(reasons, e.Reason)
				}
			}
			for _, r := range reasons {
				if c.wantReason != "" && r != c.wantReason {
					t.Errorf("suspect reason %q, want %q", r, c.wantReason)
				}
			}
		})
	}
}

// Heartbeats keep their period even though the machine only notices they are
// due on a tick: over one second of 10 ms ticks with a 50 ms heartbeat, every
// peer gets 20 of them (21 counting the one at time zero).
func TestHeartbeatCadence(t *testing.T) {
	for _, tick := range []time.Duration{10 * time.Millisecond, 7 * time.Millisecond} {
		cfg := simConfig(1, 3)
		cfg.Heartbeat = 50 * time.Millisecond
		m, err := NewMachine(cfg, simEpoch, nil)
		if err != nil {
			t.Fatal(err)
		}
		m.Ready() // drop what starting up produced
		beats := map[int]int{}
		for now := simEpoch; now.Sub(simEpoch) <= time.Second; now = now.Add(tick) {
			m.Tick(now)
			for _, env := range m.Ready().Messages {
				switch {
				case env.Msg.Type != MsgHeartbeat:
				case env.To == 0: // a broadcast
					beats[2]++
					beats[3]++
				default:
					beats[env.To]++
				}
			}
		}
		for _, peer := range []int{2, 3} {
			if n := beats[peer]; n < 20 || n > 21 {
				t.Errorf("tick %v: peer %d got %d heartbeats in 1 s at a 50 ms period, want 20–21", tick, peer, n)
			}
		}
	}
}
