package client

import (
	"errors"
	"strings"
	"testing"

	"stegocloud/cluster/wire"
	"stegocloud/stego"
)

// Request ids carry the client's name; a name that makes them exceed the
// nodes' limit is refused up front instead of failing every request.
func TestNameLengthIsChecked(t *testing.T) {
	cfg := Config{Nodes: wire.Peers{1: "127.0.0.1:1"}}
	cfg.Name = strings.Repeat("n", 190)
	if c, err := New(cfg); !errors.Is(err, ErrConfig) || err == nil || !strings.Contains(err.Error(), "name") {
		if c != nil {
			c.Close()
		}
		t.Errorf("New with a 190-byte name: %v, want ErrConfig naming the name", err)
	}
	cfg.Name = strings.Repeat("n", maxName)
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New with a %d-byte name: %v", maxName, err)
	}
	defer c.Close()
	id := c.prefix + "-18446744073709551615"
	m := wire.Message{Type: wire.MsgRequest, ID: id, Attempt: 1, Meta: &stego.Metadata{ID: "i", Usernames: []string{"a"}, Quota: 1}}
	if err := m.Validate(); err != nil {
		t.Errorf("the longest id such a client makes (%d bytes) is refused: %v", len(id), err)
	}
}
