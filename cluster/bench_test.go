package cluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"stegocloud/internal/pki"
	"stegocloud/stego"
)

func BenchmarkFrameRoundTrip(b *testing.B) {
	for _, size := range []int{0, 48 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("body=%d", size), func(b *testing.B) {
			msg := Message{Type: MsgRequest, ID: "c0ffee-123456", Attempt: 1, Meta: &testMeta, Body: make([]byte, size)}
			var buf bytes.Buffer
			fr := NewFrameReader(&buf, 64<<20)
			var frameBuf []byte
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				var err error
				frameBuf, err = AppendFrame(frameBuf[:0], &msg)
				if err != nil {
					b.Fatal(err)
				}
				buf.Write(frameBuf)
				if _, err := fr.Read(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMachineRequest is the coordinator's share of one request: the
// client's copy arrives, it assigns (to itself, with the coordinator
// balancer, or to a peer), and the work completes.
func BenchmarkMachineRequest(b *testing.B) {
	s := newSim(b, 3, 1, func(c *Config) { c.Balancer = BalancerCoordinator })
	s.advance(time.Second)
	coord, epoch := s.mustAgree("setup")
	m := s.ms[coord]
	m.Ready()
	msg := Message{Type: MsgRequest, Attempt: 1, Meta: &testMeta, Body: []byte("IMG")}
	ids := make([]string, 4096)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-%d", i)
	}
	now := s.now
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		msg.ID = ids[i%len(ids)] + fmt.Sprint(i/len(ids))
		m.ClientRequest(now, msg, nil)
		m.Ready()
		m.Served(now, msg.ID, ServeResult{})
		m.Ready()
		i++
		if i%1024 == 0 {
			now = now.Add(m.cfg.Heartbeat)
			m.Tick(now)
			m.Ready()
		}
	}
	if m.coordEpoch != epoch {
		b.Fatalf("epoch moved during the benchmark")
	}
}

// BenchmarkClientEncrypt measures the whole request path in one process over
// real loopback TCP: 3 nodes, a zero-cost codec, many goroutines sharing one
// client; with and without mutual TLS on every connection (client to node
// and node to node), in the same run; covers the size of the throughput
// experiment's 32×32 PNGs (~3 KiB) and larger. req/s is the metric to
// compare.
func BenchmarkClientEncrypt(b *testing.B) {
	for _, size := range []int{3 << 10, 16 << 10} {
		for _, withTLS := range []bool{false, true} {
			b.Run(fmt.Sprintf("cover=%dKiB/tls=%v", size>>10, withTLS), func(b *testing.B) { benchEncrypt(b, size, withTLS) })
		}
	}
}

func benchEncrypt(b *testing.B, size int, withTLS bool) {
	addrs := freePorts(b, 3)
	peers := Peers{1: addrs[0], 2: addrs[1], 3: addrs[2]}
	var dir string
	if withTLS {
		dir = b.TempDir()
		if _, err := pki.Generate(dir, pki.Options{Nodes: 3}); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 3)
	for id := 1; id <= 3; id++ {
		cfg := DefaultConfig()
		cfg.ID, cfg.Peers, cfg.TLS = id, peers, dir
		n, err := NewNode(cfg, NodeOptions{Service: CodecService{Codec: fakeCodec{}}, Events: NewEventLog(io.Discard, nil)})
		if err != nil {
			b.Fatal(err)
		}
		go func() { done <- n.Run(ctx) }()
	}
	defer func() {
		cancel()
		for range 3 {
			<-done
		}
	}()
	ccfg := ClientConfig{Nodes: peers, Codec: fakeCodec{}, Timeout: 5 * time.Second}
	if withTLS {
		creds, err := pki.LoadClient(dir)
		if err != nil {
			b.Fatal(err)
		}
		ccfg.TLS = creds
	}
	cl, err := NewClient(ccfg)
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	cover := append([]byte("IMG"), make([]byte, size)...)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if _, err := cl.Encrypt(ctx, cover, testMeta); err == nil {
			break
		} else if time.Now().After(deadline) {
			b.Fatalf("cluster not serving: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(cover)))
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		m := stego.Metadata{Usernames: []string{"alice"}, Quota: 1}
		for pb.Next() {
			if _, err := cl.Encrypt(ctx, cover, m); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
