package netfault

import (
	"io"
	"net"
	"testing"
	"time"
)

// benchPaths returns a direct connection and a proxied one (client 1 ⇢ node
// 1, no fault) to the same server.
func benchPaths(b *testing.B, handle func(net.Conn)) (direct, proxied net.Conn) {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	n, err := New(Config{Nodes: map[int]string{1: ln.Addr().String()}, Clients: 1})
	if err != nil {
		b.Fatal(err)
	}
	direct, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	addrs, _ := n.ClientAddrs(1)
	proxied, err = net.Dial("tcp", addrs[1])
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = direct.Close()
		_ = proxied.Close()
		_ = n.Close()
		_ = ln.Close()
	})
	return direct, proxied
}

// BenchmarkRoundTrip measures a 64-byte round trip to an echo server
// directly and through a proxy, alternating in the same loop, so the
// overhead is a same-run ratio (proxy/direct).
func BenchmarkRoundTrip(b *testing.B) {
	direct, proxied := benchPaths(b, func(c net.Conn) { _, _ = io.Copy(c, c) })
	buf := make([]byte, 64)
	rtt := func(c net.Conn) time.Duration {
		start := time.Now()
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var d, p time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			d += rtt(direct)
			p += rtt(proxied)
		} else {
			p += rtt(proxied)
			d += rtt(direct)
		}
	}
	n := float64(b.N)
	b.ReportMetric(d.Seconds()*1e6/n, "direct-µs/rtt")
	b.ReportMetric(p.Seconds()*1e6/n, "proxy-µs/rtt")
	b.ReportMetric(p.Seconds()/d.Seconds(), "proxy/direct")
}

// BenchmarkThroughput sends 4 MiB to a sink that acknowledges each 4 MiB,
// directly and through a proxy, alternating in the same loop; proxy/direct
// is the proxy's share of the direct throughput.
func BenchmarkThroughput(b *testing.B) {
	const block = 4 << 20
	direct, proxied := benchPaths(b, func(c net.Conn) {
		buf := make([]byte, 64<<10)
		for {
			for got := 0; got < block; {
				k, err := c.Read(buf[:min(len(buf), block-got)])
				got += k
				if err != nil {
					return
				}
			}
			if _, err := c.Write([]byte{1}); err != nil {
				return
			}
		}
	})
	data := make([]byte, 32<<10)
	send := func(c net.Conn) time.Duration {
		start := time.Now()
		for sent := 0; sent < block; sent += len(data) {
			if _, err := c.Write(data); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := io.ReadFull(c, data[:1]); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var d, p time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			d += send(direct)
			p += send(proxied)
		} else {
			p += send(proxied)
			d += send(direct)
		}
	}
	mb := float64(b.N) * block / 1e6
	b.ReportMetric(mb/d.Seconds(), "direct-MB/s")
	b.ReportMetric(mb/p.Seconds(), "proxy-MB/s")
	b.ReportMetric(d.Seconds()/p.Seconds(), "proxy/direct")
}
