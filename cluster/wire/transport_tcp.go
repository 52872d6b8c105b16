package wire

import (
	"context"
	"fmt"
	"net"
)

// TCPTransport is the real transport: TCP with Nagle off (the default in Go),
// so small frames such as heartbeats leave at once.
type TCPTransport struct{}

var _ Transport = TCPTransport{}

// Listen listens on a TCP host:port.
func (TCPTransport) Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// Dial connects to a TCP host:port; ctx bounds the attempt.
func (TCPTransport) Dial(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dialing %s: %w", addr, err)
	}
	return c, nil
}
