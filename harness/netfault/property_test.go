package netfault

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

// streamByte is byte i of test stream k: not periodic in any write size.
func streamByte(k, i int) byte { return byte(i*7 + k*13 + i>>8) }

// FuzzFaultSequence drives echo streams on every kind of link through a
// sequence of faults (any order, overlapping, removed or healed at random)
// and checks the property the proxies exist for: after a final heal, every
// byte written arrives exactly once and in order, both ways, and the
// end of each stream arrives after its last byte. Reset is left
// out on purpose: it loses the bytes of the connections it resets, by design.
func FuzzFaultSequence(f *testing.F) {
	f.Add([]byte{0, 7})
	f.Add([]byte{1, 2, 0x23, 6, 6})
	f.Add([]byte{0x40, 3, 0x21, 0x88, 5, 6, 0xe6, 1, 7})
	f.Add([]byte{4, 0x0b, 0x10, 2, 0xf1, 0x5e, 5, 6, 6, 0x37})
	f.Add([]byte{0x13, 0x04, 0x80, 0x05, 0x01, 0x02, 0x26, 0x46, 0x66})
	f.Add([]byte{0xa3, 0x60, 0xc4, 0x49, 0xa1, 0x2e, 0xe2, 0x0d, 0x8b, 0x66, 0x35, 0xc6, 0x17, 0x90, 0xe6, 0x0f})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 24 {
			ops = ops[:24]
		}
		checkLeaks(t)
		n := newNet(t, 1, map[int]*server{1: newServer(t, echo), 2: newServer(t, echo), 3: newServer(t, echo)})
		addrs := []string{
			peerAddr(t, n, 1, 2), peerAddr(t, n, 2, 1), peerAddr(t, n, 3, 1),
			clientAddr(t, n, 1, 2), clientAddr(t, n, 1, 3),
		}
		stop := make(chan struct{})
		results := make(chan error, len(addrs))
		for k, a := range addrs {
			c := dial(t, a)
			go func() { results <- roundTripStream(c, k, stop) }()
		}
		var ids []FaultID
		for _, b := range ops {
			if fault := fuzzFault(b); fault != nil {
				id, err := n.Apply(fault)
				if err != nil {
					t.Fatalf("Apply(%#v): %v", fault, err)
				}
				ids = append(ids, id)
			} else if b%8 == 6 && len(ids) > 0 {
				k := int(b>>3) % len(ids)
				if err := n.Remove(ids[k]); err != nil {
					t.Fatal(err)
				}
				ids = append(ids[:k], ids[k+1:]...)
			} else if b%8 == 7 {
				if err := n.Heal(); err != nil {
					t.Fatal(err)
				}
				ids = nil
			}
			time.Sleep(time.Duration(2+3*(b>>5)) * time.Millisecond)
		}
		close(stop) // the FINs may be held too
		time.Sleep(5 * time.Millisecond)
		if err := n.Heal(); err != nil {
			t.Fatal(err)
		}
		for range addrs {
			if err := <-results; err != nil {
				t.Fatalf("ops % x: %v", ops, err)
			}
		}
		for _, st := range n.Stats() {
			if st.Up.Buffered != 0 || st.Down.Buffered != 0 {
				t.Errorf("%s: %d/%d bytes still buffered after every stream arrived", st.Link, st.Up.Buffered, st.Down.Buffered)
			}
		}
	})
}

// fuzzFault decodes one op byte: its low 3 bits pick the kind, the rest its
// parameters; 6 (remove) and 7 (heal) are no fault.
func fuzzFault(b byte) Fault {
	ms := time.Millisecond
	switch b % 8 {
	case 0:
		p := Partition{Groups: [][]int{{1}, {2, 3}}}
		if b&0x08 != 0 {
			p.Clients = [][]int{{1}}
		}
		return p
	case 1:
		return OneWay{From: []int{1}, To: []int{2}}
	case 2:
		return OneWay{From: []int{2, 3}, To: []int{1}}
	case 3:
		return Latency{Delay: time.Duration(b>>3%4) * ms, Jitter: 2 * ms}
	case 4:
		return Latency{Delay: ms, Jitter: ms, Bandwidth: 4 << 20,
			Flows: append(Both(Client(1), Node(2)), Both(Client(1), Node(3))...)}
	case 5:
		return Bridge{A: []int{1}, B: []int{2}, Via: 3}
	}
	return nil
}

// roundTripStream writes stream k to an echo through c, in pieces of varying
// size, until stop closes, then half-closes; it checks the echo byte for byte
// up to the echo's EOF, and that exactly the bytes written came back.
func roundTripStream(c net.Conn, k int, stop <-chan struct{}) error {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	written := make(chan int, 1)
	werr := make(chan error, 1)
	go func() {
		buf := make([]byte, 0, 4096)
		i := 0
		defer func() { written <- i }()
		for {
			select {
			case <-stop:
				werr <- c.(*net.TCPConn).CloseWrite()
				return
			default:
			}
			piece := 1 + (i*31+k*977)%4000
			buf = buf[:0]
			for j := range piece {
				buf = append(buf, streamByte(k, i+j))
			}
			if _, err := c.Write(buf); err != nil {
				werr <- err
				return
			}
			i += piece
			time.Sleep(time.Millisecond)
		}
	}()
	got := make([]byte, 4096)
	i := 0
	for {
		m, err := c.Read(got)
		for j := range m {
			if got[j] != streamByte(k, i+j) {
				return fmt.Errorf("stream %d: byte %d is %#x, want %#x", k, i+j, got[j], streamByte(k, i+j))
			}
		}
		i += m
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("stream %d: after %d bytes: %w", k, i, err)
		}
	}
	if err := <-werr; err != nil {
		return fmt.Errorf("stream %d: write: %w", k, err)
	}
	if w := <-written; i != w {
		return fmt.Errorf("stream %d: %d bytes came back, %d were written", k, i, w)
	}
	return nil
}
