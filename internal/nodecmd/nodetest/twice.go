package nodetest

import (
	"bytes"
	"encoding/binary"
	"net"

	"stegocloud/cluster"
)

// twice is a transport whose accepted connections write every response
// frame twice. A node writes each response with one Write of exactly one
// frame, so a Write is a response when it is one whole frame whose header
// says so.
type twice struct{ cluster.Transport }

func (t twice) Listen(addr string) (net.Listener, error) {
	ln, err := t.Transport.Listen(addr)
	if err != nil {
		return nil, err
	}
	return twiceListener{ln}, nil
}

type twiceListener struct{ net.Listener }

func (l twiceListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return twiceConn{c}, nil
}

type twiceConn struct{ net.Conn }

func (c twiceConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if err == nil && isResponseFrame(b) {
		_, err = c.Conn.Write(b)
	}
	return n, err
}

// isResponseFrame reports whether b is exactly one response frame.
func isResponseFrame(b []byte) bool {
	if len(b) < 8 || int(binary.BigEndian.Uint32(b)) != len(b)-4 {
		return false
	}
	h := int(binary.BigEndian.Uint32(b[4:]))
	return h <= len(b)-8 && bytes.HasPrefix(b[8:8+h], []byte(`{"type":"response"`))
}
