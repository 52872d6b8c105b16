package wire

import (
	"context"
	"net"
)

// Transport makes the connections nodes and clients talk over. Framing,
// handshakes and timeouts live above it, so TCP and the in-memory network of
// the tests run the same code.
type Transport interface {
	Listen(addr string) (net.Listener, error)
	Dial(ctx context.Context, addr string) (net.Conn, error)
}
